package io.cqkd.dht.core.tier;

import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.core.engine.EngineConfig;
import io.cqkd.dht.core.engine.KademliaNode;
import io.cqkd.dht.core.sim.SimCluster;
import io.cqkd.dht.select.common.Plan;
import io.cqkd.dht.select.common.Selections;
import io.cqkd.dht.tier.model.Topology;
import io.cqkd.dht.tier.model.TopologyNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/** A bootstrap tier of {@link TierAgent}s on a {@link SimCluster}, plus workers joining through it. */
final class SimTier {
    /** The adaptive rule over the shared selection code, as the select-adaptive bundle applies it. */
    static final BootstrapSelector ADAPTIVE = new BootstrapSelector() {
        @Override
        public String name() {
            return "adaptive";
        }

        @Override
        public List<BootstrapNode> select(SelectionRequest request, TierView view) {
            return switch (Plan.forWorkers(request.expectedWorkers())) {
                case DIRECT -> Selections.direct(view);
                case TWO_LEVEL -> Selections.twoLevel(request, view);
                case THREE_LEVEL -> Selections.threeLevel(request, view);
            };
        }
    };

    final SimCluster cluster;
    final Topology topology;
    final Map<String, KademliaNode> nodes = new LinkedHashMap<>();
    final Map<String, TierAgent> agents = new LinkedHashMap<>();
    final List<TierAgent> workers = new ArrayList<>();
    final List<KademliaNode> workerNodes = new ArrayList<>();
    final SplittableRandom random;
    volatile BootstrapSelector selector = ADAPTIVE;

    SimTier(Topology topology, long seed, UnaryOperator<TierSettings> tune) {
        this(topology, seed, tune, false);
    }

    /**
     * {@code backupParents}: a regional or local is also given the other nodes of its parent's level
     * and region, after its parent, as a deployment lists backups in {@code bootstrap}.
     */
    SimTier(Topology topology, long seed, UnaryOperator<TierSettings> tune, boolean backupParents) {
        this.cluster = new SimCluster(EngineConfig.defaults(), seed, 0.0);
        this.topology = topology;
        this.random = new SplittableRandom(seed ^ 0x5eed);
        for (TopologyNode t : topology.nodes()) {
            nodes.put(t.name(), cluster.add(new NodeRecord(t.level(), t.region(), Set.of())));
        }
        for (TopologyNode t : topology.nodes()) {
            List<InetSocketAddress> up = new ArrayList<>();
            if (t.level() == NodeRole.SUPER) {
                topology.level(NodeRole.SUPER).stream().filter(o -> !o.name().equals(t.name()))
                        .forEach(o -> up.add(address(o.name())));
            } else {
                up.add(address(t.parent()));
                if (backupParents) {
                    TopologyNode parent = topology.nodes().stream().filter(o -> o.name().equals(t.parent()))
                            .findFirst().orElseThrow();
                    topology.level(parent.level()).stream()
                            .filter(o -> !o.name().equals(parent.name())
                                    && (o.level() == NodeRole.SUPER || o.region().equals(t.region())))
                            .forEach(o -> up.add(address(o.name())));
                }
            }
            TierSettings s = tune.apply(TierSettings.defaults(t.name(), t.level(), t.region()).withCapacity(t.capacity()));
            agents.put(t.name(), new TierAgent(nodes.get(t.name()), s, up, () -> selector, random.split()));
        }
    }

    InetSocketAddress address(String name) {
        return nodes.get(name).self().address();
    }

    List<InetSocketAddress> supers() {
        return topology.level(NodeRole.SUPER).stream().map(t -> address(t.name())).toList();
    }

    void startTier() {
        agents.values().forEach(TierAgent::start);
    }

    /** Adds (not starts) a worker of {@code region} entering through {@code entry}. */
    TierAgent addWorker(String region, int expectedWorkers, List<InetSocketAddress> entry, UnaryOperator<TierSettings> tune) {
        return addWorker(region, expectedWorkers, entry, tune, null);
    }

    /** As {@link #addWorker(String, int, List, UnaryOperator)}, with a failover sink (null: none). */
    TierAgent addWorker(String region, int expectedWorkers, List<InetSocketAddress> entry, UnaryOperator<TierSettings> tune,
                        io.cqkd.dht.api.failover.FailoverSink sink) {
        KademliaNode k = cluster.add(new NodeRecord(NodeRole.WORKER, region, Set.of()));
        TierSettings s = tune.apply(TierSettings.defaults("worker-" + (workers.size() + 1), NodeRole.WORKER, region)
                .withJoin(true, expectedWorkers));
        TierAgent a = new TierAgent(k, s, entry, () -> selector, () -> sink, random.split());
        workers.add(a);
        workerNodes.add(k);
        return a;
    }

    long admitted() {
        return workers.stream().filter(w -> w.clientState() == TierAgent.ClientState.ADMITTED).count();
    }

    List<TierAgent> level(NodeRole level) {
        return topology.level(level).stream().map(t -> agents.get(t.name())).toList();
    }
}
