package io.cqkd.dht.bench;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.Topology;

/**
 * The bootstrap tier of the seed (io.cqkd.dht.tier.model {@link Topology}: supers, regionals per
 * region, locals under regionals), wired as docs/deployment.md "Who joins whom" prescribes: super
 * k joins the supers before it, a regional its parent super then the other supers, a local its
 * parent regional then the other regionals of its region; workers are spread evenly and
 * contiguously over the locals in order and each is given its local (the node's tier agent joins
 * through it: JOIN, admission or referral, lease). Bootstrap nodes run with their tier capacity
 * (MAX_CONNECTIONS).
 *
 * @param tier     the tier
 * @param workers  joiners (workers) of the run
 */
public record ThreeLevelPlan(Topology tier, int workers) implements TieredPlan {
    /**
     * The seed's 4/8/32 tier, with more locals for more workers (one local per 40 workers, at most
     * the 64 the seed bounds allow) and, beyond 64 x 50 workers, a local capacity with 25 % headroom
     * over an even share.
     */
    public static ThreeLevelPlan forWorkers(int nodes) {
        Topology.Spec seed = Topology.Spec.seed();
        int bootstrap = seed.supers() + seed.regionals();
        int locals = Math.max(seed.locals(), Math.min(64, (Math.max(0, nodes - bootstrap) + 39) / 40));
        int all = seed.supers() + seed.regionals() + locals;
        if (nodes <= all) {
            throw new IllegalArgumentException("--topology three-level needs more than " + all
                    + " nodes (the tier itself), got " + nodes);
        }
        int workers = nodes - all;
        int localCapacity = Math.max(Topology.LOCAL_CAPACITY, (int) Math.ceil(workers * 1.25 / locals));
        Topology t = Topology.build(seed.withCounts(seed.supers(), seed.regionals(), locals)
                .withCapacities(Math.max(Topology.SUPER_CAPACITY, localCapacity), Topology.REGIONAL_CAPACITY,
                        localCapacity));
        return new ThreeLevelPlan(t, workers);
    }

    @Override
    public io.cqkd.dht.bench.Topology topology() {
        return io.cqkd.dht.bench.Topology.THREE_LEVEL;
    }

    @Override
    public NodeRole entryLevel() {
        return NodeRole.LOCAL;
    }
}
