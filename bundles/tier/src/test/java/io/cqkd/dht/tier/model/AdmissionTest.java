package io.cqkd.dht.tier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    static BootstrapNode node(String name, NodeRole level, String region, int active, int capacity, boolean healthy) {
        return new BootstrapNode(name, Optional.empty(), level, region, "", InetSocketAddress.createUnresolved("h", 1),
                active, capacity, healthy, 0);
    }

    static final InetSocketAddress ADDR = new InetSocketAddress("127.0.0.1", 7001);

    @Test
    void admitsUntilCapacityThenRefersToTheLeastLoadedHealthyNodeOfTheRightLevelAndRegion() {
        BootstrapNode self = node("lb-001", NodeRole.LOCAL, "east", 0, 2, true);
        SessionTable sessions = new SessionTable(2, 60_000, 10);
        List<BootstrapNode> known = List.of(
                node("lb-002", NodeRole.LOCAL, "east", 30, 50, true),
                node("lb-003", NodeRole.LOCAL, "east", 10, 50, true),
                node("lb-004", NodeRole.LOCAL, "east", 1, 50, false),   // unhealthy
                node("lb-005", NodeRole.LOCAL, "east", 50, 50, true),   // full
                node("lb-006", NodeRole.LOCAL, "west", 0, 50, true),    // wrong region
                node("rb-east-1", NodeRole.REGIONAL, "east", 100, 250, true),
                node("rb-west-1", NodeRole.REGIONAL, "west", 0, 250, true));
        AtomicInteger asked = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            AdmissionDecision d = Admission.decide(self, sessions, NodeId.ofKey("w" + i), ADDR, "east", 100,
                    () -> { asked.incrementAndGet(); return known; });
            AdmissionDecision.Admitted a = assertInstanceOf(AdmissionDecision.Admitted.class, d);
            assertEquals(60_100, a.expiresMillis());
        }
        assertEquals(0, asked.get(), "alternatives are only computed when the node is full");
        AdmissionDecision d = Admission.decide(self, sessions, NodeId.ofKey("w2"), ADDR, "east", 100, () -> known);
        AdmissionDecision.Referred r = assertInstanceOf(AdmissionDecision.Referred.class, d);
        // siblings of the region first (least-loaded), then the level above in the region
        assertEquals(List.of("lb-003", "lb-002", "rb-east-1"), r.alternatives().stream().map(BootstrapNode::name).toList());
        assertEquals(2, sessions.active(100), "a full node never admits");
    }

    @Test
    void refusesOnlyWhenNoHealthyNodeWithRoomIsKnown() {
        BootstrapNode self = node("sb-primary", NodeRole.SUPER, "", 0, 1, true);
        SessionTable sessions = new SessionTable(1, 60_000, 10);
        sessions.tryAdmit(NodeId.ofKey("w0"), ADDR, 0);
        List<BootstrapNode> known = List.of(node("sb-secondary", NodeRole.SUPER, "", 500, 500, true),
                node("rb-east-1", NodeRole.REGIONAL, "east", 0, 250, false));
        AdmissionDecision d = Admission.decide(self, sessions, NodeId.ofKey("w1"), ADDR, "east", 5, () -> known);
        AdmissionDecision.Refused refused = assertInstanceOf(AdmissionDecision.Refused.class, d);
        assertEquals(AdmissionDecision.Reason.AT_CAPACITY, refused.reason());
        assertTrue(refused.detail().contains("sb-primary at capacity 1/1"), refused.detail());
    }

    @Test
    void superRefersToPeerSupersThenToRegionalsOfThePeersRegion() {
        BootstrapNode self = node("sb-primary", NodeRole.SUPER, "", 0, 0, true);
        List<BootstrapNode> known = List.of(
                node("sb-secondary", NodeRole.SUPER, "", 400, 500, true),
                node("rb-east-1", NodeRole.REGIONAL, "east", 10, 250, true),
                node("rb-west-1", NodeRole.REGIONAL, "west", 0, 250, true),
                node("rb-west-2", NodeRole.REGIONAL, "west", 5, 250, true));
        AdmissionDecision d = Admission.decide(self, new SessionTable(0), NodeId.ofKey("w"), ADDR, "west", 0, () -> known);
        assertEquals(List.of("sb-secondary", "rb-west-1", "rb-west-2"),
                assertInstanceOf(AdmissionDecision.Referred.class, d).alternatives().stream().map(BootstrapNode::name).toList());
        // peer without region, node without region: children of any region
        assertEquals(List.of("rb-west-1", "rb-west-2", "rb-east-1"),
                Admission.referrals(self, "", known.subList(1, 4), 3).stream().map(BootstrapNode::name).toList());
    }

    @Test
    void aNodeThatIsNotAcceptingRefersEvenWithRoom() {
        BootstrapNode self = node("lb-001", NodeRole.LOCAL, "east", 0, 50, false);
        SessionTable sessions = new SessionTable(50);
        AdmissionDecision d = Admission.decide(self, sessions, NodeId.ofKey("w"), ADDR, "east", 0,
                () -> List.of(node("lb-002", NodeRole.LOCAL, "east", 0, 50, true)));
        assertInstanceOf(AdmissionDecision.Referred.class, d);
        assertEquals(0, sessions.active(0));
        AdmissionDecision none = Admission.decide(self, sessions, NodeId.ofKey("w"), ADDR, "east", 0, List::of);
        assertEquals(AdmissionDecision.Reason.NOT_ACCEPTING, assertInstanceOf(AdmissionDecision.Refused.class, none).reason());
        assertFalse(sessions.session(NodeId.ofKey("w"), 0).isPresent());
    }
}
