package io.cqkd.dht.tier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.select.common.Plan;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IntSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Model-level simulation of the seed's scenario: 1000+ workers join at once through the default
 * three-level tier. Workers choose with the real three-level rule over the view the tier
 * published at its last load report, try nodes in {@link JoinPlan} order and follow referrals;
 * bootstrap nodes decide with {@link Admission} over what they know (own children's reports,
 * their parent's answer to a referral request, peer supers' reports). Manual clock, seeded
 * random: deterministic.
 */
class TierSimulationTest {
    private static final long LEASE = 600_000;
    private static final long REPORT_PERIOD = 5_000;
    private static final int MAX_HOPS = 16;

    /** One simulated bootstrap node. */
    static final class SimNode {
        final TopologyNode spec;
        final BootstrapNode base;
        final SessionTable sessions;
        final ChildLoadTable children = new ChildLoadTable(REPORT_PERIOD, 3);
        final ChildLoadTable peers = new ChildLoadTable(REPORT_PERIOD, 3);

        SimNode(TopologyNode spec) {
            this.spec = spec;
            this.base = spec.asBootstrapNode();
            this.sessions = new SessionTable(spec.capacity(), LEASE, 100);
        }

        BootstrapNode now(long now) {
            return base.withLoad(sessions.active(now), sessions.capacity(), true, now);
        }
    }

    /** The tier: nodes, reports, referral knowledge. */
    static final class SimTier {
        final Topology topology;
        final Map<String, SimNode> nodes = new LinkedHashMap<>();
        long referrals;
        long refusals;
        int maxHops;

        SimTier(Topology topology) {
            this.topology = topology;
            topology.nodes().forEach(n -> nodes.put(n.name(), new SimNode(n)));
        }

        /** Every node reports its load to its parent; supers to each other. */
        void reportAll(long now) {
            for (SimNode n : nodes.values()) {
                LoadReport r = LoadReport.of(n.base, n.sessions.active(now), n.sessions.capacity(), true);
                if (n.spec.level() == NodeRole.SUPER) {
                    nodes.values().stream().filter(o -> o.spec.level() == NodeRole.SUPER && o != n)
                            .forEach(o -> o.peers.record(r, now));
                } else {
                    nodes.get(n.spec.parent()).children.record(r, now);
                }
            }
        }

        /** What clients are told: every node's last reported load. */
        TierView publishedView(long now) {
            Map<String, BootstrapNode> seen = new LinkedHashMap<>();
            for (SimNode n : nodes.values()) {
                n.peers.snapshot(now).forEach(b -> seen.put(b.name(), b));
                n.children.snapshot(now).forEach(b -> seen.put(b.name(), b));
            }
            return new TierView(new ArrayList<>(seen.values()), now);
        }

        /** What a full node knows when it looks for alternatives. */
        List<BootstrapNode> known(SimNode n, long now) {
            List<BootstrapNode> out = new ArrayList<>(n.children.snapshot(now));
            out.addAll(n.peers.snapshot(now));
            if (!n.spec.parent().isEmpty()) {
                // REFERRAL_REQUEST to the parent: its least-loaded children of the region, itself,
                // and the least-loaded nodes of its own level in the region that it learnt from its parent
                SimNode parent = nodes.get(n.spec.parent());
                out.addAll(parent.children.leastLoaded(n.spec.level(), n.spec.region(), Admission.MAX_REFERRALS, now));
                out.add(parent.now(now));
                if (!parent.spec.parent().isEmpty()) {
                    out.addAll(nodes.get(parent.spec.parent()).children.leastLoaded(parent.spec.level(),
                            parent.spec.region(), Admission.MAX_REFERRALS, now).stream()
                            .filter(b -> !b.name().equals(parent.spec.name())).toList());
                }
            }
            return out;
        }

        void noteReferral(BootstrapNode to) {
            SimNode target = nodes.get(to.name());
            if (target.spec.level() == NodeRole.SUPER) {
                nodes.values().forEach(o -> o.peers.noteReferral(to.name()));
            } else {
                nodes.get(target.spec.parent()).children.noteReferral(to.name());
            }
        }

        /** One worker's join; returns the node that admitted it. */
        Optional<String> join(NodeId worker, InetSocketAddress address, String region, int expectedWorkers,
                              TierView view, RandomGenerator random, long now) {
            List<BootstrapNode> selection = Plan.THREE_LEVEL.select(new SelectionRequest(region, expectedWorkers), view);
            Deque<BootstrapNode> queue = new ArrayDeque<>(JoinPlan.order(selection, random));
            Set<String> tried = new HashSet<>();
            int hops = 0;
            while (!queue.isEmpty() && hops < MAX_HOPS) {
                BootstrapNode candidate = queue.removeFirst();
                if (!tried.add(candidate.name())) {
                    continue;
                }
                hops++;
                maxHops = Math.max(maxHops, hops);
                SimNode node = nodes.get(candidate.name());
                AdmissionDecision d = Admission.decide(node.now(now), node.sessions, worker, address, region, now,
                        () -> known(node, now));
                assertTrue(node.sessions.active(now) <= node.sessions.capacity(), node.spec.name() + " over capacity");
                if (d instanceof AdmissionDecision.Admitted) {
                    return Optional.of(node.spec.name());
                } else if (d instanceof AdmissionDecision.Referred r) {
                    referrals++;
                    noteReferral(r.alternatives().get(0));
                    List<BootstrapNode> alts = r.alternatives();
                    for (int i = alts.size() - 1; i >= 0; i--) {
                        queue.addFirst(alts.get(i));
                    }
                } else {
                    refusals++;
                }
            }
            return Optional.empty();
        }

