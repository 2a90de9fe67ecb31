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
}
