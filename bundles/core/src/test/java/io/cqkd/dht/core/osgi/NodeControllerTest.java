package io.cqkd.dht.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.DhtError;
import io.cqkd.dht.api.DhtException;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.ports.NoStrategyException;
import io.cqkd.dht.api.ports.PortAllocationService;
import io.cqkd.dht.api.ports.PortLease;
import io.cqkd.dht.api.ports.PortRequest;
import io.cqkd.dht.core.netty.UdpRuntime;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeControllerTest {
    private final UdpRuntime udp = new UdpRuntime(1, 0, true);
    private final RuntimeContext runtime = new RuntimeContext(udp, "", Duration.ofSeconds(30));
    private final List<NodeController> nodes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        nodes.forEach(NodeController::stop);
        udp.close();
    }

    private NodeController node(Map<String, String> env, Object... kv) {
        List<Object> all = new ArrayList<>(List.of("bindHost", "127.0.0.1"));
        all.addAll(List.of(kv));
        NodeController n = new NodeController("test-node", Configs.node(all.toArray()), () -> env, runtime,
                KademliaEngines.FACTORY);
        nodes.add(n);
        return n;
    }

    /** A port-allocation service that binds an ephemeral port and records the lease. */
    static final class FakePorts implements PortAllocationService {
        final List<PortRequest> requests = new ArrayList<>();
        final AtomicBoolean released = new AtomicBoolean();

        @Override
        public PortLease allocate(PortRequest request, io.cqkd.dht.api.ports.PortBinder binder) {
            requests.add(request);
            int port = request.explicitPort().orElse(0);
            assertTrue(binder.tryBind(port));
            return new PortLease() {
                @Override
                public int port() {
                    return port;
                }

                @Override
                public String strategy() {
                    return "fake";
                }

                @Override
                public void close() {
                    released.set(true);
                }
            };
        }
    }

    @Test
    void allocatedPortWaitsForTheServiceThenStartsAndReleasesTheLease() throws Exception {
        NodeController n = node(Map.of(), "port", -1, "role", "regional");
        n.start();
        assertEquals(NodeState.WAITING_FOR_PORT, n.status().state());
        assertTrue(n.status().detail().contains("waiting for a port-allocation strategy bundle"), n.status().detail());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> n.get("k").toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(DhtError.STOPPED, assertInstanceOf(DhtException.class, e.getCause()).error());
        assertEquals("regional", n.serviceProperties().get(DhtNode.PROP_ROLE));

        FakePorts ports = new FakePorts();
        n.portServiceChanged(ports);
        assertEquals(1, ports.requests.size());
        assertEquals(NodeRole.REGIONAL, ports.requests.get(0).role());
        assertEquals("test-node", ports.requests.get(0).nodeName());
        LoopbackCluster.awaitTrue(() -> n.status().state() == NodeState.READY, Duration.ofSeconds(5), "READY");
        int port = n.status().port();
        assertNotEquals(0, port);
        n.stop();
        assertTrue(ports.released.get(), "lease released on stop");
        assertEquals(NodeState.STOPPED, n.status().state());
        try (DatagramSocket s = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            assertEquals(port, s.getLocalPort(), "socket closed on stop");
        }
    }

    @Test
    void invalidEnvironmentFailsWithAOneLineReason() {
        NodeController n = node(Map.of("DHT_PORT", "99999"), "useEnvironment", true, "port", 0);
        n.start();
        assertEquals(NodeState.FAILED, n.status().state());
        assertTrue(n.status().detail().contains("DHT_PORT"), n.status().detail());
        assertFalse(n.status().detail().contains("\n"));
        assertNotNull(n.id());
        assertNotNull(n.serviceProperties().get(DhtNode.PROP_ID));
        // the environment is applied when valid
        NodeController ok = node(Map.of("NODE_ID", "worker-17", "BOOTSTRAP_LEVEL", "local", "REGION", "south"),
                "useEnvironment", true, "port", 0);
        ok.start();
        assertEquals(NodeId.ofKey("worker-17"), ok.id());
        assertEquals("local", ok.serviceProperties().get(DhtNode.PROP_ROLE));
        assertEquals("south", ok.serviceProperties().get(DhtNode.PROP_REGION));
    }

    @Test
    void explicitPortInUseFailsClearly() throws Exception {
        try (DatagramSocket holder = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            NodeController n = node(Map.of(), "port", holder.getLocalPort());
            n.start();
            assertEquals(NodeState.FAILED, n.status().state());
            assertTrue(n.status().detail().contains("in use"), n.status().detail());
        }
    }

    @Test
    void modifiedRestartsOnlyWhenNeededAndKeepsTheId() throws Exception {
        NodeController n = node(Map.of(), "port", 0);
        n.start();
        LoopbackCluster.awaitTrue(() -> n.status().state() == NodeState.READY, Duration.ofSeconds(5), "READY");
        NodeEngine first = n.engine();
        NodeId id = n.id();
        n.modify(Configs.node("bindHost", "127.0.0.1", "port", 0, "maxConnections", 50));
        assertSame(first, n.engine(), "maxConnections is applied without a restart");
        n.modify(Configs.node("bindHost", "127.0.0.1", "port", 0, "k", 10));
        assertNotSame(first, n.engine());
        assertEquals(id, n.id(), "a random id survives a restart");
        LoopbackCluster.awaitTrue(() -> n.status().state() == NodeState.READY, Duration.ofSeconds(5), "READY again");
        n.modify(Configs.node("bindHost", "127.0.0.1", "port", 0, "k", 10, "nodeId", "fixed"));
        assertEquals(NodeId.ofKey("fixed"), n.id());
        n.modify(Configs.node("bindHost", "127.0.0.1", "port", 0, "alpha", 99));
        assertEquals(NodeState.FAILED, n.status().state());
        assertTrue(n.status().detail().contains("alpha"), n.status().detail());
        n.modify(Configs.node("bindHost", "127.0.0.1", "port", 0));
        LoopbackCluster.awaitTrue(() -> n.status().state() == NodeState.READY, Duration.ofSeconds(5), "recovered");
    }

    @Test
    void twoNodesTalkThroughTheController() throws Exception {
        NodeController a = node(Map.of(), "port", 0, "role", "super");
        a.start();
        LoopbackCluster.awaitTrue(() -> a.status().state() == NodeState.READY, Duration.ofSeconds(5), "a READY");
        NodeController b = node(Map.of(), "port", 0, "bootstrap", new String[] {"127.0.0.1:" + a.status().port()});
        b.start();
        LoopbackCluster.awaitTrue(() -> b.status().state() == NodeState.READY, Duration.ofSeconds(10), "b READY");
        DhtNode.PingResult pr = b.ping(new InetSocketAddress("127.0.0.1", a.status().port()))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(a.id(), pr.responder().id());
        // a worker keeps bootstrap nodes out of its table (KademliaNode.entryPointOnly): READY as the first worker
        assertEquals(0, b.knownNodes(NodeRole.SUPER, "").size());
        assertTrue(b.status().counters().get("datagrams_out") > 0);
        assertEquals(b.status().port(), b.self().address().getPort());
    }

    /** An allocation service with no strategy until {@link #strategy} is set. */
    static final class StrategyLessPorts implements PortAllocationService {
        final FakePorts delegate = new FakePorts();
        final AtomicInteger refusals = new AtomicInteger();
        volatile boolean strategy;

        @Override
        public PortLease allocate(PortRequest request, io.cqkd.dht.api.ports.PortBinder binder)
                throws io.cqkd.dht.api.ports.PortAllocationException {
            if (!strategy) {
                refusals.incrementAndGet();
                throw new NoStrategyException("no port allocation strategy is active: allocator.target "
                        + "(strategy=sequential) matches no PortAllocator service");
            }
            return delegate.allocate(request, binder);
        }
    }

    @Test
    void noActiveStrategyMeansWaitingNotFailedAndAStrategyStartsTheNode() throws Exception {
        NodeController n = node(Map.of(), "port", -1, "role", "worker", "workerId", 5);
        n.start();
        StrategyLessPorts ports = new StrategyLessPorts();
        n.portServiceChanged(ports);
        assertEquals(1, ports.refusals.get());
        assertEquals(NodeState.WAITING_FOR_PORT, n.status().state());
        assertTrue(n.status().detail().startsWith("waiting for a port-allocation strategy bundle (no port allocation "
                + "strategy is active: allocator.target (strategy=sequential)"), n.status().detail());
        assertEquals(0, n.status().port(), "no socket held while waiting");

        // a strategy registers; the allocation service binds it in the same service event but after
        // the node heard of it: the node's first retry still finds none, a later one succeeds
        n.strategyAppeared();
        LoopbackCluster.awaitTrue(() -> ports.refusals.get() >= 2, Duration.ofSeconds(5), "first retry");
        ports.strategy = true;
        LoopbackCluster.awaitTrue(() -> n.status().state() == NodeState.READY, Duration.ofSeconds(5), "READY");
        assertEquals(1, ports.delegate.requests.size());
        assertEquals(5, ports.delegate.requests.get(0).workerId().orElseThrow());
        assertNotEquals(0, n.status().port());
        assertEquals("", n.status().detail());

        n.stop();
        assertTrue(ports.delegate.released.get());
        n.strategyAppeared(); // nothing to retry after stop
        Thread.sleep(100);
        assertEquals(NodeState.STOPPED, n.status().state());
    }

    @Test
    void withoutAStrategyEventTheWaitingNodeStaysWaiting() throws Exception {
        NodeController n = node(Map.of(), "port", -1);
        n.start();
        StrategyLessPorts ports = new StrategyLessPorts();
        n.portServiceChanged(ports);
        n.strategyAppeared(); // an unrelated strategy: a few retries, then it waits for the next event
        long total = java.util.Arrays.stream(NodeController.STRATEGY_RETRY_DELAYS_MILLIS).sum();
        LoopbackCluster.awaitTrue(() -> ports.refusals.get() == 1 + NodeController.STRATEGY_RETRY_DELAYS_MILLIS.length,
                Duration.ofSeconds(10), "bounded retries");
        Thread.sleep(total);
        assertEquals(1 + NodeController.STRATEGY_RETRY_DELAYS_MILLIS.length, ports.refusals.get(), "no retry loop");
        assertEquals(NodeState.WAITING_FOR_PORT, n.status().state());
        ports.strategy = true;
        n.strategyAppeared();
        LoopbackCluster.awaitTrue(() -> n.status().state() == NodeState.READY, Duration.ofSeconds(5), "READY");
    }

    @Test
    void aNodeAnswersAPingThroughItsOwnSocket() throws Exception {
        NodeController a = node(Map.of(), "port", 0);
        a.start();
        LoopbackCluster.awaitTrue(() -> a.status().state() == NodeState.READY, Duration.ofSeconds(5), "READY");
        DhtNode.PingResult pr = a.ping(a.self().address()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(a.id(), pr.responder().id(), "the dht:health probe: real UDP out and back in");
        assertEquals(0, a.status().routingTableSize(), "it does not learn itself");
        assertTrue(a.status().counters().get("datagrams_in") >= 2, "ping and pong both went through the socket");
    }

    @Test
    void aRestartedNodeKeepsItsIdAndRejoinsThroughItsSavedContacts(@org.junit.jupiter.api.io.TempDir
                                                                   java.nio.file.Path data) throws Exception {
        RuntimeContext withData = runtime.withDataDir(data);
        // a worker seed: a worker keeps bootstrap nodes out of its table, so it would save none of a super
        NodeController seed = node(Map.of(), "port", 0);
        seed.start();
        LoopbackCluster.awaitTrue(() -> seed.status().state() == NodeState.READY, Duration.ofSeconds(5), "seed READY");
        String[] viaSeed = {"127.0.0.1:" + seed.status().port()};
        NodeController b = new NodeController("b", Configs.node("bindHost", "127.0.0.1", "port", 0, "bootstrap", viaSeed),
                Map::of, withData, KademliaEngines.FACTORY);
        nodes.add(b);
        b.start();
        LoopbackCluster.awaitTrue(() -> b.status().state() == NodeState.READY, Duration.ofSeconds(10), "b READY");
        NodeId id = b.id();
        b.stop(); // saves
        NodeStateStore.Snapshot saved = withData.stateStore().load("b").orElseThrow();
        assertEquals(id, saved.id());
        assertEquals(List.of(seed.id()), saved.contacts().stream().map(c -> c.id()).toList());

        // the container restarts: its bootstrap address (its tier node) does not answer yet; the saved
        // contacts carry the Kademlia join at once, the tier session is sought alongside (tierJoin default)
        int dead;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        NodeController again = new NodeController("b", Configs.node("bindHost", "127.0.0.1", "port", 0,
                "bootstrap", new String[] {"127.0.0.1:" + dead}), Map::of, withData,
                KademliaEngines.FACTORY);
        nodes.add(again);
        again.start();
        long ms = LoopbackCluster.awaitTrue(() -> again.status().state() == NodeState.READY, Duration.ofSeconds(10),
                "READY through the saved contacts");
        assertEquals(id, again.id(), "same id");
        assertEquals(List.of(seed.id()), again.knownNodes(null, "").stream().map(c -> c.id()).toList());
        assertTrue(ms < 5_000, "rejoined in " + ms + " ms");

        // a configured id wins over the saved one; without a data directory nothing is written
        NodeController fixed = new NodeController("b", Configs.node("bindHost", "127.0.0.1", "port", 0, "nodeId", "fixed",
                "bootstrap", viaSeed), Map::of, withData, KademliaEngines.FACTORY);
        nodes.add(fixed);
        again.stop();
        fixed.start();
        assertEquals(NodeId.ofKey("fixed"), fixed.id());
        LoopbackCluster.awaitTrue(() -> fixed.status().state() == NodeState.READY, Duration.ofSeconds(10), "fixed READY");
        fixed.saveState();
        assertEquals(NodeId.ofKey("fixed"), withData.stateStore().load("b").orElseThrow().id());
        assertEquals(null, runtime.stateStore());
    }

    private static void assertNotSame(Object a, Object b) {
        assertFalse(a == b, "expected a new instance");
    }
}