        /** Runs {@code workers} joins in batches that share one view (simultaneous within a report period). */
        Map<String, Integer> run(int workers, int batch, long seed) {
            RandomGenerator random = new SplittableRandom(seed);
            List<String> regions = topology.regions();
            long now = 0;
            int joined = 0;
            for (int start = 0; start < workers; start += batch) {
                reportAll(now);
                TierView view = publishedView(now);
                for (int i = start; i < Math.min(workers, start + batch); i++) {
                    String region = regions.get(random.nextInt(regions.size()));
                    NodeId id = NodeId.ofKey("worker-" + i);
                    Optional<String> at = join(id, new InetSocketAddress("127.0.0.1", 7000 + (i % 1000)), region,
                            workers, view, random, now);
                    assertTrue(at.isPresent(), "worker " + i + " (" + region + ") could not join");
                    joined++;
                }
                now += REPORT_PERIOD;
            }
            assertEquals(workers, joined);
            Map<String, Integer> load = new LinkedHashMap<>();
            long end = now;
            nodes.values().forEach(n -> load.put(n.spec.name(), n.sessions.active(end)));
            return load;
        }

        IntSummaryStatistics stats(Map<String, Integer> load, NodeRole level) {
            return topology.level(level).stream().mapToInt(n -> load.get(n.name())).summaryStatistics();
        }

        void assertNeverAboveCapacity() {
            nodes.values().forEach(n -> assertTrue(n.sessions.peak() <= n.spec.capacity(),
                    n.spec.name() + " peak " + n.sessions.peak() + " > " + n.spec.capacity()));
        }
    }

    private static void assertBalanced(IntSummaryStatistics s, String level, double factor) {
        double mean = s.getAverage();
        assertTrue(s.getMax() <= factor * mean, level + " max " + s.getMax() + " vs mean " + mean);
        assertTrue(s.getMin() >= mean / factor, level + " min " + s.getMin() + " vs mean " + mean);
    }

    @Test
    void twelveHundredWorkersJoinTheDefaultTierWithinCapacityAndBalanced() {
        SimTier tier = new SimTier(Topology.defaults());
        Map<String, Integer> load = tier.run(1_200, 200, 42);
        tier.assertNeverAboveCapacity();
        assertEquals(1_200, load.values().stream().mapToInt(Integer::intValue).sum());
        IntSummaryStatistics locals = tier.stats(load, NodeRole.LOCAL);
        System.out.printf("sim 1200: locals min=%d mean=%.1f max=%d, regionals max=%d, supers max=%d, "
                        + "referrals=%d refusals=%d max hops=%d%n", locals.getMin(), locals.getAverage(), locals.getMax(),
                tier.stats(load, NodeRole.REGIONAL).getMax(), tier.stats(load, NodeRole.SUPER).getMax(),
                tier.referrals, tier.refusals, tier.maxHops);
        // workers belong under locals; the 1600 local slots hold all 1200
        assertEquals(1_200, locals.getSum());
        assertBalanced(locals, "locals", 1.5);
    }

    @Test
    void overflowBeyondTheLocalsGoesToRegionalsByReferralStillWithinCapacity() {
        SimTier tier = new SimTier(Topology.defaults());
        Map<String, Integer> load = tier.run(2_400, 400, 7);
        tier.assertNeverAboveCapacity();
        IntSummaryStatistics locals = tier.stats(load, NodeRole.LOCAL);
        IntSummaryStatistics regionals = tier.stats(load, NodeRole.REGIONAL);
        IntSummaryStatistics supers = tier.stats(load, NodeRole.SUPER);
        System.out.printf("sim 2400: locals min=%d max=%d; regionals min=%d mean=%.1f max=%d; supers sum=%d; "
                        + "referrals=%d refusals=%d max hops=%d%n", locals.getMin(), locals.getMax(), regionals.getMin(),
                regionals.getAverage(), regionals.getMax(), supers.getSum(), tier.referrals, tier.refusals, tier.maxHops);
        assertEquals(2_400, locals.getSum() + regionals.getSum() + supers.getSum());
        assertEquals(32 * 50, locals.getSum(), "every local slot is used before the upper levels");
        assertBalanced(regionals, "regionals", 1.5);
    }

    @Test
    void allAtOnceWithOneSharedViewStillJoinsEveryWorkerWithinCapacity() {
        SimTier tier = new SimTier(Topology.defaults());
        Map<String, Integer> load = tier.run(1_500, 1_500, 11);
        tier.assertNeverAboveCapacity();
        IntSummaryStatistics locals = tier.stats(load, NodeRole.LOCAL);
        System.out.printf("sim 1500 at once: locals min=%d mean=%.1f max=%d; regionals sum=%d; referrals=%d "
                        + "refusals=%d max hops=%d%n", locals.getMin(), locals.getAverage(), locals.getMax(),
                tier.stats(load, NodeRole.REGIONAL).getSum(), tier.referrals, tier.refusals, tier.maxHops);
        assertEquals(1_500, load.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(tier.referrals > 0, "a shared stale view at 94 % of the local capacity must force referrals");
        assertBalanced(locals, "locals", 2.0);
    }

    @Test
    void sameSeedSameOutcome() {
        assertEquals(new SimTier(Topology.defaults()).run(1_000, 250, 3), new SimTier(Topology.defaults()).run(1_000, 250, 3));
    }
}
