package io.cqkd.dht.api;

import java.time.Instant;

/**
 * A value read from the DHT.
 *
 * @param key       the key it was stored under
 * @param json      the JSON document, as text
 * @param publisher id of the node that published it
 * @param version   publisher's version (milliseconds since the epoch at publication); newer wins
 * @param expiresAt when the value expires unless republished
 */
public record DhtValue(String key, String json, NodeId publisher, long version, Instant expiresAt) {
}
