package io.cqkd.dht.bench;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.Topology;

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
public record TwoLevelPlan(Topology tier, int workers) implements TieredPlan {
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
    public NodeRole entryLevel() {
        return NodeRole.REGIONAL;
    }
}
