package io.cqkd.dht.api;

import java.util.List;

/**
 * The routing table of a node at one moment: only non-empty buckets.
 *
 * @param self    the node's id
 * @param k       bucket size
 * @param buckets non-empty buckets, nearest (highest common prefix) first
 */
public record RoutingSnapshot(NodeId self, int k, List<Bucket> buckets) {
    /** Defensive copy. */
    public RoutingSnapshot {
        buckets = List.copyOf(buckets);
    }

    /**
     * One k-bucket.
     *
     * @param index             bucket index: 159 - common prefix length with self
     * @param contacts          contacts, least recently seen first
     * @param replacements      candidates waiting in the replacement cache
     * @param lastTouchedMillis engine time of the last lookup or insert touching this bucket
     */
    public record Bucket(int index, List<Contact> contacts, int replacements, long lastTouchedMillis) {
        /** Defensive copy. */
        public Bucket {
            contacts = List.copyOf(contacts);
        }
    }

    /** Total contacts. */
    public int size() {
        return buckets.stream().mapToInt(b -> b.contacts().size()).sum();
    }
}
