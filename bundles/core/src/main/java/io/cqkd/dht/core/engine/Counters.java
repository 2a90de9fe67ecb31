package io.cqkd.dht.core.engine;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-node traffic and error counters, written by the engine and the transport, read by the
 * shell. Thread-safe and allocation-free on the hot path.
 *
 * <p>One {@link AtomicLongArray} slot per counter (~250 bytes per node) rather than one
 * {@code LongAdder} each (~1 KB per node with the map): a node's counters are written by its own
 * event-loop thread, so the adders' striping against contention never paid off, and a container
 * runs thousands of nodes.
 */
public final class Counters {
    /** What is counted. Names are shown in lower case in {@code dht:status}. */
    public enum Counter {
        DATAGRAMS_IN, DATAGRAMS_OUT, BYTES_IN, BYTES_OUT,
        REQUESTS_IN, RESPONSES_IN,
        DROPPED_OVERSIZED, DROPPED_MALFORMED, DROPPED_BAD_MAC, DROPPED_STALE_TIMESTAMP,
        DROPPED_RATE_LIMITED, DROPPED_UNKNOWN_TXID, DROPPED_WRONG_SENDER, DROPPED_SEND_FAILED,
        RPC_TIMEOUTS, RPC_RETRIES,
        LOOKUPS, STORES_ACCEPTED, STORES_REFUSED, VALUES_EXPIRED, EVICTIONS,
        /** Requests this node sent (first attempts; retries are {@link #RPC_RETRIES}). */
        REQUESTS_OUT,
        /** Requests not sent because too many were outstanding, or lookups refused for the same reason. */
        RPC_OVERLOADED,
        /** Published values re-stored by their publisher. */
        VALUES_REPUBLISHED,
        /** Held values re-sent to the current k closest by the replication job or to a new close contact. */
        VALUES_REPLICATED,
        /** Lookups started to refresh idle buckets. */
        BUCKET_REFRESHES,
        /**
         * New ids at an endpoint held by another id that did not get into the routing table (one id
         * per ip:port): superseded by a later id while the holder was pinged, or refused because the
         * holder answered.
         */
        ENDPOINT_CLAIMS_REFUSED,
        /** Bootstrap rechecks sent (one request to one bootstrap address, see EngineConfig#bootstrapRecheckMillis). */
        BOOTSTRAP_RECHECKS,
        /** Self lookups started because a bootstrap recheck named close nodes this node did not know. */
        PARTITION_HEALS
    }

    private static final Counter[] ALL = Counter.values();

    private final AtomicLongArray values = new AtomicLongArray(ALL.length);

    /** All counters at zero. */
    public Counters() {
    }

    /** Adds one. */
    public void increment(Counter c) {
        values.getAndIncrement(c.ordinal());
    }

    /** Adds {@code n}. */
    public void add(Counter c, long n) {
        values.getAndAdd(c.ordinal(), n);
    }

    /** Current value. */
    public long get(Counter c) {
        return values.get(c.ordinal());
    }

    /** All counters by lower-case name, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        for (Counter c : ALL) {
            m.put(c.name().toLowerCase(java.util.Locale.ROOT), values.get(c.ordinal()));
        }
        return m;
    }
}
