package io.cqkd.dht.core.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.core.engine.KademliaNode;
import io.cqkd.dht.tier.model.Topology;
import java.util.IntSummaryStatistics;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 1000+ workers join at the same virtual instant through the seed's default three-level tier
 * (4 supers, 8 regionals, 32 locals) on the simulated network, over the real wire protocol:
 * every worker is admitted, no bootstrap node ever exceeds its capacity, and load stays within a
 * small factor of its level's mean.
 */
class TierSimulationTest {
    static final int WORKERS = 1200;

    @Test
    void twelveHundredWorkersJoinAtOnceThroughTheDefaultTier() {
        SimTier t = new SimTier(Topology.defaults(), 42, s -> s.withPeriods(90_000, 2_000, 0));
        t.startTier();
        // the tier forms: every child has reported to its parent
        assertTrue(t.cluster.scheduler.runUntil(() -> t.agents.values().stream()
                .filter(a -> a.settings().level() != NodeRole.SUPER)
                .allMatch(a -> a.snapshot().self().lastReportMillis() >= 0), 10_000), "tier formed");
        long formedAt = t.cluster.scheduler.nowMillis();

        List<String> regions = t.topology.regions();
        for (int i = 0; i < WORKERS; i++) {
            t.addWorker(regions.get(i % regions.size()), WORKERS, t.supers(), s -> s);
        }
        long start = t.cluster.scheduler.nowMillis();
        t.workers.forEach(TierAgent::start);
        int[] maxSeen = new int[1];
        boolean all = t.cluster.scheduler.runUntil(() -> t.admitted() == WORKERS, 60_000);
        long joinMillis = t.cluster.scheduler.nowMillis() - start;
        assertTrue(all, "admitted " + t.admitted() + " of " + WORKERS);

        long maxJoin = t.workers.stream().mapToLong(TierAgent::joinedAfterMillis).max().orElse(-1);
        double meanJoin = t.workers.stream().mapToLong(TierAgent::joinedAfterMillis).average().orElse(-1);

        StringBuilder report = new StringBuilder("tier formed in " + formedAt + " ms; " + WORKERS
                + " workers admitted in " + joinMillis + " ms (mean " + Math.round(meanJoin) + " ms, max " + maxJoin + " ms)\n");
        for (NodeRole level : List.of(NodeRole.SUPER, NodeRole.REGIONAL, NodeRole.LOCAL)) {
            IntSummaryStatistics active = new IntSummaryStatistics();
            IntSummaryStatistics peak = new IntSummaryStatistics();
            for (TierAgent a : t.level(level)) {
                active.accept(a.activeSessions());
                peak.accept(a.peak());
                assertTrue(a.peak() <= a.settings().capacity(), a.settings().name() + " peak " + a.peak()
                        + " above capacity " + a.settings().capacity());
            }
            report.append(String.format("%-8s active %d-%d mean %.1f, peak max %d, capacity %d%n", level.configName(),
                    active.getMin(), active.getMax(), active.getAverage(), peak.getMax(),
                    t.level(level).get(0).settings().capacity()));
            if (active.getAverage() >= 5) {
                assertTrue(active.getMax() <= 2 * active.getAverage(), level + ": max " + active.getMax()
                        + " more than twice the mean " + active.getAverage());
                assertTrue(active.getMin() >= active.getAverage() / 2, level + ": min " + active.getMin()
                        + " less than half the mean " + active.getAverage());
            }
        }
        int sessions = t.agents.values().stream().mapToInt(TierAgent::activeSessions).sum();
        assertEquals(WORKERS, sessions, "one session per worker");
        System.out.print(report);

        // leases are renewed: more than a lease period later every worker still holds its session
        t.cluster.scheduler.runFor(100_000);
        assertEquals(WORKERS, t.admitted());
        assertEquals(WORKERS, t.agents.values().stream().mapToInt(TierAgent::activeSessions).sum());
        long ready = t.workerNodes.stream().filter(n -> n.state() == NodeState.READY).count();
        System.out.println("workers READY in Kademlia after renewals: " + ready + "/" + WORKERS);
        assertEquals(WORKERS, ready);
        long registered = t.level(NodeRole.REGIONAL).stream().mapToLong(a -> a.snapshot().workers().size()).sum();
        System.out.println("workers registered by regionals: " + registered);
        assertEquals(WORKERS, registered);
    }
}
