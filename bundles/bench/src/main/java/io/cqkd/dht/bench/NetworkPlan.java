package io.cqkd.dht.bench;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The seam between the benchmark's phases and the network's shape: which bootstrap nodes exist,
 * in which order they start and whom they bootstrap off, and which bootstrap addresses each
 * joiner is given. The run measures everything else (join, ops, lookups, cost) the same way for
 * every shape, so a tiered plan only has to implement this interface.
 */
public interface NetworkPlan {
    /** One bootstrap node of the plan. */
    record BootstrapNode(String name, String role, String region) {
    }

    /** The plan's topology. */
    Topology topology();

    /** Bootstrap nodes, in start order (started before t0, each given {@link #bootstrapOf} of the earlier ones). */
    List<BootstrapNode> bootstrapNodes();

    /** Bootstrap addresses of bootstrap node {@code index}, given the addresses of those started before it. */
    List<InetSocketAddress> bootstrapOf(int index, List<InetSocketAddress> started);

    /** Bootstrap addresses handed to joiner {@code joinerIndex}, given all bootstrap nodes' addresses. */
    List<InetSocketAddress> joinerBootstrap(int joinerIndex, List<InetSocketAddress> bootstrapAddresses);

    /** Admission capacity of bootstrap node {@code index} (sessions), or -1 when the shape has none (flat seeds). */
    default int capacity(int index) {
        return -1;
    }

    /** Region of joiner {@code joinerIndex} ("" for none). */
    default String joinerRegion(int joinerIndex) {
        return "";
    }

    /** Extra node attributes of bootstrap node {@code index} (tier capacity ...). */
    default java.util.Map<String, Object> bootstrapAttributes(int index) {
        return java.util.Map.of();
    }

    /** Extra node attributes of every joiner. */
    default java.util.Map<String, Object> joinerAttributes() {
        return java.util.Map.of();
    }

    /**
     * The plan for {@code options}; unsupported shapes fail with a one-line reason, and so does a
     * network with fewer than two joiners (operations run between joiners, and a lone worker
     * behind a tier can never hold a contact).
     */
    static NetworkPlan of(BenchOptions options) {
        NetworkPlan plan = switch (options.topology()) {
            case FLAT -> new FlatPlan(options.seeds());
            case THREE_LEVEL -> ThreeLevelPlan.forWorkers(options.nodes());
            case TWO_LEVEL -> TwoLevelPlan.forWorkers(options.nodes());
        };
        int bootstrap = plan.bootstrapNodes().size();
        if (options.nodes() - bootstrap < 2) {
            throw new IllegalArgumentException("--nodes " + options.nodes() + " leaves " + (options.nodes() - bootstrap)
                    + " joiner(s) after the " + bootstrap + " bootstrap node(s) of topology "
                    + options.topology().cliName() + "; at least 2 are needed (--nodes " + (bootstrap + 2) + " or more)");
        }
        return plan;
    }

    /** S ordinary seeds: seed i bootstraps off seed i-1 (seed 0 off nobody); joiners get every seed. */
    record FlatPlan(int seeds) implements NetworkPlan {
        public FlatPlan {
            if (seeds < 1) {
                throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
            }
        }

        @Override
        public Topology topology() {
            return Topology.FLAT;
        }

        @Override
        public List<BootstrapNode> bootstrapNodes() {
            return java.util.stream.IntStream.range(0, seeds)
                    .mapToObj(i -> new BootstrapNode("seed-" + i, "worker", "")).toList();
        }

        @Override
        public List<InetSocketAddress> bootstrapOf(int index, List<InetSocketAddress> started) {
            return index == 0 ? List.of() : List.of(started.get(index - 1));
        }

        @Override
        public List<InetSocketAddress> joinerBootstrap(int joinerIndex, List<InetSocketAddress> bootstrapAddresses) {
            return bootstrapAddresses;
        }
    }
}
