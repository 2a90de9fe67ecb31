package io.cqkd.dht.api;

/**
 * Outcome of a put or delete.
 *
 * @param key      the key
 * @param keyId    SHA-1 of the key
 * @param replicas nodes that acknowledged the store
 * @param targets  nodes the store was sent to (the k closest found)
 * @param millis   wall time of the operation
 */
public record StoreResult(String key, NodeId keyId, int replicas, int targets, long millis) {
}
