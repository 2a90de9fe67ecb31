package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.tier.WorkerRegistration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A regional node's registrations of the workers of its region. The runtime publishes each new
 * registration under {@link WorkerRegistration#key(String, String)} with {@link TierJson#worker},
 * keeps it fresh while the worker lives (a worker counts as alive while it renews within
 * {@code freshnessMillis}) and deletes the key when {@link #expire} drops it.
 *
 * <p>{@code registered_at} is the wall-clock time of the first registration and survives
 * refreshes. Bounded by {@code maxWorkers}. Confined to one thread.
 */
public final class WorkerRegistry {
    /** Default freshness: a worker not seen for this long is dropped. */
    public static final long DEFAULT_FRESHNESS_MILLIS = 180_000;
    /** Default bound. */
    public static final int DEFAULT_MAX_WORKERS = 10_000;

    /** What {@link #register} did. */
    public enum Change {
        /** A new worker: publish. */
        ADDED,
        /** Address or port changed: publish again. */
        UPDATED,
        /** Same data, seen again. */
        REFRESHED,
        /** Registry full: not registered. */
        REJECTED_FULL
    }

    private record Entry(WorkerRegistration registration, long lastSeenMillis) {
    }

    private final String region;
    private final long freshnessMillis;
    private final int maxWorkers;
    private final Map<String, Entry> entries = new HashMap<>();

    /**
     * @param region          the regional node's region (a valid key part)
     * @param freshnessMillis how long a worker stays registered without being seen, &gt; 0
     * @param maxWorkers      most registrations, &gt; 0
     */
    public WorkerRegistry(String region, long freshnessMillis, int maxWorkers) {
        WorkerRegistration.key(region, "x"); // validates the region as a key part
        if (freshnessMillis <= 0 || maxWorkers <= 0) {
            throw new IllegalArgumentException("freshness and max workers must be > 0");
        }
        this.region = region;
        this.freshnessMillis = freshnessMillis;
        this.maxWorkers = maxWorkers;
    }

    /** The region. */
    public String region() {
        return region;
    }

    /**
     * Registers or refreshes a worker.
     *
     * @param nowMillis  engine time (freshness)
     * @param wallMillis wall-clock time, used as {@code registered_at} for a new worker
     */
    public Change register(String nodeId, String address, int port, long nowMillis, long wallMillis) {
        Entry old = entries.get(nodeId);
        if (old == null && entries.size() >= maxWorkers) {
            return Change.REJECTED_FULL;
        }
        long registeredAt = old == null ? wallMillis : old.registration().registeredAt();
        WorkerRegistration w = new WorkerRegistration(nodeId, address, port, registeredAt);
        entries.put(nodeId, new Entry(w, nowMillis));
        if (old == null) {
            return Change.ADDED;
        }
        return old.registration().equals(w) ? Change.REFRESHED : Change.UPDATED;
    }

    /** Removes a worker that left; its key should be deleted. */
    public Optional<WorkerRegistration> remove(String nodeId) {
        Entry e = entries.remove(Objects.requireNonNull(nodeId, "nodeId"));
        return e == null ? Optional.empty() : Optional.of(e.registration());
    }

    /** Drops workers not seen within the freshness window; returns them (their keys should be deleted). */
    public List<WorkerRegistration> expire(long nowMillis) {
        List<WorkerRegistration> gone = entries.values().stream()
                .filter(e -> nowMillis - e.lastSeenMillis() > freshnessMillis)
                .map(Entry::registration)
                .sorted(Comparator.comparing(WorkerRegistration::nodeId))
                .toList();
        gone.forEach(w -> entries.remove(w.nodeId()));
        return gone;
    }

    /** Live registrations, sorted by node id. */
    public List<WorkerRegistration> workers() {
        return entries.values().stream().map(Entry::registration)
                .sorted(Comparator.comparing(WorkerRegistration::nodeId)).toList();
    }

    /** Number of registrations. */
    public int size() {
        return entries.size();
    }
}
