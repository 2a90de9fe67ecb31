package io.cqkd.dht.core.engine;

import io.cqkd.dht.api.NodeId;
import java.util.Objects;

/**
 * A value (or tombstone) held by a node for the network.
 *
 * @param key             the original key string
 * @param keyId           SHA-1 of the key
 * @param json            JSON text, "" for a tombstone
 * @param version         publisher's version; higher wins, ties broken by publisher id
 * @param expiresAtMillis engine time at which it expires
 * @param publisher       id of the publisher
 * @param tombstone       true when this marks a deletion
 */
public record StoredValue(String key, NodeId keyId, String json, long version, long expiresAtMillis,
                          NodeId publisher, boolean tombstone) {
    /** Rejects nulls. */
    public StoredValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(publisher, "publisher");
    }

    /** Positive when this is newer than {@code other}, 0 when it is the same version from the same publisher. */
    public int compareVersion(StoredValue other) {
        int c = Long.compare(version, other.version);
        return c != 0 ? c : publisher.compareTo(other.publisher);
    }

    /** True at or after its expiry. */
    public boolean expired(long now) {
        return now >= expiresAtMillis;
    }

    /** Remaining time to live at {@code now}, never negative. */
    public long ttlMillis(long now) {
        return Math.max(0, expiresAtMillis - now);
    }
}
