package io.cqkd.dht.core.tier;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.ChildLoadTable;
import io.cqkd.dht.tier.model.LoadStats;
import io.cqkd.dht.tier.model.SessionTable;
import io.cqkd.dht.tier.model.TierEnvironment;
import io.cqkd.dht.tier.model.WorkerRegistry;
import java.util.Objects;

/**
 * A node's bootstrap-tier parameters (validated, immutable).
 *
 * @param name               the node's name in the tier
 * @param level              its role: super, regional or local serve the tier; worker and special join through it
 * @param region             its region ("" for none)
 * @param capacity           sessions a bootstrap node admits (MAX_CONNECTIONS); 0 = the level's default
 * @param join               workers and special nodes: join through the tier (true) or plain Kademlia
 * @param expectedWorkers    the deployment's expected worker count, for the selection strategy (0 = unknown)
 * @param leaseMillis        session lease granted by a bootstrap node
 * @param reportMillis       load-report period of a bootstrap node (also its parent-view refresh)
 * @param statsMillis        load-statistics log period; 0 = the seed's (30 s super, 60 s regional and local)
 * @param hopLimit           referrals a joining client follows before it tries its next candidate
 * @param viewMax            nodes per level asked for in a referral request
 * @param retryMinMillis     first delay before a client rebuilds its view after every candidate failed
 * @param retryMaxMillis     largest such delay (doubling)
 * @param workerTtlMillis    TTL of a worker registration in the DHT (re-put at half of it while the worker lives)
 */
public record TierSettings(String name, NodeRole level, String region, int capacity, boolean join, int expectedWorkers,
                           long leaseMillis, long reportMillis, long statsMillis, int hopLimit, int viewMax,
                           long retryMinMillis, long retryMaxMillis, long workerTtlMillis) {
    /** Default load-report period. */
    public static final long DEFAULT_REPORT_MILLIS = 5_000;
    /** Default referral hop limit. */
    public static final int DEFAULT_HOP_LIMIT = 3;
    /** Default nodes per level in a view request. */
    public static final int DEFAULT_VIEW_MAX = 16;
    /** Default TTL of a worker registration value. */
    public static final long DEFAULT_WORKER_TTL_MILLIS = 600_000;

    /** Validates. */
    public TierSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        region = region == null ? "" : region;
        if (capacity < 0) {
            throw new IllegalArgumentException("maxConnections must be >= 0, got " + capacity);
        }
        if (capacity == 0) {
            capacity = TierEnvironment.defaultCapacity(level);
        }
        if (expectedWorkers < 0) {
            throw new IllegalArgumentException("expectedWorkers must be >= 0, got " + expectedWorkers);
        }
        if (leaseMillis < 1_000) {
            throw new IllegalArgumentException("tierLeaseMillis must be >= 1000, got " + leaseMillis);
        }
        if (reportMillis < 100) {
            throw new IllegalArgumentException("tierReportMillis must be >= 100, got " + reportMillis);
        }
        if (statsMillis < 0) {
            throw new IllegalArgumentException("tierStatsMillis must be >= 0, got " + statsMillis);
        }
        if (statsMillis == 0 && level.isBootstrap()) {
            statsMillis = LoadStats.defaultPeriod(level).toMillis();
        }
        if (hopLimit < 0 || viewMax < 1 || retryMinMillis < 1 || retryMaxMillis < retryMinMillis || workerTtlMillis < 1_000) {
            throw new IllegalArgumentException("invalid tier retry, hop or view bounds");
        }
    }

    /** The defaults for a node: seed capacities and periods, 90 s lease, 5 s reports. */
    public static TierSettings defaults(String name, NodeRole level, String region) {
        return new TierSettings(name, level, region, 0, true, 0, SessionTable.DEFAULT_LEASE_MILLIS,
                DEFAULT_REPORT_MILLIS, 0, DEFAULT_HOP_LIMIT, DEFAULT_VIEW_MAX, 500, 10_000, DEFAULT_WORKER_TTL_MILLIS);
    }

    /** Copy with another capacity (0 = default). */
    public TierSettings withCapacity(int capacity) {
        return new TierSettings(name, level, region, capacity, join, expectedWorkers, leaseMillis, reportMillis,
                statsMillis, hopLimit, viewMax, retryMinMillis, retryMaxMillis, workerTtlMillis);
    }

    /** Copy with other periods. */
    public TierSettings withPeriods(long leaseMillis, long reportMillis, long statsMillis) {
        return new TierSettings(name, level, region, capacity, join, expectedWorkers, leaseMillis, reportMillis,
                statsMillis, hopLimit, viewMax, retryMinMillis, retryMaxMillis, workerTtlMillis);
    }

    /** Copy with another expected worker count and join flag. */
    public TierSettings withJoin(boolean join, int expectedWorkers) {
        return new TierSettings(name, level, region, capacity, join, expectedWorkers, leaseMillis, reportMillis,
                statsMillis, hopLimit, viewMax, retryMinMillis, retryMaxMillis, workerTtlMillis);
    }

    /** A staleness limit for load reports: {@link ChildLoadTable#DEFAULT_STALE_PERIODS} periods. */
    public int stalePeriods() {
        return ChildLoadTable.DEFAULT_STALE_PERIODS;
    }

    /** Freshness window of a regional's worker registry: at least the default, at least two leases. */
    public long registryFreshnessMillis() {
        return Math.max(WorkerRegistry.DEFAULT_FRESHNESS_MILLIS, 2 * leaseMillis);
    }
}
