package io.cqkd.dht.tier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A two-level tier (no locals) admits workers at its regionals and overflows within the region, then to supers. */
class TwoLevelAdmissionTest {
    static final InetSocketAddress ADDR = new InetSocketAddress("127.0.0.1", 7001);

    private static BootstrapNode withLoad(BootstrapNode n, int active) {
        return new BootstrapNode(n.name(), Optional.empty(), n.level(), n.region(), n.parent(), n.address(), active,
                n.capacity(), true, 0);
    }

    @Test
    void fullRegionalRefersToItsRegionThenToTheSupers() {
        Topology t = Topology.build(Topology.Spec.twoLevel().withCapacities(500, 2, 50));
        BootstrapNode self = t.node("rb-east-1").orElseThrow().asBootstrapNode();
        SessionTable sessions = new SessionTable(2, 60_000, 10);
        List<BootstrapNode> known = t.initialView(0).nodes().stream()
                .map(n -> n.name().equals("rb-east-1") ? withLoad(n, 2) : n).toList();
        for (int i = 0; i < 2; i++) {
            assertInstanceOf(AdmissionDecision.Admitted.class,
                    Admission.decide(self, sessions, NodeId.ofKey("w" + i), ADDR, "east", 0, () -> known));
        }
        AdmissionDecision.Referred r = assertInstanceOf(AdmissionDecision.Referred.class,
                Admission.decide(self, sessions, NodeId.ofKey("w2"), ADDR, "east", 0, () -> known));
        // the sibling regional of the region, no locals to refer down to, then supers
        assertEquals("rb-east-2", r.alternatives().get(0).name());
        assertEquals(NodeRole.SUPER, r.alternatives().get(1).level());
        assertEquals(2, sessions.active(0));
    }

    @Test
    void joinPlanOverATwoLevelSelectionTriesRegionalsBeforeSupers() {
        Topology t = Topology.build(Topology.Spec.twoLevel());
        List<BootstrapNode> selection = t.initialView(0).nodes().stream()
                .filter(n -> n.level() == NodeRole.SUPER || n.region().equals("west")).toList();
        List<BootstrapNode> order = JoinPlan.order(selection, new SplittableRandom(1));
        assertEquals(6, order.size());
        assertEquals(List.of(NodeRole.REGIONAL, NodeRole.REGIONAL, NodeRole.SUPER, NodeRole.SUPER, NodeRole.SUPER,
                NodeRole.SUPER), order.stream().map(BootstrapNode::level).toList());
    }
}
