package io.cqkd.dht.core.engine;

import io.cqkd.dht.api.DhtLimits;

/**
 * Every tunable of one Kademlia engine, validated on construction. Times are engine
 * milliseconds ({@link EngineExecutor#nowMillis()}).
 *
 * <h2>Periodic jobs and their invariant</h2>
 * Three jobs keep values alive, as in rust-libp2p {@code jobs.rs}:
 * <ul>
 *   <li><b>replication</b> ({@link #replicateMillis}): every holder looks up the k closest nodes
 *   to each value it holds and stores it there, so the replica set heals when nodes leave or join. A value
 *   received from a store during the last period is skipped (someone else just replicated it).
 *   Replication never extends the expiry.</li>
 *   <li><b>republication</b> ({@link #republishMillis}): the publisher looks up the k closest
 *   nodes again and re-stores what it published (same version, same absolute expiry).</li>
 *   <li><b>expiry</b>: a value (or tombstone) is dropped when its TTL runs out under the engine
 *   clock.</li>
 * </ul>
 * The invariant is {@code replicateMillis < republishMillis < DhtLimits.DEFAULT_TTL}: replication
 * must run several times within a republication period, and a value with the default TTL must be
 * republished at least once before it expires. A value stored with a TTL shorter than the
 * republication interval simply expires without being republished. The compact constructor
 * refuses configurations that break the invariant.
 *
 * @param k                          bucket size and replication factor (20)
 * @param alpha                      lookup parallelism: requests in flight per lookup (3)
 * @param replacementCacheSize       candidates kept per full bucket (8)
 * @param rpcTimeoutMillis           time to wait for a response before retrying or failing (1000)
 * @param rpcRetries                 retries of a non-lookup RPC after a timeout (1)
 * @param pingEvictTimeoutMillis     timeout of the ping that decides whether the least recently
 *                                   seen contact of a full bucket is evicted (1000)
 * @param staleFailures              consecutive failed RPCs after which a contact is dropped (3)
 * @param lookupPeerTimeoutMillis    after this, a lookup stops waiting for a peer and queries the
 *                                   next candidate; a late answer is still used (500)
 * @param lookupTimeoutMillis        bound on a whole lookup (10000)
 * @param lookupRetries              re-sends of a lookup request, one per lookupPeerTimeoutMillis
 *                                   without an answer (3; with 2, 10% loss left 1-2% of lookups
 *                                   short of the true closest node); the lookup does not wait for
 *                                   them, but a late answer still counts
 * @param lookupMaxPeers             candidates a lookup keeps, closest first (200)
 * @param maxLookups                 lookups in flight per node; more fail with OVERLOADED (64)
 * @param maxInflightRpcs            outstanding requests per node; more fail with OVERLOADED (2048)
 * @param bucketRefreshMillis        a bucket not touched for this long gets a lookup of a random id
 *                                   in its range (1 h)
 * @param maintenanceIntervalMillis  period of the housekeeping tick: expiry, refresh, jobs (5000)
 * @param joinRetryMinMillis         first delay before retrying unanswered bootstrap nodes (1000)
 * @param joinRetryMaxMillis         cap of the doubling join retry delay (30000)
 * @param replicateMillis            replication period (15 min)
 * @param republishMillis            republication period (1 h)
 * @param tombstoneTtlMillis         shortest lifetime of a tombstone written by delete (24 h)
 * @param maxStoredValues            values and tombstones held for the network (16384)
 * @param maxReplicatePerRound       values replicated (one lookup + stores each) per maintenance tick (32)
 * @param maxRepublishPerRound       published values republished per maintenance tick (32)
 * @param maxStoresOnNewContact      values sent to a newly inserted close contact (16)
 * @param repairOnGet                after a successful get, store the value at the closest
 *                                   node that answered without it, when that node is closer to
 *                                   the key than one that had it ({@link Lookup#repairTarget})
 * @param requestRatePerSecond       sustained requests accepted per source address and port (200)
 * @param requestBurst               burst per source (400)
 * @param globalRequestRatePerSecond sustained requests accepted from all sources (20000)
 * @param globalRequestBurst         global burst (40000)
 * @param maxRateLimitedSources      sources tracked by the limiter, least recently seen evicted (8192)
 * @param errorReplyRatePerSecond    RATE_LIMITED error replies sent per second, at most (10)
 * @param maxJsonNesting             deepest nesting accepted in a JSON value (64)
 * @param bootstrapRecheckMillis     partition healing: about this often (random phase), a node that has
 *                                   bootstrap addresses asks ONE of them (round-robin) for the
 *                                   contacts closest to its own id; if the answer names a closer
 *                                   node it did not know, it runs a self lookup and refreshes its
 *                                   buckets, so the halves of a healed partition merge. Cost: one
 *                                   request per node per period, N nodes send N/period requests
 *                                   spread over the bootstrap nodes. 0 disables (60000)
 * @param contactFreshMillis         a full bucket pings its least recently seen contact to make room
 *                                   for a newcomer only when that contact was last seen at least this
 *                                   long ago; a contact heard from more recently is alive and the
 *                                   newcomer waits in the replacement cache. 0 pings always, as in
 *                                   the Kademlia paper (60000)
 */
