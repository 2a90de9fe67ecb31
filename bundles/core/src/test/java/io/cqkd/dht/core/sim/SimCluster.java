package io.cqkd.dht.core.sim;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.core.engine.Counters;
import io.cqkd.dht.core.engine.EngineConfig;
import io.cqkd.dht.core.engine.KademliaNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A simulated network of {@link KademliaNode}s on one {@link SimScheduler} and one
 * {@link SimNetwork}, with helpers to build it, drive it and compare it with global knowledge.
 * Everything derives from one seed.
 */
public final class SimCluster {
    /** The shared virtual clock and task queue. */
    public final SimScheduler scheduler = new SimScheduler();
    /** The network. */
    public final SimNetwork network;
    /** Every node ever added, in order (dead ones included). */
    public final List<KademliaNode> nodes = new ArrayList<>();
    private final List<Boolean> alive = new ArrayList<>();
    private final EngineConfig config;
    private final SplittableRandom random;

    /**
     * An empty cluster.
     *
     * @param config engine configuration of every node
     * @param seed   seed of ids, node randomness, latency and loss
     * @param loss   datagram loss probability
     */
    public SimCluster(EngineConfig config, long seed, double loss) {
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.network = new SimNetwork(scheduler, random.nextLong(), 5, 40, loss);
    }

    /** Address of the i-th node: 10.x.y.z:7000, a distinct host per node. */
    public static InetSocketAddress address(int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}), 7000);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates and attaches a node (not started). */
    public KademliaNode add(NodeRecord record) {
        int i = nodes.size() + 1;
        InetSocketAddress addr = address(i);
        Counters counters = new Counters();
        SplittableRandom nodeRandom = random.split();
        NodeId id = NodeId.random(nodeRandom);
        KademliaNode node = new KademliaNode(config, id, record, network.transportFor(addr, counters), scheduler,
                nodeRandom, counters);
        node.setSelfAddress(addr);
        network.attach(addr, node);
        nodes.add(node);
        alive.add(true);
        return node;
    }

    /**
     * Builds a network of {@code n} nodes: {@code seeds} seed nodes (the first one alone, the
     * others joining through it), then the rest joining through the seeds one every
     * {@code spacingMillis}. Returns once every node is READY or {@code maxMillis} passed.
     */
    public boolean build(int n, int seeds, long spacingMillis, long maxMillis) {
        List<InetSocketAddress> seedAddresses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            KademliaNode node = add(NodeRecord.WORKER);
            if (i < seeds) {
                node.start(List.copyOf(seedAddresses));
                seedAddresses.add(node.self().address());
            } else {
                node.start(seedAddresses);
            }
            scheduler.runFor(spacingMillis);
        }
        return scheduler.runUntil(this::allReady, maxMillis);
    }

    /** True when every live node is READY. */
    public boolean allReady() {
        for (int i = 0; i < nodes.size(); i++) {
            if (alive.get(i) && nodes.get(i).state() != NodeState.READY) {
                return false;
            }
        }
        return true;
    }

    /** Live nodes. */
    public List<KademliaNode> live() {
        List<KademliaNode> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (alive.get(i)) {
                out.add(nodes.get(i));
            }
        }
        return out;
    }

    /** Kills node {@code i}: it stops and its address goes silent. */
    public void kill(int i) {
        KademliaNode node = nodes.get(i);
        network.detach(node.self().address());
        node.stop();
        alive.set(i, false);
    }

    /** True when node {@code i} is alive. */
    public boolean isAlive(int i) {
        return alive.get(i);
    }

    /** The {@code n} live node ids closest to {@code target}, closest first (global knowledge). */
    public List<NodeId> trueClosest(NodeId target, int n) {
        return live().stream().map(KademliaNode::id)
                .sorted((a, b) -> target.compareDistance(a, b))
                .limit(n).toList();
    }

    /** The live nodes closest to {@code target}. */
    public List<KademliaNode> closestNodes(NodeId target, int n) {
        return live().stream().sorted(Comparator.comparing(KademliaNode::id, (a, b) -> target.compareDistance(a, b)))
                .limit(n).toList();
    }

    /** Runs the simulation until {@code f} completes (at most {@code maxMillis}); returns its value. */
    public <T> T await(CompletableFuture<T> f, long maxMillis) {
        if (!scheduler.runUntil(f::isDone, maxMillis)) {
            throw new AssertionError("not done after " + maxMillis + " ms of virtual time");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("operation failed: " + e.getCause(), e.getCause());
        }
    }

    /** Runs until every future completes (at most {@code maxMillis}). */
    public void awaitAll(List<? extends CompletableFuture<?>> fs, long maxMillis) {
        if (!scheduler.runUntil(() -> fs.stream().allMatch(CompletableFuture::isDone), maxMillis)) {
            throw new AssertionError("operations not done after " + maxMillis + " ms of virtual time");
        }
    }

    /** The cluster's own random (for picking keys and nodes in tests). */
    public SplittableRandom random() {
        return random;
    }
}
