package io.cqkd.dht.tier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JoinPlanTest {
    @Test
    void lowestLevelFirstFullNodesLast() {
        List<BootstrapNode> sel = List.of(
                AdmissionTest.node("sb-primary", NodeRole.SUPER, "", 0, 500, true),
                AdmissionTest.node("rb-east-1", NodeRole.REGIONAL, "east", 0, 250, true),
                AdmissionTest.node("lb-001", NodeRole.LOCAL, "east", 50, 50, true),
                AdmissionTest.node("lb-002", NodeRole.LOCAL, "east", 10, 50, true));
        List<String> order = JoinPlan.order(sel, new SplittableRandom(1)).stream().map(BootstrapNode::name).toList();
        assertEquals(List.of("lb-002", "rb-east-1", "sb-primary", "lb-001"), order);
    }

    @Test
    void firstPickIsSpreadOverTheLeastLoadedHalfIncludingTies() {
        List<BootstrapNode> locals = List.of(
                AdmissionTest.node("lb-001", NodeRole.LOCAL, "east", 0, 50, true),
                AdmissionTest.node("lb-002", NodeRole.LOCAL, "east", 0, 50, true),
                AdmissionTest.node("lb-003", NodeRole.LOCAL, "east", 0, 50, true),
                AdmissionTest.node("lb-004", NodeRole.LOCAL, "east", 20, 50, true));
        assertEquals(3, JoinPlan.poolSize(locals), "ties with the median share the chance");
        Set<String> firsts = new HashSet<>();
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            firsts.add(JoinPlan.order(locals, r).get(0).name());
        }
        assertEquals(Set.of("lb-001", "lb-002", "lb-003"), firsts);
        assertTrue(JoinPlan.order(List.of(), r).isEmpty());
        assertEquals(1, JoinPlan.poolSize(locals.subList(0, 1)));
    }

    @Test
    void anAdmittedClientsKademliaJoinFallsBackOnLocalsFirstInRandomOrderThenRegionalsThenSupers() {
        List<BootstrapNode> selection = List.of(
                AdmissionTest.node("sb-1", NodeRole.SUPER, "", 0, 500, true),
                AdmissionTest.node("sb-2", NodeRole.SUPER, "", 0, 500, true),
                AdmissionTest.node("rb-1", NodeRole.REGIONAL, "east", 0, 250, true),
                AdmissionTest.node("rb-2", NodeRole.REGIONAL, "east", 0, 250, true),
                AdmissionTest.node("lb-1", NodeRole.LOCAL, "east", 0, 50, true),
                AdmissionTest.node("lb-2", NodeRole.LOCAL, "east", 0, 50, true),
                AdmissionTest.node("lb-3", NodeRole.LOCAL, "east", 0, 50, true));
        Set<String> firstLocals = new HashSet<>();
        for (long seed = 1; seed <= 40; seed++) {
            List<String> order = JoinPlan.kademliaFallbacks(selection, new SplittableRandom(seed)).stream()
                    .map(BootstrapNode::name).toList();
            assertEquals(Set.of("lb-1", "lb-2", "lb-3"), Set.copyOf(order.subList(0, 3)), "locals first: " + order);
            assertEquals(Set.of("rb-1", "rb-2"), Set.copyOf(order.subList(3, 5)), "then regionals: " + order);
            assertEquals(Set.of("sb-1", "sb-2"), Set.copyOf(order.subList(5, 7)), "supers last: " + order);
            firstLocals.add(order.get(0));
        }
        assertEquals(Set.of("lb-1", "lb-2", "lb-3"), firstLocals, "the second node a join asks is spread over the locals");
    }
}
