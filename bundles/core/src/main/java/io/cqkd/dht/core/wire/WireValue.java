package io.cqkd.dht.core.wire;

/**
 * A stored value on the wire.
 *
 * @param key       the original key string (so any holder can show it; SHA-1 of it is the key id)
 * @param json      JSON text ("" for a tombstone)
 * @param version   publisher's version; a higher version replaces a lower one
 * @param ttlMillis remaining time to live, relative, so clocks need not agree
 * @param publisher 20-byte id of the publisher
 * @param tombstone true when this marks a deletion
 */
public record WireValue(String key, String json, long version, long ttlMillis, byte[] publisher, boolean tombstone) {
}
