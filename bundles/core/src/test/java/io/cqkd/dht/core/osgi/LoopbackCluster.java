package io.cqkd.dht.core.osgi;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.failover.FailoverSink;
import io.cqkd.dht.tier.model.Topology;
import io.cqkd.dht.tier.model.TopologyNode;
import io.cqkd.dht.core.netty.UdpRuntime;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Real nodes on loopback UDP, each on an ephemeral port, sharing one {@link UdpRuntime}: the same
 * {@link NodeController} + Netty transport + engine stack the OSGi component runs.
 */
final class LoopbackCluster implements AutoCloseable {
    static final String LOOPBACK = InetAddress.getLoopbackAddress().getHostAddress();
    final UdpRuntime udp;
    final List<NodeController> nodes = new ArrayList<>();
    private final String defaultKey;

    LoopbackCluster(int threads, String defaultKey) {
        this.udp = new UdpRuntime(threads, 128 * 1024, true);
        this.defaultKey = defaultKey;
    }

    /** Starts a node on 127.0.0.1:0 with {@code extra} config attributes on top of fast test timeouts. */
    NodeController start(String name, List<InetSocketAddress> bootstrap, Object... extra) {
        NodeController n = create(name, bootstrap, extra);
        n.start();
        return n;
    }

    /** A node not started yet (tests start many in parallel). */
    synchronized NodeController create(String name, List<InetSocketAddress> bootstrap, Object... extra) {
        List<Object> kv = new ArrayList<>(List.of("bindHost", LOOPBACK, "port", 0,
                // generous timeouts: this 2-core machine is shared and often at load 10+
                "rpcTimeoutMillis", 2000L, "lookupPeerTimeoutMillis", 2000L, "lookupTimeoutMillis", 15000L,
                "maintenanceIntervalMillis", 1000L,
                "bootstrap", bootstrap.stream().map(a -> LOOPBACK + ":" + a.getPort()).toArray(String[]::new)));
        kv.addAll(Arrays.asList(extra));
        NodeController n = new NodeController(name, Configs.node(kv.toArray()), Map::of,
                new RuntimeContext(udp, defaultKey, Duration.ofSeconds(30)), KademliaEngines.FACTORY);
        nodes.add(n);
        return n;
    }

    /**
     * A worker not started yet that joins through the tier with the three-level selection
     * strategy, expecting {@code expectedWorkers}, reporting to the failover {@code sink}.
     */
    NodeController tierWorker(String name, List<InetSocketAddress> bootstrap, String region, int expectedWorkers,
                              FailoverSink sink) {
        NodeController w = create(name, bootstrap, "role", "worker", "region", region,
                "expectedWorkers", expectedWorkers);
        w.selectorChanged(TierUdpLoopbackTest.THREE_LEVEL);
        w.failoverSinkChanged(sink);
        return w;
    }

    /**
     * Starts the bootstrap tier of {@code topo} (supers know the supers started before them, every
     * other node its parent; report period 1 s), each bound to {@code sink} when not null, and
     * waits until every non-super node has reported once.
     */
    Map<String, NodeController> startTier(Topology topo, FailoverSink sink) throws InterruptedException {
        Map<String, NodeController> tier = new LinkedHashMap<>();
        for (TopologyNode t : topo.nodes()) {
            List<InetSocketAddress> up = new ArrayList<>();
            if (t.level() == NodeRole.SUPER) {
                topo.level(NodeRole.SUPER).stream().map(TopologyNode::name).filter(tier::containsKey)
                        .forEach(n -> up.add(address(tier.get(n))));
            } else {
                up.add(address(tier.get(t.parent())));
            }
            NodeController n = create(t.name(), up, "role", t.level().configName(), "region", t.region(),
                    "maxConnections", t.capacity(), "tierReportMillis", 1000L);
            if (sink != null) {
                n.failoverSinkChanged(sink);
            }
            n.start();
            tier.put(t.name(), n);
        }
        awaitTrue(() -> tier.values().stream().filter(n -> n.tierAgent().settings().level() != NodeRole.SUPER)
                .allMatch(n -> n.tierSnapshot().self().lastReportMillis() >= 0), Duration.ofSeconds(30), "tier formed");
        return tier;
    }

    /** The live node (other than {@code except}) whose id is XOR-closest to {@code target}. */
    static NodeId closestLive(NodeId target, Collection<NodeController> live, NodeController except) {
        return live.stream().filter(n -> n != except).map(NodeController::id)
                .min((a, b) -> target.compareDistance(a, b)).orElseThrow();
    }

    /** True when the lookup's closest answer is the true closest live node (the requester aside). */
    static boolean foundClosest(io.cqkd.dht.api.LookupResult r, Collection<NodeController> live,
                                NodeController requester) {
        return !r.closest().isEmpty()
                && r.closest().get(0).id().equals(closestLive(r.target(), live, requester));
    }

    static InetSocketAddress address(NodeController n) {
        return new InetSocketAddress(LOOPBACK, n.status().port());
    }

    static long awaitTrue(BooleanSupplier cond, Duration timeout, String what) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
        return (System.nanoTime() - t0) / 1_000_000L;
    }

    long countIn(NodeState s) {
        return nodes.stream().filter(n -> n.status().state() == s).count();
    }

    @Override
    public void close() {
        for (NodeController n : nodes) {
            n.stop();
        }
        udp.close();
    }
}
