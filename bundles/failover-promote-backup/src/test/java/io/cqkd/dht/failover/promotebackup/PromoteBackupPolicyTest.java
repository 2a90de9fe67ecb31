package io.cqkd.dht.failover.promotebackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.FailoverAction;
import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.failover.FailoverDecision.Referral;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.failover.WatchRelation;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.failover.common.Fixture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromoteBackupPolicyTest {
    private final PromoteBackupPolicy policy = new PromoteBackupPolicy();
    private final TierView view = Fixture.view();

    private static int share(FailoverDecision.Promote p, String node) {
        return p.rebalance().stream().filter(r -> r.node().equals(node)).mapToInt(Referral::sessions).sum();
    }

    @Test
    void promotesTheFirstUsableBackupWithCapacityDoubledAndRebalances() {
        FailoverDecision.Promote p = assertInstanceOf(FailoverDecision.Promote.class,
                policy.decide(Fixture.parentLost("lb-001", view, List.of("lb-002", "lb-003"))));
        assertEquals(FailoverAction.PROMOTE_BACKUP, p.action());
        assertEquals("lb-001", p.failed());
        assertEquals("lb-002", p.backup().name());
        assertEquals(50, p.capacityBefore());
        assertEquals(100, p.capacityAfter(), "the seed: capacity doubled");
        assertEquals(40, p.sessionsMoved(), "every session of the failed node is placed");
        assertEquals(0, p.unplaced());
        // utilization is evened at 50%: the promoted backup (30/100) takes about 20, lb-005 (10/50) about 15,
        // lb-003 (20/50) about 5, and lb-004 (45/50, already above) nothing
        assertTrue(Math.abs(share(p, "lb-002") - 20) <= 1, p.rebalance().toString());
        assertTrue(Math.abs(share(p, "lb-005") - 15) <= 1, p.rebalance().toString());
        assertTrue(Math.abs(share(p, "lb-003") - 5) <= 1, p.rebalance().toString());
        assertEquals(0, share(p, "lb-004"));
        assertEquals("lb-002", p.rebalance().get(0).node(), "the backup takes the largest share");
    }

    @Test
    void skipsUnusableBackupsAndFallsBackToMarkFailed() {
        TierView v = Fixture.with(view, Fixture.unhealthy(view, "lb-002"));
        FailureSituation s = Fixture.situation("rb-east-1", NodeRole.REGIONAL, "east", WatchRelation.CHILD,
                "lb-001", v, List.of("lb-002", "lb-003", "rb-east-2", "lb-004"), Set.of("lb-001", "lb-003"),
                List.of());
        FailoverDecision.Promote p = assertInstanceOf(FailoverDecision.Promote.class, policy.decide(s));
        assertEquals("lb-004", p.backup().name(), "unhealthy lb-002, suspected lb-003, other-level rb-east-2 skipped");
        assertEquals(100, p.capacityAfter());

        FailureSituation none = Fixture.situation("rb-east-1", NodeRole.REGIONAL, "east", WatchRelation.CHILD,
                "lb-001", v, List.of("lb-002"), Set.of("lb-001"), List.of());
        FailoverDecision.MarkFailed m = assertInstanceOf(FailoverDecision.MarkFailed.class, policy.decide(none));
        assertTrue(m.reason().contains("no usable backup among lb-002"), m.reason());
        assertEquals(40, m.sessionsMoved());
    }

    @Test
    void aBackupFromAnotherRegionStillTakesItsShare() {
        FailoverDecision.Promote p = assertInstanceOf(FailoverDecision.Promote.class,
                policy.decide(Fixture.parentLost("lb-001", view, List.of("lb-006"))));
        assertEquals("lb-006", p.backup().name());
        assertTrue(share(p, "lb-006") > 0, p.rebalance().toString());
    }

    @Test
    void factorAndCapAreConfigurable() {
        FailoverDecision.Promote p = (FailoverDecision.Promote) new PromoteBackupPolicy(3, 120)
                .decide(Fixture.parentLost("lb-001", view, List.of("lb-002")));
        assertEquals(120, p.capacityAfter(), "3 x 50 capped at 120");
        assertEquals(Map.of("capacity.factor", "2", "capacity.max", "100000", "role", "primary"), policy.settings());
    }

    @Test
    void supersPromoteAPeerSuper() {
        FailureSituation s = Fixture.situation("sb-secondary", NodeRole.SUPER, "", WatchRelation.PEER, "sb-primary",
                view, List.of("sb-secondary"), Set.of("sb-primary"), List.of());
        FailoverDecision.Promote p = assertInstanceOf(FailoverDecision.Promote.class, policy.decide(s));
        assertEquals("sb-secondary", p.backup().name());
        assertEquals(1_000, p.capacityAfter());
        assertEquals(100, p.sessionsMoved());
    }

    @Test
    void clientsGoToTheFailedNodesBackupFirst() {
        FailureSituation s = Fixture.workerLost("lb-001", view, List.of("lb-004"), Set.of(),
                List.of("sb-secondary", "rb-east-2", "lb-005", "lb-003", "lb-004"));
        FailoverDecision.TryNext t = assertInstanceOf(FailoverDecision.TryNext.class, policy.decide(s));
        assertEquals("lb-004", t.next().name(), "the node the parent promotes");
        assertEquals(List.of("lb-005", "lb-003"), t.then().stream().map(n -> n.name()).toList());
    }
}
