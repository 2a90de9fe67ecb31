package io.cqkd.dht.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one run measured: filled by {@link BenchRun}, rendered by {@link Report}. Plain
 * public fields (a data-transfer object), so tests can build one by hand.
 */
public final class Results {
    public int nodes;
    public String topology;
    /** The bootstrap-selection strategy every node has bound. */
    public String selector = "";
    public int bootstrapNodes;
    public int k;
    public int readyThreshold;
    public long seedRandom;
    public int threads;
    public String transport;

    // join
    public double joinWallS = Double.NaN;
    public double startWindowS = Double.NaN;
    public double joinPhaseS = Double.NaN;
    public int ready;
    public int notReady;
    public int failedToStart;
    public final Stats nodeReadyMs = new Stats();
    public final Stats nodeCreateMs = new Stats();
    public double joinCpuS = Double.NaN;
    /** Sums over all nodes of selected core counters during the join phase (traffic per joiner). */
    public final java.util.Map<String, Long> joinTraffic = new java.util.LinkedHashMap<>();
    /** The same over the put and get phases. */
    public final java.util.Map<String, Long> opsTraffic = new java.util.LinkedHashMap<>();

    // bootstrap load: per bootstrap node, inbound datagrams during join and during put+get
    public final List<Long> bootstrapInboundJoin = new ArrayList<>();
    public final List<Long> bootstrapInboundOps = new ArrayList<>();
    public final List<Long> bootstrapInboundLookups = new ArrayList<>();
    /**
     * Inbound messages of the bootstrap nodes by kind (core Counters.inboundByType): per bootstrap
     * role ("seed" for flat seeds), summed over the nodes of that role, for the join and for the
     * put+get phases; and the busiest bootstrap node's own over the join.
     */
    public final java.util.Map<String, java.util.Map<String, Long>> bootstrapByTypeJoin = new java.util.LinkedHashMap<>();
    public final java.util.Map<String, java.util.Map<String, Long>> bootstrapByTypeOps = new java.util.LinkedHashMap<>();
    public final java.util.Map<String, Long> busiestByTypeJoin = new java.util.LinkedHashMap<>();
    public String busiestJoinNode = "";
    /** Inbound messages of every node by kind over the join phase (where the per-node traffic goes). */
    public final java.util.Map<String, Long> joinInboundByType = new java.util.LinkedHashMap<>();
    /** Every node's inbound messages by kind during the put phase (background traffic included). */
    public final java.util.Map<String, Long> putsInboundByType = new java.util.LinkedHashMap<>();
    /** Every node's inbound messages by kind during the get phase (background traffic included). */
    public final java.util.Map<String, Long> getsInboundByType = new java.util.LinkedHashMap<>();
    /** Null when the topology has no admission sessions (flat seeds). */
    public Long maxSessionsPeak;
    /** Null when the topology has no admission capacity (flat seeds). */
    public Long overCapacityEvents;
    /** Joins refused because a bootstrap node was full (tiered topologies), else null. */
    public Long refusedFull;

    // operations
    public final Op puts = new Op();
    public final Op gets = new Op();
    public final Op lookups = new Op();
    public int lookupsCorrect;
    /**
     * Wrong lookups by cause, diagnosed after the phase from the nodes' tables: the true closest node
     * is in none of the result nodes' tables ("unknown": its neighbourhood never learned it), or it
     * is in one or more ("known": the lookup was told of it, and it did not answer in time).
     */
    public int lookupsMissedUnknown;
    public int lookupsMissedKnown;
    /** Up to 10 wrong lookups: how many result nodes knew the missed node, its table size, its age. */
    public final List<String> lookupMissSamples = new ArrayList<>();
    public final Stats lookupHops = new Stats();

    // routing tables at the end of the run (read after the cost figures)
    /** Contacts per routing table. */
    public final Stats tableContacts = new Stats();
    /**
     * Per table, the empty buckets farther than its nearest non-empty one: the bucket refreshes the
     * node still owes (each one a lookup, once its join's deferred refresh runs) unless traffic
     * fills them first.
     */
    public final Stats emptyFartherBuckets = new Stats();
    public double opsCpuS = Double.NaN;

    // cost
    public double cpuS = Double.NaN;
    public double peakRssMb = Double.NaN;
    public double heapUsedMb = Double.NaN;
    public double heapUsedMbPer1000Nodes = Double.NaN;
    public double wallS = Double.NaN;
    public String jvm;
    public String jvmFlags;
    public int cores;
    public String loadAverageAtStart;
    public final List<String> notes = new ArrayList<>();

    /** One kind of operation: attempts, successes, failures by cause, latency of the successful ones. */
    public static final class Op {
        public int attempted;
        public int ok;
        public int failTimeout;
        public int failError;
        public int failWrong;
        public int notRun;
        public double wallS = Double.NaN;
        public final Stats ms = new Stats();
        public final List<String> sampleErrors = new ArrayList<>();
    }
}
