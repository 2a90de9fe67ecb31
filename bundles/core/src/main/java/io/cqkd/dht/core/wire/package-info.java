/**
 * The wire protocol: one typed record per message, encoded as CBOR by Jackson with an explicit
 * type id, inside an envelope (version, optional timestamp + MAC under the cluster key).
 * Every field is bounded by {@link io.cqkd.dht.api.DhtLimits} and the limits below; anything else
 * is dropped and counted by the transport.
 */
package io.cqkd.dht.core.wire;
