package io.cqkd.dht.bench;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.RoutingSnapshot;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.core.engine.Counters;
import io.cqkd.dht.core.engine.Counters.Counter;
import io.cqkd.dht.core.netty.UdpRuntime;
import io.cqkd.dht.core.osgi.EmbeddedNodes;
import io.cqkd.dht.core.osgi.NodeController;
import io.cqkd.dht.select.adaptive.AdaptiveSelector;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One benchmark run: starts the bootstrap nodes of the {@link NetworkPlan}, creates the joiners in
 * batches, waits until every node is ready (routing table >= k/2), then runs the puts, the gets and
 * the lookups, and measures cost. Every node is a real node of the product (an
 * {@link EmbeddedNodes} {@link NodeController}: settings, codec, Netty socket on the shared
 * {@link UdpRuntime}, Kademlia engine) bound to 127.0.0.1 on an ephemeral port. Every phase is
 * bounded; {@link #run()} returns when all are over.
 */
public final class BenchRun {
    private static final String LOOPBACK = "127.0.0.1";
    private static final HexFormat HEX = HexFormat.of();

    private final BenchOptions o;
    private final NetworkPlan plan;
    private final Progress progress;
    private final SplittableRandom rnd;
    private final Results r = new Results();

    /**
     * The bootstrap-selection strategy every node has bound, as in the container (a node's
     * {@code selector.target} defaults to {@code (strategy=adaptive)}): a worker's tier join takes
     * the view round and the strategy's choice, not only its configured list.
     */
    private final BootstrapSelector selector = new AdaptiveSelector();

    private NodeController[] nodes;
    private NodeId[] ids;
    private long[] createdNanos;
    private long[] readyNanos;
    private int created;
    /** Starts the nodes of a batch concurrently (daemon threads). */
    private final java.util.concurrent.ExecutorService starter = java.util.concurrent.Executors.newFixedThreadPool(8, t -> {
        Thread th = new Thread(t, "cqkd-bench-start");
        th.setDaemon(true);
        return th;
    });

    /** A run of {@code plan} with {@code options}; progress goes to {@code progress}. */
    public BenchRun(BenchOptions options, NetworkPlan plan, Progress progress) {
        this.o = options;
        this.plan = plan;
        this.progress = progress;
        this.rnd = new SplittableRandom(options.seedRandom());
    }

    /** Runs all phases and returns the figures. */
    public Results run() throws InterruptedException {
        long runStart = System.nanoTime();
        r.nodes = o.nodes();
        r.topology = plan.topology().cliName();
        r.selector = selector.name();
        r.bootstrapNodes = plan.bootstrapNodes().size();
        r.k = o.k();
        // k/2 contacts, or every other node a joiner can hold (firstWorker on) in a network smaller
        // than that: else no node could be ready
        r.readyThreshold = Math.max(1, Math.min(o.k() / 2, o.nodes() - firstWorker() - 1));
        r.seedRandom = o.seedRandom();
        r.cores = Runtime.getRuntime().availableProcessors();
        r.jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        r.jvmFlags = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
        r.loadAverageAtStart = ProcessMetrics.loadAverage();

        nodes = new NodeController[o.nodes()];
        ids = new NodeId[o.nodes()];
        createdNanos = new long[o.nodes()];
        readyNanos = new long[o.nodes()];

        UdpRuntime udp = new UdpRuntime(o.threads(), UdpRuntime.DEFAULT_RECEIVE_BUFFER_BYTES, true);
        r.threads = udp.threads();
        r.transport = udp.epoll() ? "epoll" : "nio";
        EmbeddedNodes embedded = new EmbeddedNodes(udp, "", Duration.ofSeconds(30));
        try {
            double heapBefore = ProcessMetrics.heapUsedAfterGcMb();
            startBootstrapNodes(embedded);
            Thread.sleep(1000);
            join(embedded);
            if (created < o.nodes()) {
                r.notes.add("join bound expired before every node was created: " + created + " of " + o.nodes());
            }
            operations();
            tierLoad();
            r.cpuS = ProcessMetrics.cpuSeconds();
            r.peakRssMb = ProcessMetrics.peakRssMb();
            r.wallS = (System.nanoTime() - runStart) / 1e9;
            r.heapUsedMb = ProcessMetrics.heapUsedAfterGcMb();
            r.heapUsedMbPer1000Nodes = (r.heapUsedMb - heapBefore) * 1000.0 / Math.max(1, created);
            // after the cost figures: reading every table is no part of the run
            List<RoutingSnapshot> tables = routingTables();
            try {
                diagnose(misses, tables);
            } catch (RuntimeException e) {
                r.notes.add("diagnosis of the wrong lookups failed: " + e);
            }
        } finally {
            progress.phase("shutdown");
            starter.shutdownNow();
            for (int i = 0; i < created; i++) {
                try {
                    nodes[i].stop();
                } catch (RuntimeException e) {
                    // the process ends anyway; the figures are taken
                }
            }
            udp.close();
        }
        return r;
    }

    // ---------------------------------------------------------------------------------------------

    /** The node's configuration attributes; draws its id from the run's random source (call in node order). */
    private Map<String, Object> attributes(String name, String role, String region, List<InetSocketAddress> bootstrap,
                                           Map<String, Object> extra) {
        byte[] id = new byte[NodeId.BYTES];
        rnd.nextBytes(id);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", name);
        a.put("role", role);
        if (!region.isEmpty()) {
            a.put("region", region);
        }
        a.put("bindHost", LOOPBACK);
        a.put("port", 0);
        a.put("nodeId", HEX.formatHex(id));
        a.put("k", o.k());
        a.put("alpha", Math.min(3, o.k()));
        a.put("bootstrap", bootstrap.stream().map(b -> LOOPBACK + ":" + b.getPort()).toArray(String[]::new));
        a.putAll(extra);
        return a;
    }

    /** Creates and starts node {@code index} (binds its socket, starts its engine); safe from any thread. */
    private NodeController startNode(EmbeddedNodes embedded, int index, String name, Map<String, Object> attributes) {
        long t = System.nanoTime();
        NodeController n = embedded.create(name, attributes);
        n.selectorChanged(selector);
        n.start();
        createdNanos[index] = System.nanoTime();
        synchronized (r.nodeCreateMs) {
            r.nodeCreateMs.add((createdNanos[index] - t) / 1e6);
        }
        nodes[index] = n;
        ids[index] = n.id();
        return n;
    }

    private NodeController newNode(EmbeddedNodes embedded, int index, String name, String role, String region,
                                   List<InetSocketAddress> bootstrap) {
        NodeController n = startNode(embedded, index, name, attributes(name, role, region, bootstrap,
                plan.bootstrapAttributes(index)));
        created = index + 1;
        return n;
    }

    /**
     * Creates nodes {@code from..to-1} as one batch: their sockets are bound and engines started
     * concurrently (as the peers' harnesses create a batch without waiting for each socket), so a
     * busy event loop delays the batch once, not once per node.
     */
    private void newBatch(EmbeddedNodes embedded, int from, int to) throws InterruptedException {
        List<java.util.concurrent.Callable<NodeController>> tasks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int idx = i;
            String name = "node-" + i;
            int joiner = i - r.bootstrapNodes;
            Map<String, Object> a = attributes(name, "worker", plan.joinerRegion(joiner),
                    plan.joinerBootstrap(joiner, bootstrapAddresses), plan.joinerAttributes());
            tasks.add(() -> startNode(embedded, idx, name, a));
        }
        for (java.util.concurrent.Future<NodeController> f : starter.invokeAll(tasks)) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("node start failed: " + e.getCause(), e.getCause());
            }
        }
        created = to;
    }

    private static boolean started(NodeController n) {
        NodeState s = n.status().state();
        return s != NodeState.FAILED && s != NodeState.STOPPED && s != NodeState.WAITING_FOR_PORT;
    }

    private InetSocketAddress address(NodeController n) {
        return new InetSocketAddress(LOOPBACK, n.status().port());
    }

    private void startBootstrapNodes(EmbeddedNodes embedded) {
        progress.phase("bootstrap");
        List<NetworkPlan.BootstrapNode> boot = plan.bootstrapNodes();
        List<InetSocketAddress> started = new ArrayList<>();
        for (int i = 0; i < boot.size(); i++) {
            NetworkPlan.BootstrapNode b = boot.get(i);
            NodeController n = newNode(embedded, i, b.name(), b.role(), b.region(), plan.bootstrapOf(i, started));
            if (!started(n)) {
                throw new IllegalStateException("bootstrap node " + b.name() + " did not start: " + n.status().detail());
            }
            started.add(address(n));
        }
        bootstrapAddresses = List.copyOf(started);
        // a tier needs its bootstrap nodes joined to each other before workers arrive (flat: seed 1 knows seed 0)
        int want = Math.min(r.readyThreshold, boot.size() - 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() - deadline < 0) {
            boolean all = true;
            for (int i = 0; i < boot.size() && all; i++) {
                all = EmbeddedNodes.routingTableSize(nodes[i]) >= want;
            }
            if (all) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sessions peak, capacity breaches and full refusals of the tier's bootstrap nodes (null for flat seeds). */
    private void tierLoad() {
        long peak = 0;
        long over = 0;
        long refusedFull = 0;
        boolean any = false;
        for (int i = 0; i < r.bootstrapNodes; i++) {
            int cap = plan.capacity(i);
            if (cap < 0) {
                continue;
            }
            any = true;
            var snap = nodes[i].tierSnapshot();
            peak = Math.max(peak, snap.peak());
            if (snap.peak() > cap) {
                over++;
            }
            refusedFull += snap.counters().getOrDefault("refused_full", 0L);
        }
        if (any) {
            r.maxSessionsPeak = peak;
            r.overCapacityEvents = over;
            r.refusedFull = refusedFull;
        }
    }

    private List<InetSocketAddress> bootstrapAddresses = List.of();

    private long[] bootstrapInbound() {
        int b = r.bootstrapNodes;
        long[] v = new long[b];
        for (int i = 0; i < b; i++) {
            v[i] = EmbeddedNodes.counters(nodes[i]).get(Counter.DATAGRAMS_IN);
        }
        return v;
    }

    private static final Counters.MessageType[] TYPES = Counters.MessageType.values();

    /** Per node {@code from..to-1}, inbound messages by kind (index = MessageType ordinal). */
    private long[][] byType(int from, int to) {
        long[][] v = new long[Math.max(0, to - from)][];
        for (int i = from; i < to; i++) {
            var c = EmbeddedNodes.counters(nodes[i]);
            long[] row = new long[TYPES.length];
            for (Counters.MessageType t : TYPES) {
                row[t.ordinal()] = c.received(t);
            }
            v[i - from] = row;
        }
        return v;
    }

    private static void putTypes(Map<String, Long> to, long[] counts) {
        for (Counters.MessageType t : TYPES) {
            if (counts[t.ordinal()] != 0) {
                to.merge(t.label(), counts[t.ordinal()], Long::sum);
            }
        }
    }

    /** Node {@code i}'s inbound kinds between two {@link #byType} snapshots (a node absent before counts from 0). */
    private static long[] since(long[][] after, long[][] before, int i) {
        long[] d = after[i].clone();
        if (i < before.length) {
            for (int t = 0; t < d.length; t++) {
                d[t] -= before[i][t];
            }
        }
        return d;
    }

    /** Every node's inbound kinds between two {@link #byType} snapshots, summed. */
    private static void sumTypes(Map<String, Long> to, long[][] after, long[][] before) {
        for (int i = 0; i < after.length; i++) {
            putTypes(to, since(after, before, i));
        }
    }

    /** Bootstrap nodes' inbound kinds between two {@link #byType} snapshots, summed per role. */
    private void bootstrapTypes(Map<String, Map<String, Long>> to, long[][] after, long[][] before) {
        List<NetworkPlan.BootstrapNode> boot = plan.bootstrapNodes();
        for (int i = 0; i < after.length && i < boot.size(); i++) {
            String role = plan.topology() == Topology.FLAT ? "seed" : boot.get(i).role();
            putTypes(to.computeIfAbsent(role, x -> new java.util.LinkedHashMap<>()), since(after, before, i));
        }
    }

    private static final Counter[] TRAFFIC = {Counter.DATAGRAMS_IN, Counter.DATAGRAMS_OUT, Counter.BYTES_OUT,
            Counter.REQUESTS_OUT, Counter.RPC_RETRIES, Counter.RPC_TIMEOUTS, Counter.LOOKUPS, Counter.DROPPED_RATE_LIMITED,
            Counter.RPC_OVERLOADED, Counter.VALUES_REPLICATED, Counter.EVICTIONS, Counter.LOOKUPS_GUIDED};

    /** Sums of {@link #TRAFFIC} over every node created so far. */
    private long[] traffic() {
        long[] v = new long[TRAFFIC.length];
        for (int i = 0; i < created; i++) {
            var c = EmbeddedNodes.counters(nodes[i]);
            for (int j = 0; j < TRAFFIC.length; j++) {
                v[j] += c.get(TRAFFIC[j]);
            }
        }
        return v;
    }

    private static void putDiff(Map<String, Long> to, long[] after, long[] before) {
        for (int j = 0; j < TRAFFIC.length; j++) {
            to.put(TRAFFIC[j].name().toLowerCase(java.util.Locale.ROOT), after[j] - before[j]);
        }
    }

    private static void addDiff(List<Long> to, long[] after, long[] before) {
        for (int i = 0; i < after.length; i++) {
            to.add(after[i] - before[i]);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Join

    private void join(EmbeddedNodes embedded) throws InterruptedException {
        progress.phase("join");
        int threshold = r.readyThreshold;
        double cpu0 = ProcessMetrics.cpuSeconds();
        long[] inbound0 = bootstrapInbound();
        long[] traffic0 = traffic();
        long[][] types0 = byType(0, created);
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(o.joinTimeoutS());
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(o.batchIntervalMs());
        long pollNanos = TimeUnit.MILLISECONDS.toNanos(100);
        int[] pending = new int[o.nodes()];
        int pendingCount = 0;
        for (int i = 0; i < created; i++) {
            pending[pendingCount++] = i;
        }
        long nextBatch = t0;
        long nextPoll = t0;
        long lastCreated = t0;
        long lastReadySeen = t0;
        while (true) {
            long now = System.nanoTime();
            if (created < o.nodes() && now - nextBatch >= 0 && now - deadline < 0) {
                int begin = created;
                int end = Math.min(o.nodes(), created + o.batchSize());
                newBatch(embedded, begin, end);
                for (int i = begin; i < end; i++) {
                    NodeController n = nodes[i];
                    if (started(n)) {
                        pending[pendingCount++] = i;
                    } else {
                        r.failedToStart++;
                        if (r.notes.size() < 5) {
                            r.notes.add("node-" + i + " did not start: " + n.status().detail());
                        }
                    }
                }
                lastCreated = System.nanoTime();
                nextBatch = lastCreated + intervalNanos;
                progress.join(created, o.nodes(), created - pendingCount - r.failedToStart);
            }
            now = System.nanoTime();
            if (now - nextPoll >= 0) {
                long pollTime = now;
                int w = 0;
                for (int j = 0; j < pendingCount; j++) {
                    int i = pending[j];
                    if (EmbeddedNodes.routingTableSize(nodes[i]) >= threshold) {
                        readyNanos[i] = pollTime;
                        lastReadySeen = pollTime;
                    } else {
                        pending[w++] = i;
                    }
                }
                pendingCount = w;
                nextPoll = Math.max(nextPoll + pollNanos, System.nanoTime() - pollNanos + 1);
                progress.join(created, o.nodes(), created - pendingCount - r.failedToStart);
            }
            if (created == o.nodes() && pendingCount == 0) {
                break;
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            long wake = created < o.nodes() ? Math.min(nextBatch, nextPoll) : nextPoll;
            long sleep = wake - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        long end = System.nanoTime();
        r.joinPhaseS = (end - t0) / 1e9;
        r.startWindowS = (lastCreated - t0) / 1e9;
        r.notReady = pendingCount + (o.nodes() - created) + r.failedToStart;
        r.ready = o.nodes() - r.notReady;
        r.joinWallS = pendingCount == 0 && created == o.nodes() ? (lastReadySeen - t0) / 1e9 : Double.NaN;
        for (int i = r.bootstrapNodes; i < created; i++) {
            if (readyNanos[i] != 0) {
                r.nodeReadyMs.add((readyNanos[i] - createdNanos[i]) / 1e6);
            }
        }
        addDiff(r.bootstrapInboundJoin, bootstrapInbound(), inbound0);
        putDiff(r.joinTraffic, traffic(), traffic0);
        long[][] types1 = byType(0, created);
        bootstrapTypes(r.bootstrapByTypeJoin, java.util.Arrays.copyOf(types1, r.bootstrapNodes), types0);
        int busiest = 0;
        for (int i = 1; i < r.bootstrapInboundJoin.size(); i++) {
            if (r.bootstrapInboundJoin.get(i) > r.bootstrapInboundJoin.get(busiest)) {
                busiest = i;
            }
        }
        if (r.bootstrapNodes > 0) {
            putTypes(r.busiestByTypeJoin, since(types1, types0, busiest));
            r.busiestJoinNode = plan.bootstrapNodes().get(busiest).name();
        }
        for (int i = 0; i < types1.length; i++) {
            putTypes(r.joinInboundByType, since(types1, types0, i));
        }
        r.joinCpuS = ProcessMetrics.cpuSeconds() - cpu0;
    }

    // ---------------------------------------------------------------------------------------------
    // Operations

    /** A non-bootstrap node that started, other than {@code except} (-1 for none). */
    private int randomWorker(int except) {
        int lo = r.bootstrapNodes;
        int n = created - lo;
        if (n <= 0 || (n == 1 && except == lo)) {
            return -1;
        }
        for (int tries = 0; tries < 1000; tries++) {
            int i = lo + rnd.nextInt(n);
            if (i != except && readyNanos[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    private void operations() throws InterruptedException {
        double cpu0 = ProcessMetrics.cpuSeconds();
        long[] inbound0 = bootstrapInbound();
        long[] traffic0 = traffic();
        long[][] types0 = byType(0, created); // every node: the put and get phases; its first rows: the bootstrap nodes
        int p = o.puts();
        String[] keys = new String[p];
        String[] values = new String[p];
        int[] putter = new int[p];
        for (int i = 0; i < p; i++) {
            byte[] v = new byte[32];
            rnd.nextBytes(v);
            values[i] = "\"" + HEX.formatHex(v) + "\"";
            keys[i] = HEX.formatHex(sha256(v));
            putter[i] = randomWorker(-1);
        }
        boolean[] putOk = new boolean[p];
        progress.phase("put");
        phase(r.puts, p, i -> {
            int n = putter[i];
            if (n < 0) {
                return null;
            }
            return nodes[n].put(keys[i], values[i], Duration.ofHours(1)).toCompletableFuture().thenApply(res -> {
                putOk[i] = true;
                return Boolean.TRUE;
            });
        });
        long[][] types1 = byType(0, created);
        sumTypes(r.putsInboundByType, types1, types0);
        progress.phase("get");
        int g = o.gets();
        phase(r.gets, g, j -> {
            int i = j % p;
            int n = randomWorker(putter[i]);
            if (n < 0) {
                return null;
            }
            NodeController getter = nodes[n];
            return getter.get(keys[i]).toCompletableFuture().thenApply((Optional<DhtValue> v) -> {
                if (v.isEmpty() || !values[i].equals(v.get().json())) {
                    return Boolean.FALSE;
                }
                return Boolean.TRUE;
            });
        });
        long[][] types2 = byType(0, created);
        sumTypes(r.getsInboundByType, types2, types1);
        addDiff(r.bootstrapInboundOps, bootstrapInbound(), inbound0);
        bootstrapTypes(r.bootstrapByTypeOps, types2, types0);
        putDiff(r.opsTraffic, traffic(), traffic0);
        r.opsCpuS = ProcessMetrics.cpuSeconds() - cpu0;

        progress.phase("lookup");
        long[] inbound1 = bootstrapInbound();
        int l = o.lookups();
        String[] lkeys = new String[l];
        int[] from = new int[l];
        for (int i = 0; i < l; i++) {
            byte[] v = new byte[16];
            rnd.nextBytes(v);
            lkeys[i] = "lookup-" + HEX.formatHex(v);
            from[i] = randomWorker(-1);
        }
        phase(r.lookups, l, i -> {
            if (from[i] < 0) {
                return null;
            }
            NodeId target = NodeId.ofKey(lkeys[i]);
            return nodes[from[i]].lookup(lkeys[i]).toCompletableFuture().thenApply((LookupResult res) -> {
                synchronized (r) {
                    r.lookupHops.add(res.hops());
                    List<Contact> c = res.closest();
                    NodeId best = trueClosest(target, from[i]);
                    if (!c.isEmpty() && c.get(0).id().equals(best)) {
                        r.lookupsCorrect++;
                    } else if (best != null) {
                        misses.add(new Miss(best, c, from[i], lkeys[i]));
                    }
                }
                return Boolean.TRUE;
            });
        });
        addDiff(r.bootstrapInboundLookups, bootstrapInbound(), inbound1);
    }

    /** A wrong lookup: the node it should have found first, and what it found. */
    private record Miss(NodeId missed, List<Contact> found, int origin, String key) { }

    /** How long a run with wrong lookups waits before it asks them again (does the network heal?). */
    private static final long RECHECK_AFTER_MILLIS = 30_000;

    /** The wrong lookups of the lookup phase (guarded by {@code r}), diagnosed once the figures are taken. */
    private final List<Miss> misses = new ArrayList<>();

    /**
     * Sorts the wrong lookups by cause (Results#lookupsMissedUnknown): whether any node the lookup
     * found holds the missed node in its table; when there are any, also how the tables connect
     * ({@link #components}). Runs after the cost figures are taken (a table is read on its node's
     * engine thread, which the lookups' callbacks run on; {@code snapshots} as read by {@link #routingTables}).
     */
    private void diagnose(List<Miss> misses, List<RoutingSnapshot> snapshots) {
        if (misses.isEmpty()) {
            return;
        }
        // every node's table, read once: the figures below all come from this one view
        Map<NodeId, Integer> index = new HashMap<>();
        List<Set<NodeId>> tables = new ArrayList<>(created);
        for (int i = 0; i < created; i++) {
            if (ids[i] != null) {
                index.put(ids[i], i);
            }
            tables.add(snapshots.get(i) == null ? Set.of() : contactIds(snapshots.get(i)));
        }
        long now = System.nanoTime();
        components(index, tables);
        for (Miss m : misses) {
            int knownBy = 0;
            for (Contact c : m.found()) {
                Integer at = index.get(c.id());
                if (at != null && tables.get(at).contains(m.missed())) {
                    knownBy++;
                }
            }
            if (knownBy == 0) {
                r.lookupsMissedUnknown++;
            } else {
                r.lookupsMissedKnown++;
            }
            if (r.lookupMissSamples.size() < 10) {
                int at = index.getOrDefault(m.missed(), -1);
                String age = at < 0 || readyNanos[at] == 0 ? "not ready" : f1((now - readyNanos[at]) / 1e9) + " s ready";
                String sample = "known by " + knownBy + " of " + m.found().size() + " result nodes; missed node";
                if (at >= 0) {
                    // both directions with its true neighbourhood: does it know them, do they know it
                    List<Integer> near = closestWorkers(ids[at], at, 20);
                    int knows = 0;
                    int knownByNear = 0;
                    for (int j : near) {
                        knows += tables.get(at).contains(ids[j]) ? 1 : 0;
                        knownByNear += tables.get(j).contains(ids[at]) ? 1 : 0;
                    }
                    sample += " #" + at + " of " + created + ", " + tables.get(at).size() + " contacts, " + age
                            + ", knows " + knows + " and is known by " + knownByNear + " of its " + near.size()
                            + " closest";
                }
                r.lookupMissSamples.add(sample);
            }
        }
        recheck(misses);
    }

    /**
     * Asks the wrong lookups again, from the same nodes, {@link #RECHECK_AFTER_MILLIS} later, and
     * notes how many are right now: whether the network mends what its join left (second self
     * lookups, replication, traffic) or keeps it.
     */
    private void recheck(List<Miss> misses) {
        try {
            Thread.sleep(RECHECK_AFTER_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        // at most 200 asked, all at once, and all awaited within one 30 s bound
        List<Miss> asked = misses.subList(0, Math.min(200, misses.size()));
        List<CompletableFuture<LookupResult>> futures = new ArrayList<>();
        for (Miss m : asked) {
            futures.add(nodes[m.origin()].lookup(m.key()).toCompletableFuture());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int right = 0;
        for (int i = 0; i < asked.size(); i++) {
            Miss m = asked.get(i);
            try {
                LookupResult res = futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                NodeId target = NodeId.ofKey(m.key());
                if (!res.closest().isEmpty() && res.closest().get(0).id().equals(trueClosest(target, m.origin()))) {
                    right++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // counted as still wrong
            }
        }
        r.notes.add("the " + asked.size() + " wrong lookups asked again " + RECHECK_AFTER_MILLIS / 1000 + " s later: "
                + right + " right");
    }

    /**
     * The workers' routing tables as an undirected graph (an edge when either holds the other): its
     * connected components, largest first, as a note, and for each component but the largest the
     * bootstrap nodes that hold its members. A network split in two reads "components 920, 80".
     */
    private void components(Map<NodeId, Integer> index, List<Set<NodeId>> tables) {
        int from = firstWorker();
        int[] parent = new int[created];
        for (int i = 0; i < created; i++) {
            parent[i] = i;
        }
        for (int i = from; i < created; i++) {
            for (NodeId x : tables.get(i)) {
                Integer j = index.get(x);
                if (j != null && j >= from) {
                    parent[find(parent, i)] = find(parent, j);
                }
            }
        }
        Map<Integer, Integer> sizes = new HashMap<>();
        for (int i = from; i < created; i++) {
            if (ids[i] != null) {
                sizes.merge(find(parent, i), 1, Integer::sum);
            }
        }
        List<Map.Entry<Integer, Integer>> comps = new ArrayList<>(sizes.entrySet());
        comps.sort((a, b) -> b.getValue() - a.getValue());
        StringBuilder note = new StringBuilder("workers' tables form " + comps.size() + " component(s): ");
        for (int c = 0; c < Math.min(5, comps.size()); c++) {
            note.append(c == 0 ? "" : ", ").append(comps.get(c).getValue());
        }
        for (int c = 1; c < Math.min(3, comps.size()); c++) {
            int root = comps.get(c).getKey();
            StringBuilder holders = new StringBuilder();
            for (int b = 0; b < from; b++) {
                int in = 0;
                int all = 0;
                for (NodeId x : tables.get(b)) {
                    Integer j = index.get(x);
                    if (j != null && j >= from) {
                        all++;
                        in += find(parent, j) == root ? 1 : 0;
                    }
                }
                if (in > 0) {
                    holders.append(' ').append(plan.bootstrapNodes().get(b).name()).append('=').append(in).append('/').append(all);
                }
            }
            note.append("; component ").append(c + 1).append(" held by bootstrap nodes:").append(holders);
        }
        // how much of its true neighbourhood each worker knows (lookups converge on it)
        List<Integer> workers = new ArrayList<>();
        for (int i = from; i < created; i++) {
            if (ids[i] != null) {
                workers.add(i);
            }
        }
        Stats known = new Stats();
        int step = Math.max(1, workers.size() / 1000); // at most ~1000 sampled: each sorts every worker
        for (int w = 0; w < workers.size(); w += step) {
            int i = workers.get(w);
            int k = 0;
            for (int j : closestWorkers(ids[i], i, 20)) {
                k += tables.get(i).contains(ids[j]) ? 1 : 0;
            }
            known.add(k);
        }
        note.append("; of its 20 closest workers a worker knows p50 ").append(f1(known.p50()))
                .append(", p1 ").append(f1(known.percentile(1)));
        r.notes.add(note.toString());
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /**
     * Every created node's table, read once (null where a node has no id); the contacts and empty
     * farther buckets of the ready ones go to Results#emptyFartherBuckets.
     */
    private List<RoutingSnapshot> routingTables() {
        progress.phase("routing tables");
        List<RoutingSnapshot> out = new ArrayList<>(created);
        for (int i = 0; i < created; i++) {
            RoutingSnapshot snapshot = ids[i] == null ? null : nodes[i].routes();
            out.add(snapshot);
            if (snapshot == null || readyNanos[i] == 0) {
                continue;
            }
            r.tableContacts.add(snapshot.size());
            // buckets with contacts, nearest first (a snapshot also lists those with only replacements)
            List<RoutingSnapshot.Bucket> held = snapshot.buckets().stream().filter(x -> !x.contacts().isEmpty()).toList();
            if (!held.isEmpty()) {
                int farther = NodeId.BITS - 1 - held.get(0).index();
                r.emptyFartherBuckets.add(farther - (held.size() - 1));
            }
        }
        return out;
    }

    /** The ids in a routing table. */
    private static Set<NodeId> contactIds(RoutingSnapshot snapshot) {
        Set<NodeId> out = new HashSet<>();
        snapshot.buckets().forEach(b -> b.contacts().forEach(c -> out.add(c.id())));
        return out;
    }

    /** Indexes of the {@code n} workers (all nodes when flat) closest to {@code target}, {@code exclude} left out. */
    private List<Integer> closestWorkers(NodeId target, int exclude, int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = firstWorker(); i < created; i++) {
            if (i != exclude && ids[i] != null) {
                all.add(i);
            }
        }
        all.sort((a, b) -> target.compareDistance(ids[a], ids[b]));
        return all.subList(0, Math.min(n, all.size()));
    }

    /**
     * The first node index that a lookup may return: 0 when flat, else past the bootstrap nodes (a
     * tier's bootstrap nodes are entry points, not lookup results for workers: KademliaNode.entryPointOnly).
     */
    private int firstWorker() {
        return plan.topology() == Topology.FLAT ? 0 : r.bootstrapNodes;
    }

    private static String f1(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    /**
     * The closest node id to {@code target} among all started nodes except {@code exclude} (a lookup
     * never returns its origin) and, in a tier, the bootstrap nodes (a worker's lookups never return them).
     */
    private NodeId trueClosest(NodeId target, int exclude) {
        NodeId best = null;
        for (int i = firstWorker(); i < created; i++) {
            if (i == exclude || ids[i] == null) {
                continue;
            }
            if (best == null || target.compareDistance(ids[i], best) < 0) {
                best = ids[i];
            }
        }
        return best;
    }

    /**
     * Runs {@code count} operations with at most {@code inflight} outstanding, each bounded by the
     * op timeout and the whole phase by the phase timeout. An operation's future yields TRUE (ok),
     * FALSE (wrong or missing value) or fails; null means it could not be issued.
     */
    private void phase(Results.Op op, int count, Function<Integer, CompletableFuture<Boolean>> start)
            throws InterruptedException {
        Semaphore slots = new Semaphore(o.inflight());
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(o.phaseTimeoutS());
        Object lock = new Object();
        int issued = 0;
        for (int i = 0; i < count; i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            CompletableFuture<Boolean> f;
            long opStart = System.nanoTime();
            try {
                f = start.apply(i);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            issued++;
            if (f == null) {
                synchronized (lock) {
                    op.attempted++;
                    op.failError++;
                    sample(op, "no node to run the operation on");
                }
                slots.release();
                continue;
            }
            f.orTimeout(o.opTimeoutS(), TimeUnit.SECONDS).whenComplete((ok, err) -> {
                double ms = (System.nanoTime() - opStart) / 1e6;
                synchronized (lock) {
                    op.attempted++;
                    if (err == null && Boolean.TRUE.equals(ok)) {
                        op.ok++;
                        op.ms.add(ms);
                    } else if (err == null) {
                        op.failWrong++;
                    } else {
                        Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                        if (c instanceof TimeoutException) {
                            op.failTimeout++;
                        } else {
                            op.failError++;
                            sample(op, c.toString());
                        }
                    }
                    progress.ops(op.attempted, count, op.ok);
                }
                slots.release();
            });
        }
        // wait for the operations in flight (each is bounded by the op timeout, the phase by its own bound)
        long left = Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(o.opTimeoutS()) + 1_000_000_000L);
        if (slots.tryAcquire(o.inflight(), left, TimeUnit.NANOSECONDS)) {
            slots.release(o.inflight());
        }
        synchronized (lock) {
            op.notRun = count - issued;
            op.failTimeout += Math.max(0, issued - op.attempted);
            op.attempted = Math.max(op.attempted, issued);
            op.wallS = (System.nanoTime() - t0) / 1e9;
        }
    }

    private static void sample(Results.Op op, String error) {
        if (op.sampleErrors.size() < 5) {
            op.sampleErrors.add(error);
        }
    }

    private static byte[] sha256(byte[] v) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(v);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