public record EngineConfig(
        int k,
        int alpha,
        int replacementCacheSize,
        long rpcTimeoutMillis,
        int rpcRetries,
        long pingEvictTimeoutMillis,
        int staleFailures,
        long lookupPeerTimeoutMillis,
        long lookupTimeoutMillis,
        int lookupRetries,
        int lookupMaxPeers,
        int maxLookups,
        int maxInflightRpcs,
        long bucketRefreshMillis,
        long maintenanceIntervalMillis,
        long joinRetryMinMillis,
        long joinRetryMaxMillis,
        long replicateMillis,
        long republishMillis,
        long tombstoneTtlMillis,
        int maxStoredValues,
        int maxReplicatePerRound,
        int maxRepublishPerRound,
        int maxStoresOnNewContact,
        boolean repairOnGet,
        double requestRatePerSecond,
        int requestBurst,
        double globalRequestRatePerSecond,
        int globalRequestBurst,
        int maxRateLimitedSources,
        double errorReplyRatePerSecond,
        int maxJsonNesting,
        long bootstrapRecheckMillis,
        long contactFreshMillis) {

    /** Default bucket size. */
    public static final int DEFAULT_K = 20;
    /** Default lookup parallelism. */
    public static final int DEFAULT_ALPHA = 3;
    /** Most retries a configuration may ask for. */
    public static final int MAX_RPC_RETRIES = 5;

    /** Refuses nonsense with a one-line message naming the field. */
    public EngineConfig {
        positive("k", k);
        if (k > 64) {
            throw new IllegalArgumentException("k must be at most 64, got " + k);
        }
        positive("alpha", alpha);
        if (alpha > k) {
            throw new IllegalArgumentException("alpha (" + alpha + ") must not exceed k (" + k + ")");
        }
        nonNegative("replacementCacheSize", replacementCacheSize);
        positive("rpcTimeoutMillis", rpcTimeoutMillis);
        if (rpcRetries < 0 || rpcRetries > MAX_RPC_RETRIES) {
            throw new IllegalArgumentException("rpcRetries must be 0.." + MAX_RPC_RETRIES + ", got " + rpcRetries);
        }
        positive("pingEvictTimeoutMillis", pingEvictTimeoutMillis);
        positive("staleFailures", staleFailures);
        positive("lookupPeerTimeoutMillis", lookupPeerTimeoutMillis);
        if (lookupPeerTimeoutMillis > rpcTimeoutMillis) {
            throw new IllegalArgumentException("lookupPeerTimeoutMillis (" + lookupPeerTimeoutMillis
                    + ") must not exceed rpcTimeoutMillis (" + rpcTimeoutMillis + ")");
        }
        if (lookupTimeoutMillis < rpcTimeoutMillis) {
            throw new IllegalArgumentException("lookupTimeoutMillis (" + lookupTimeoutMillis
                    + ") must be at least rpcTimeoutMillis (" + rpcTimeoutMillis + ")");
        }
        if (lookupRetries < 0 || lookupRetries > MAX_RPC_RETRIES) {
            throw new IllegalArgumentException("lookupRetries must be 0.." + MAX_RPC_RETRIES + ", got " + lookupRetries);
        }
        if (lookupMaxPeers < k) {
            throw new IllegalArgumentException("lookupMaxPeers (" + lookupMaxPeers + ") must be at least k (" + k + ")");
        }
        positive("maxLookups", maxLookups);
        positive("maxInflightRpcs", maxInflightRpcs);
        positive("bucketRefreshMillis", bucketRefreshMillis);
        positive("maintenanceIntervalMillis", maintenanceIntervalMillis);
        positive("joinRetryMinMillis", joinRetryMinMillis);
        if (joinRetryMaxMillis < joinRetryMinMillis) {
            throw new IllegalArgumentException("joinRetryMaxMillis must be at least joinRetryMinMillis");
        }
        positive("replicateMillis", replicateMillis);
        positive("republishMillis", republishMillis);
        if (!(replicateMillis < republishMillis && republishMillis < DhtLimits.DEFAULT_TTL.toMillis())) {
            throw new IllegalArgumentException("the invariant replicateMillis < republishMillis < default TTL ("
                    + DhtLimits.DEFAULT_TTL.toMillis() + ") does not hold: replicateMillis=" + replicateMillis
                    + " republishMillis=" + republishMillis);
        }
        positive("tombstoneTtlMillis", tombstoneTtlMillis);
        if (tombstoneTtlMillis > DhtLimits.MAX_TTL.toMillis()) {
            throw new IllegalArgumentException("tombstoneTtlMillis must not exceed the maximum TTL");
        }
        positive("maxStoredValues", maxStoredValues);
        positive("maxReplicatePerRound", maxReplicatePerRound);
        positive("maxRepublishPerRound", maxRepublishPerRound);
        nonNegative("maxStoresOnNewContact", maxStoresOnNewContact);
        if (!(requestRatePerSecond > 0) || !(globalRequestRatePerSecond > 0) || !(errorReplyRatePerSecond >= 0)) {
            throw new IllegalArgumentException("request rates must be positive");
        }
        positive("requestBurst", requestBurst);
        positive("globalRequestBurst", globalRequestBurst);
        positive("maxRateLimitedSources", maxRateLimitedSources);
        if (maxJsonNesting < 1 || maxJsonNesting > 1000) {
            throw new IllegalArgumentException("maxJsonNesting must be 1..1000, got " + maxJsonNesting);
        }
        nonNegative("bootstrapRecheckMillis", bootstrapRecheckMillis);
        nonNegative("contactFreshMillis", contactFreshMillis);
    }

    /** The documented defaults. */
    public static EngineConfig defaults() {
        return builder().build();
    }

    /** A builder initialised with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.k = k;
        b.alpha = alpha;
        b.replacementCacheSize = replacementCacheSize;
        b.rpcTimeoutMillis = rpcTimeoutMillis;
        b.rpcRetries = rpcRetries;
        b.pingEvictTimeoutMillis = pingEvictTimeoutMillis;
        b.staleFailures = staleFailures;
        b.lookupPeerTimeoutMillis = lookupPeerTimeoutMillis;
        b.lookupTimeoutMillis = lookupTimeoutMillis;
        b.lookupRetries = lookupRetries;
        b.lookupMaxPeers = lookupMaxPeers;
        b.maxLookups = maxLookups;
        b.maxInflightRpcs = maxInflightRpcs;
        b.bucketRefreshMillis = bucketRefreshMillis;
        b.maintenanceIntervalMillis = maintenanceIntervalMillis;
        b.joinRetryMinMillis = joinRetryMinMillis;
        b.joinRetryMaxMillis = joinRetryMaxMillis;
        b.replicateMillis = replicateMillis;
        b.republishMillis = republishMillis;
        b.tombstoneTtlMillis = tombstoneTtlMillis;
        b.maxStoredValues = maxStoredValues;
        b.maxReplicatePerRound = maxReplicatePerRound;
        b.maxRepublishPerRound = maxRepublishPerRound;
        b.maxStoresOnNewContact = maxStoresOnNewContact;
        b.repairOnGet = repairOnGet;
        b.requestRatePerSecond = requestRatePerSecond;
        b.requestBurst = requestBurst;
        b.globalRequestRatePerSecond = globalRequestRatePerSecond;
        b.globalRequestBurst = globalRequestBurst;
        b.maxRateLimitedSources = maxRateLimitedSources;
        b.errorReplyRatePerSecond = errorReplyRatePerSecond;
        b.maxJsonNesting = maxJsonNesting;
        b.bootstrapRecheckMillis = bootstrapRecheckMillis;
        b.contactFreshMillis = contactFreshMillis;
        return b;
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }

    private static void nonNegative(String name, long v) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + v);
        }
    }

    /** Mutable builder; {@link #build()} validates. Field defaults are the documented defaults. */
    public static final class Builder {
        private int k = DEFAULT_K;
        private int alpha = DEFAULT_ALPHA;
        private int replacementCacheSize = 8;
        private long rpcTimeoutMillis = 1000;
        private int rpcRetries = 1;
        private long pingEvictTimeoutMillis = 1000;
        private int staleFailures = 3;
        private long lookupPeerTimeoutMillis = 500;
        private long lookupTimeoutMillis = 10_000;
        private int lookupRetries = 3;
        private int lookupMaxPeers = 200;
        private int maxLookups = 64;
        private int maxInflightRpcs = 2048;
        private long bucketRefreshMillis = 3_600_000;
        private long maintenanceIntervalMillis = 5_000;
        private long joinRetryMinMillis = 1_000;
        private long joinRetryMaxMillis = 30_000;
        private long replicateMillis = 15 * 60_000;
        private long republishMillis = 3_600_000;
        private long tombstoneTtlMillis = DhtLimits.DEFAULT_TTL.toMillis();
        private int maxStoredValues = 16_384;
        private int maxReplicatePerRound = 32;
        private int maxRepublishPerRound = 32;
        private int maxStoresOnNewContact = 16;
        private boolean repairOnGet = true;
        private double requestRatePerSecond = 200;
        private int requestBurst = 400;
        private double globalRequestRatePerSecond = 20_000;
        private int globalRequestBurst = 40_000;
        private int maxRateLimitedSources = 8192;
        private double errorReplyRatePerSecond = 10;
        private int maxJsonNesting = 64;
        private long bootstrapRecheckMillis = 60_000;
        private long contactFreshMillis = 60_000;

        private Builder() {
        }

        public Builder k(int v) { k = v; return this; }
        public Builder alpha(int v) { alpha = v; return this; }
        public Builder replacementCacheSize(int v) { replacementCacheSize = v; return this; }
        public Builder rpcTimeoutMillis(long v) { rpcTimeoutMillis = v; return this; }
        public Builder rpcRetries(int v) { rpcRetries = v; return this; }
        public Builder pingEvictTimeoutMillis(long v) { pingEvictTimeoutMillis = v; return this; }
        public Builder staleFailures(int v) { staleFailures = v; return this; }
        public Builder lookupPeerTimeoutMillis(long v) { lookupPeerTimeoutMillis = v; return this; }
        public Builder lookupTimeoutMillis(long v) { lookupTimeoutMillis = v; return this; }
        public Builder lookupRetries(int v) { lookupRetries = v; return this; }
        public Builder lookupMaxPeers(int v) { lookupMaxPeers = v; return this; }
        public Builder maxLookups(int v) { maxLookups = v; return this; }
        public Builder maxInflightRpcs(int v) { maxInflightRpcs = v; return this; }
        public Builder bucketRefreshMillis(long v) { bucketRefreshMillis = v; return this; }
        public Builder maintenanceIntervalMillis(long v) { maintenanceIntervalMillis = v; return this; }
        public Builder joinRetryMinMillis(long v) { joinRetryMinMillis = v; return this; }
        public Builder joinRetryMaxMillis(long v) { joinRetryMaxMillis = v; return this; }
        public Builder replicateMillis(long v) { replicateMillis = v; return this; }
        public Builder republishMillis(long v) { republishMillis = v; return this; }
        public Builder tombstoneTtlMillis(long v) { tombstoneTtlMillis = v; return this; }
        public Builder maxStoredValues(int v) { maxStoredValues = v; return this; }
        public Builder maxReplicatePerRound(int v) { maxReplicatePerRound = v; return this; }
        public Builder maxRepublishPerRound(int v) { maxRepublishPerRound = v; return this; }
        public Builder maxStoresOnNewContact(int v) { maxStoresOnNewContact = v; return this; }
        public Builder repairOnGet(boolean v) { repairOnGet = v; return this; }
        public Builder requestRatePerSecond(double v) { requestRatePerSecond = v; return this; }
        public Builder requestBurst(int v) { requestBurst = v; return this; }
        public Builder globalRequestRatePerSecond(double v) { globalRequestRatePerSecond = v; return this; }
        public Builder globalRequestBurst(int v) { globalRequestBurst = v; return this; }
        public Builder maxRateLimitedSources(int v) { maxRateLimitedSources = v; return this; }
        public Builder errorReplyRatePerSecond(double v) { errorReplyRatePerSecond = v; return this; }
        public Builder maxJsonNesting(int v) { maxJsonNesting = v; return this; }
        public Builder bootstrapRecheckMillis(long v) { bootstrapRecheckMillis = v; return this; }
        public Builder contactFreshMillis(long v) { contactFreshMillis = v; return this; }

        /** Validates and builds. */
        public EngineConfig build() {
            return new EngineConfig(k, alpha, replacementCacheSize, rpcTimeoutMillis, rpcRetries,
                    pingEvictTimeoutMillis, staleFailures, lookupPeerTimeoutMillis, lookupTimeoutMillis,
                    lookupRetries, lookupMaxPeers, maxLookups, maxInflightRpcs, bucketRefreshMillis, maintenanceIntervalMillis,
                    joinRetryMinMillis, joinRetryMaxMillis, replicateMillis, republishMillis, tombstoneTtlMillis,
                    maxStoredValues, maxReplicatePerRound, maxRepublishPerRound, maxStoresOnNewContact, repairOnGet,
                    requestRatePerSecond, requestBurst, globalRequestRatePerSecond, globalRequestBurst,
                    maxRateLimitedSources, errorReplyRatePerSecond, maxJsonNesting, bootstrapRecheckMillis,
                    contactFreshMillis);
        }
    }
}
