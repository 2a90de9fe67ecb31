package io.cqkd.dht.bench;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.Topology;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The seed's two levels (seed 000: "<= 200 workers: super + regional of the worker's region"):
 * an io.cqkd.dht.tier.model {@link Topology} with supers and regionals and no locals
 * ({@link Topology.Spec#twoLevel()}), wired as docs/deployment.md "Who joins whom" prescribes for
 * those levels: super k joins the supers before it, a regional its parent super then the other
 * supers. Workers are spread evenly and contiguously over the regionals in order (the regionals
 * are grouped by region) and each is given its regional and that regional's region: it joins a
 * regional of its region directly (JOIN, admission or referral, lease) and is registered by it.
 * Bootstrap nodes run with their tier capacity (MAX_CONNECTIONS).
 *
 * <p>Sizing: the fewest regionals within the seed's 8-16 that hold every worker at
 * {@value #WORKERS_PER_REGIONAL} each (80 % of the seed's regional capacity of 250, the fill
 * ThreeLevelPlan gives its locals: 40 of 50); a regional capacity of the seed's 250, or 1.25 x an
 * even share when that is more (beyond 16 x 200 workers); a super capacity of the seed's 500, or
 * the regional capacity when that is more (a full regional refers upwards).
 *
 * @param tier    the tier (no locals)
 * @param workers joiners (workers) of the run
 */
public record TwoLevelPlan(Topology tier, int workers) implements NetworkPlan {
    /** Workers per regional before another regional is added (80 % of the seed's 250). */
    public static final int WORKERS_PER_REGIONAL = 200;
    /** The seed's most regionals (ports 5682-5697). */
    public static final int MAX_REGIONALS = 16;

    /** Checks that the tier is a two-level one. */
    public TwoLevelPlan {
        if (!tier.twoLevel()) {
            throw new IllegalArgumentException("a two-level plan needs a tier without locals");
        }
    }

    /** The seed's 4/8 two-level tier for {@code nodes} nodes, with more regionals and capacity for more workers. */
    public static TwoLevelPlan forWorkers(int nodes) {
        Topology.Spec seed = Topology.Spec.twoLevel();
        int supers = seed.supers();
        int regionals = seed.regionals();
        while (regionals < MAX_REGIONALS && nodes - supers - regionals > (long) WORKERS_PER_REGIONAL * regionals) {
            regionals++;
        }
        int all = supers + regionals;
        if (nodes <= all) {
            throw new IllegalArgumentException("--topology two-level needs more than " + all
                    + " nodes (the tier itself), got " + nodes);
        }
        int workers = nodes - all;
        int regionalCapacity = Math.max(Topology.REGIONAL_CAPACITY, (int) Math.ceil(workers * 1.25 / regionals));
        Topology t = Topology.build(seed.withCounts(supers, regionals, 0)
                .withCapacities(Math.max(Topology.SUPER_CAPACITY, regionalCapacity), regionalCapacity,
                        seed.localCapacity()));
        return new TwoLevelPlan(t, workers);
    }

    @Override
    public io.cqkd.dht.bench.Topology topology() {
        return io.cqkd.dht.bench.Topology.TWO_LEVEL;
    }

    @Override
    public List<BootstrapNode> bootstrapNodes() {
        return TierWiring.ordered(tier).stream()
                .map(n -> new BootstrapNode(n.name(), n.level().configName(), n.region())).toList();
    }

    @Override
    public List<InetSocketAddress> bootstrapOf(int index, List<InetSocketAddress> started) {
        return TierWiring.bootstrapOf(tier, index, started);
    }

    /** Index (among the regionals) of joiner {@code joinerIndex}'s regional. */
    int regionalOf(int joinerIndex) {
        return TierWiring.spread(joinerIndex, workers, tier.level(NodeRole.REGIONAL).size());
    }

    @Override
    public List<InetSocketAddress> joinerBootstrap(int joinerIndex, List<InetSocketAddress> bootstrapAddresses) {
        int first = tier.level(NodeRole.SUPER).size();
        return List.of(bootstrapAddresses.get(first + regionalOf(joinerIndex)));
    }

    @Override
    public String joinerRegion(int joinerIndex) {
        return tier.level(NodeRole.REGIONAL).get(regionalOf(joinerIndex)).region();
    }

    @Override
    public int capacity(int index) {
        return TierWiring.ordered(tier).get(index).capacity();
    }

    @Override
    public Map<String, Object> bootstrapAttributes(int index) {
        return Map.of("maxConnections", capacity(index), "expectedWorkers", workers);
    }

    @Override
    public Map<String, Object> joinerAttributes() {
        return Map.of("expectedWorkers", workers);
    }
}
