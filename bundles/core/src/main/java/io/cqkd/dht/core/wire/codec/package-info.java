/**
 * The datagram codec: envelope (magic, version, flags, optional timestamp + HMAC-SHA256 under
 * the cluster key) around a Jackson CBOR payload of the {@link io.cqkd.dht.core.wire.Message}
 * records. Private to the core bundle.
 */
package io.cqkd.dht.core.wire.codec;
