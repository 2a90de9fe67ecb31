package io.cqkd.dht.bench;

import static io.cqkd.dht.bench.ThreeLevelPlanTest.addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two-level plan: supers and regionals, workers given a regional of their region (docs/deployment.md "Who joins whom"). */
class TwoLevelPlanTest {
    /** Workers per bootstrap node (indexed like bootstrapNodes()), checking every worker's list and region on the way. */
    static int[] assignment(TwoLevelPlan p, List<InetSocketAddress> all) {
        List<NetworkPlan.BootstrapNode> b = p.bootstrapNodes();
        Map<Integer, Integer> indexOfPort = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            indexOfPort.put(all.get(i).getPort(), i);
        }
        int[] per = new int[b.size()];
        int previous = 0;
        for (int w = 0; w < p.workers(); w++) {
            List<InetSocketAddress> boot = p.joinerBootstrap(w, all);
            assertEquals(1, boot.size(), "a worker is given its regional only");
            int i = indexOfPort.get(boot.get(0).getPort());
            NetworkPlan.BootstrapNode node = b.get(i);
            assertEquals("regional", node.role(), "worker " + w + " joins a regional directly");
            assertEquals(node.region(), p.joinerRegion(w), "worker " + w + " is given a regional of its region");
            assertTrue(!p.joinerRegion(w).isEmpty());
            assertTrue(i >= previous, "contiguous: workers fill the regionals in order");
            previous = i;
            per[i]++;
        }
        return per;
    }

    @Test
    void seedTierForTwoHundredNodes() {
        TwoLevelPlan p = TwoLevelPlan.forWorkers(200);
        List<NetworkPlan.BootstrapNode> b = p.bootstrapNodes();
        assertEquals(12, b.size(), "4 supers, 8 regionals, no locals");
        assertEquals(188, p.workers());
        assertEquals(List.of("sb-primary", "sb-secondary", "sb-tertiary", "sb-quaternary", "rb-east-1", "rb-east-2",
                "rb-west-1", "rb-west-2", "rb-north-1", "rb-north-2", "rb-south-1", "rb-south-2"),
                b.stream().map(NetworkPlan.BootstrapNode::name).toList());
        assertTrue(b.subList(0, 4).stream().allMatch(n -> n.role().equals("super") && n.region().isEmpty()));
        assertTrue(b.subList(4, 12).stream().allMatch(n -> n.role().equals("regional")));
        assertTrue(b.stream().noneMatch(n -> n.role().equals("local")));
        assertEquals(io.cqkd.dht.bench.Topology.TWO_LEVEL, p.topology());
        assertEquals(500, p.capacity(0));
        assertEquals(250, p.capacity(4));
        assertEquals(Map.of("maxConnections", 250, "expectedWorkers", 188), p.bootstrapAttributes(4));
        assertEquals(Map.of("expectedWorkers", 188), p.joinerAttributes());
    }

    @Test
    void whoJoinsWhom() {
        TwoLevelPlan p = TwoLevelPlan.forWorkers(200);
        List<InetSocketAddress> all = addresses(12);
        assertEquals(List.of(), p.bootstrapOf(0, all.subList(0, 0)), "the first super joins nobody");
        assertEquals(List.of(all.get(0)), p.bootstrapOf(1, all.subList(0, 1)));
        assertEquals(List.of(all.get(2), all.get(1), all.get(0)), p.bootstrapOf(3, all.subList(0, 3)),
                "super k: the supers before it, nearest first");
        // regional of region i: its parent super i mod 4 first, then the other supers in order
        assertEquals(List.of(all.get(0), all.get(1), all.get(2), all.get(3)), p.bootstrapOf(4, all.subList(0, 4)),
                "rb-east-1 -> sb-primary");
        assertEquals(List.of(all.get(0), all.get(1), all.get(2), all.get(3)), p.bootstrapOf(5, all.subList(0, 5)),
                "rb-east-2 -> sb-primary");
        assertEquals(List.of(all.get(1), all.get(0), all.get(2), all.get(3)), p.bootstrapOf(6, all.subList(0, 6)),
                "rb-west-1 -> sb-secondary");
        assertEquals(List.of(all.get(2), all.get(0), all.get(1), all.get(3)), p.bootstrapOf(8, all.subList(0, 8)),
                "rb-north-1 -> sb-tertiary");
        assertEquals(List.of(all.get(3), all.get(0), all.get(1), all.get(2)), p.bootstrapOf(11, all.subList(0, 11)),
                "rb-south-2 -> sb-quaternary");
        for (int i = 4; i < 12; i++) {
            assertTrue(all.subList(0, 4).containsAll(p.bootstrapOf(i, all.subList(0, i))), "a regional joins supers only");
        }
    }

    @Test
    void everyWorkerGetsARegionalOfItsRegionEvenlyAndWithinCapacity() {
        TwoLevelPlan p = TwoLevelPlan.forWorkers(200);
        int[] per = assignment(p, addresses(12));
        for (int i = 0; i < 4; i++) {
            assertEquals(0, per[i], "no worker is given a super");
        }
        for (int i = 4; i < 12; i++) {
            assertTrue(per[i] >= 23 && per[i] <= 24, "188 over 8: " + per[i]);
        }
        // every region gets its share: 2 regionals each
        assertEquals("east", p.joinerRegion(0));
        assertEquals("south", p.joinerRegion(p.workers() - 1));
    }

    @Test
    void aThousandNodesStayOnTheSeedTier() {
        TwoLevelPlan p = TwoLevelPlan.forWorkers(1000);
        assertEquals(12, p.bootstrapNodes().size());
        assertEquals(988, p.workers());
        assertEquals(250, p.capacity(4));
        int[] per = assignment(p, addresses(12));
        for (int i = 4; i < 12; i++) {
            assertTrue(per[i] >= 123 && per[i] <= 124, "988 over 8: " + per[i]);
        }
    }

    @Test
    void regionalsAndCapacitiesScaleWithNodes() {
        // the fewest regionals (8-16) holding every worker at 200 each, then capacity 1.25 x an even share
        assertEquals(8, regionals(TwoLevelPlan.forWorkers(1612)), "1600 workers fit 8 x 200");
        assertEquals(9, regionals(TwoLevelPlan.forWorkers(1613)));
        assertEquals(10, regionals(TwoLevelPlan.forWorkers(2000)));
        assertEquals(16, regionals(TwoLevelPlan.forWorkers(3220)));
        assertEquals(250, TwoLevelPlan.forWorkers(3220).capacity(4));
        TwoLevelPlan big = TwoLevelPlan.forWorkers(10_000);
        assertEquals(16, regionals(big));
        assertEquals(9980, big.workers());
        assertEquals((int) Math.ceil(9980 * 1.25 / 16), big.capacity(4));
        assertEquals(big.capacity(4), big.capacity(0), "supers can take a full regional's overflow");
        TwoLevelPlan biggest = TwoLevelPlan.forWorkers(60_000);
        assertEquals((int) Math.ceil(59_980 * 1.25 / 16), biggest.capacity(19));
        assertEquals(4686, biggest.capacity(19));
    }

    @Test
    void capacityIsNeverExceededByTheAssignment() {
        for (int nodes : new int[] {13, 14, 50, 100, 200, 201, 500, 1000, 1612, 1613, 2000, 2500, 3220, 3221, 5000,
                10_000, 20_000, 60_000}) {
            TwoLevelPlan p = TwoLevelPlan.forWorkers(nodes);
            int boot = p.bootstrapNodes().size();
            assertEquals(nodes, boot + p.workers(), "nodes = tier + workers at " + nodes);
            int[] per = assignment(p, addresses(boot));
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int i = 0; i < boot; i++) {
                assertTrue(per[i] <= p.capacity(i), nodes + " nodes: " + per[i] + " workers on " + p.bootstrapNodes().get(i).name()
                        + " of capacity " + p.capacity(i));
                if (p.bootstrapNodes().get(i).role().equals("regional")) {
                    min = Math.min(min, per[i]);
                    max = Math.max(max, per[i]);
                }
            }
            assertTrue(max - min <= 1, nodes + " nodes: even spread " + min + ".." + max);
            assertTrue(boot - 4 <= TwoLevelPlan.MAX_REGIONALS && boot - 4 >= 8);
        }
    }

    @Test
    void tooFewNodesForTheTier() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TwoLevelPlan.forWorkers(12));
        assertEquals("--topology two-level needs more than 12 nodes (the tier itself), got 12", e.getMessage());
        assertEquals(1, TwoLevelPlan.forWorkers(13).workers());
    }

    @Test
    void optionsBuildTheTwoLevelPlan() {
        NetworkPlan p = NetworkPlan.of(BenchOptions.parse("--topology", "two-level", "--nodes", "200"));
        assertEquals(188, assertInstanceOf(TwoLevelPlan.class, p).workers());
        assertThrows(IllegalArgumentException.class,
                () -> new TwoLevelPlan(io.cqkd.dht.tier.model.Topology.defaults(), 10), "a tier with locals is refused");
    }

    private static long regionals(TwoLevelPlan p) {
        return p.bootstrapNodes().stream().filter(n -> n.role().equals("regional")).count();
    }
}
