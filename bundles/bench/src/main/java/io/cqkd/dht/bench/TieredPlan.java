package io.cqkd.dht.bench;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.Topology;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * What a tiered plan does once its tier is built, whichever the number of levels: bootstrap nodes
 * in {@link TierWiring#ordered} order wired by {@link TierWiring#bootstrapOf}, workers spread
 * evenly and contiguously over the nodes of the lowest level (the entry level), each given its
 * entry node and that node's region, bootstrap nodes running with their tier capacity.
 */
interface TieredPlan extends NetworkPlan {
    /** The tier. */
    Topology tier();

    /** Joiners (workers) of the run. */
    int workers();

    /** The level workers join: the lowest of the tier (regional for two levels, local for three). */
    NodeRole entryLevel();

    /** Index (within the entry level) of joiner {@code joinerIndex}'s entry node. */
    default int entryOf(int joinerIndex) {
        return TierWiring.spread(joinerIndex, workers(), tier().level(entryLevel()).size());
    }

    @Override
    default List<BootstrapNode> bootstrapNodes() {
        return TierWiring.ordered(tier()).stream()
                .map(n -> new BootstrapNode(n.name(), n.level().configName(), n.region())).toList();
    }

    @Override
    default List<InetSocketAddress> bootstrapOf(int index, List<InetSocketAddress> started) {
        return TierWiring.bootstrapOf(tier(), index, started);
    }

    @Override
    default List<InetSocketAddress> joinerBootstrap(int joinerIndex, List<InetSocketAddress> bootstrapAddresses) {
        // the entry level comes last in TierWiring.ordered
        int first = TierWiring.ordered(tier()).size() - tier().level(entryLevel()).size();
        return List.of(bootstrapAddresses.get(first + entryOf(joinerIndex)));
    }

    @Override
    default String joinerRegion(int joinerIndex) {
        return tier().level(entryLevel()).get(entryOf(joinerIndex)).region();
    }

    @Override
    default int capacity(int index) {
        return TierWiring.ordered(tier()).get(index).capacity();
    }

    @Override
    default Map<String, Object> bootstrapAttributes(int index) {
        return Map.of("maxConnections", capacity(index), "expectedWorkers", workers());
    }

    @Override
    default Map<String, Object> joinerAttributes() {
        return Map.of("expectedWorkers", workers());
    }
}
