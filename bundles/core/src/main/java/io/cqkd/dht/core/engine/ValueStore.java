package io.cqkd.dht.core.engine;

import io.cqkd.dht.api.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bounded store of values (and tombstones) a node holds for the network, with expiry under the
 * engine clock. A store is accepted when the value is newer than what is held (higher version,
 * ties broken by publisher id); the same version extends the expiry if it is later; an older
 * version is refused as stale. A tombstone is an ordinary entry: a newer tombstone replaces a
 * value, a newer value replaces a tombstone, and a tombstone expires like a value.
 * Not thread-safe: engine thread only.
 */
public final class ValueStore {
    /** Outcome of {@link #store}. */
    public enum Outcome {
        /** New key or newer version: stored. */
        STORED,
        /** Same version: kept, expiry extended when later. */
        REFRESHED,
        /** Older than what is held: refused. */
        STALE,
        /** The store is full: refused. */
        FULL;

        /** True when the sender may count this node as a replica. */
        public boolean accepted() {
            return this == STORED || this == REFRESHED;
        }
    }

    private static final class Slot {
        StoredValue value;
        long lastStoredMillis;

        Slot(StoredValue value, long lastStoredMillis) {
            this.value = value;
            this.lastStoredMillis = lastStoredMillis;
        }
    }

    private final int maxValues;
    private final Map<NodeId, Slot> slots = new HashMap<>();

    /** An empty store holding at most {@code maxValues} entries. */
    public ValueStore(int maxValues) {
        this.maxValues = maxValues;
    }

    /** Stores {@code value} received at engine time {@code now}. */
    public Outcome store(StoredValue value, long now) {
        if (value.expired(now)) {
            return Outcome.STALE;
        }
        Slot slot = slots.get(value.keyId());
        if (slot != null && slot.value.expired(now)) {
            slots.remove(value.keyId());
            slot = null;
        }
        if (slot == null) {
            if (slots.size() >= maxValues) {
                expire(now);
                if (slots.size() >= maxValues) {
                    return Outcome.FULL;
                }
            }
            slots.put(value.keyId(), new Slot(value, now));
            return Outcome.STORED;
        }
        int c = value.compareVersion(slot.value);
        if (c > 0) {
            slot.value = value;
            slot.lastStoredMillis = now;
            return Outcome.STORED;
        }
        if (c == 0 && value.tombstone() == slot.value.tombstone()) {
            if (value.expiresAtMillis() > slot.value.expiresAtMillis()) {
                slot.value = value;
            }
            slot.lastStoredMillis = now;
            return Outcome.REFRESHED;
        }
        return Outcome.STALE;
    }

    /** The live entry under {@code keyId} (possibly a tombstone); an expired one is dropped. */
    public Optional<StoredValue> get(NodeId keyId, long now) {
        Slot slot = slots.get(keyId);
        if (slot == null) {
            return Optional.empty();
        }
        if (slot.value.expired(now)) {
            slots.remove(keyId);
            return Optional.empty();
        }
        return Optional.of(slot.value);
    }

    /** Engine time of the last accepted store of {@code keyId}, or {@link Long#MIN_VALUE}. */
    public long lastStoredMillis(NodeId keyId) {
        Slot slot = slots.get(keyId);
        return slot == null ? Long.MIN_VALUE : slot.lastStoredMillis;
    }

    /** Drops every expired entry; returns how many. */
    public int expire(long now) {
        int n = 0;
        Iterator<Slot> it = slots.values().iterator();
        while (it.hasNext()) {
            if (it.next().value.expired(now)) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    /** Entries held, expired ones included until the next {@link #expire}. */
    public int size() {
        return slots.size();
    }

    /**
     * Hands the live entries (possibly tombstones) to {@code visitor} until it returns false,
     * without copying the store. The visitor must not change the store.
     */
    public void forEachLive(long now, java.util.function.Predicate<StoredValue> visitor) {
        for (Slot slot : slots.values()) {
            if (!slot.value.expired(now) && !visitor.test(slot.value)) {
                return;
            }
        }
    }

    /** A copy of the key ids held, for jobs that walk the store in bounded rounds. */
    public List<NodeId> keyIds() {
        return new ArrayList<>(slots.keySet());
    }

    /** Capacity. */
    public int capacity() {
        return maxValues;
    }
}
