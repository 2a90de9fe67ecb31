package io.cqkd.dht.failover.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.failover.FailoverDecision.Referral;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.TierView;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RulesTest {
    private final TierView view = Fixture.view();

    private static List<String> names(List<BootstrapNode> nodes) {
        return nodes.stream().map(BootstrapNode::name).toList();
    }

    @Test
    void rebalanceEvensUtilizationNeverAboveCapacity() {
        List<BootstrapNode> nodes = List.of(view.node("lb-002").orElseThrow(), view.node("lb-003").orElseThrow(),
                view.node("lb-004").orElseThrow(), view.node("lb-005").orElseThrow());
        Rebalance.Plan p = Rebalance.plan(40, nodes);
        // loads 30, 20, 45, 10 of 50: the three below the mean end at 34/33/33, lb-004 (already 90%) gets none
        assertEquals(List.of(new Referral("lb-005", 23), new Referral("lb-003", 13), new Referral("lb-002", 4)),
                p.referrals());
        assertEquals(0, p.unplaced());
        Rebalance.Plan full = Rebalance.plan(200, nodes);
        assertEquals(95, full.referrals().stream().mapToInt(Referral::sessions).sum(), "only the headroom");
        assertEquals(105, full.unplaced());
        assertEquals(List.of(), Rebalance.plan(0, nodes).referrals());
        assertEquals(7, Rebalance.plan(7, List.of()).unplaced());
    }

    @Test
    void remainingIsTheUsableNodesOfTheLevelAndRegion() {
        FailureSituation s = Fixture.parentLost("lb-001", Fixture.with(view, Fixture.unhealthy(view, "lb-003")),
                List.of());
        assertEquals(List.of("lb-005", "lb-002", "lb-004"), names(Rebalance.remaining(s, null)));
        BootstrapNode bigger = view.node("lb-004").orElseThrow().withLoad(45, 500, true, 0);
        assertEquals(List.of("lb-004", "lb-005", "lb-002"), names(Rebalance.remaining(s, bigger)),
                "the override's figures are used");
    }

    @Test
    void clientMovesInSelectionOrderSkippingUnusableNodes() {
        TierView v = Fixture.with(view, Fixture.unhealthy(view, "lb-003"));
        FailureSituation s = Fixture.workerLost("lb-001", v, List.of(), Set.of("lb-005"),
                List.of("sb-secondary", "rb-east-2", "lb-003", "lb-005", "lb-004", "lb-002"));
        FailoverDecision.TryNext t = assertInstanceOf(FailoverDecision.TryNext.class, ClientMoves.retryNext(s));
        assertEquals("lb-004", t.next().name(), "strategy order, unhealthy lb-003 and unavailable lb-005 skipped");
        assertEquals(List.of("lb-002"), names(t.then()));
        assertEquals(1, t.sessionsMoved());
    }

    @Test
    void withoutSelectionTheViewOfTheRegionLeastLoadedFirst() {
        FailureSituation s = Fixture.workerLost("lb-001", view, List.of(), Set.of(), List.of());
        FailoverDecision.TryNext t = assertInstanceOf(FailoverDecision.TryNext.class, ClientMoves.retryNext(s));
        assertEquals("lb-005", t.next().name());
        assertEquals(List.of("lb-003", "lb-002", "lb-004", "lb-006"), names(t.then()), "east first, then others");
    }

    @Test
    void preferredNodesComeFirst() {
        FailureSituation s = Fixture.workerLost("lb-001", view, List.of("lb-004", "rb-east-1"), Set.of(),
                List.of("lb-005", "lb-004"));
        FailoverDecision.TryNext t = assertInstanceOf(FailoverDecision.TryNext.class,
                ClientMoves.decide(s, s.backups()));
        assertEquals("lb-004", t.next().name(), "a preferred node of another level is ignored");
        assertEquals(List.of("lb-005"), names(t.then()));
    }

    @Test
    void escalatesToTheParentLevelParentFirst() {
        Set<String> allLocals = Set.of("lb-002", "lb-003", "lb-004", "lb-005", "lb-006");
        FailureSituation s = Fixture.workerLost("lb-001", view, List.of(), allLocals,
                List.of("sb-primary", "rb-east-2", "rb-east-1", "lb-002"));
        FailoverDecision.Escalate e = assertInstanceOf(FailoverDecision.Escalate.class, ClientMoves.retryNext(s));
        assertEquals(NodeRole.REGIONAL, e.level());
        assertEquals(List.of("rb-east-1", "rb-east-2"), names(e.candidates()), "failed node's parent first");

        FailureSituation r = Fixture.workerLost("rb-east-1", view, List.of(), Set.of("rb-east-2", "rb-west-1"),
                List.of());
        FailoverDecision.Escalate up = assertInstanceOf(FailoverDecision.Escalate.class, ClientMoves.retryNext(r));
        assertEquals(NodeRole.SUPER, up.level());
        assertEquals(List.of("sb-primary", "sb-secondary"), names(up.candidates()));

        FailureSituation top = Fixture.workerLost("sb-primary", view, List.of(), Set.of("sb-secondary"), List.of());
        FailoverDecision none = ClientMoves.retryNext(top);
        assertInstanceOf(FailoverDecision.NoAction.class, none);
        assertTrue(((FailoverDecision.NoAction) none).reason().contains("BOOTSTRAP_NODES"));
    }
}
