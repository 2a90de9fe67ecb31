package io.cqkd.dht.tier.failover.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.tier.model.ChildLoadTable;
import io.cqkd.dht.tier.model.LoadReport;
import io.cqkd.dht.tier.model.SessionTable;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverActionsTest {
    static BootstrapNode local(String name, int active, int capacity) {
        return new BootstrapNode(name, Optional.empty(), NodeRole.LOCAL, "east", "rb-east-1",
                InetSocketAddress.createUnresolved("127.0.0.1", 5698 + Integer.parseInt(name.substring(3)) - 1),
                active, capacity, true, 0);
    }

    private static ChildLoadTable table(BootstrapNode... nodes) {
        ChildLoadTable t = new ChildLoadTable(10_000, 3);
        for (BootstrapNode n : nodes) {
            t.record(LoadReport.of(n, n.activeSessions(), n.capacity(), true), 0);
        }
        return t;
    }

    @Test
    void promoteMarksFailedRaisesBackupCapacityAndNotesReferrals() {
        BootstrapNode l1 = local("lb-001", 40, 50);
        BootstrapNode l2 = local("lb-002", 10, 50);
        BootstrapNode l3 = local("lb-003", 30, 50);
        ChildLoadTable t = table(l1, l2, l3);
        FailoverDecision.Promote p = new FailoverDecision.Promote("lb-001", l2, 50, 100,
                List.of(new FailoverDecision.Referral("lb-002", 35), new FailoverDecision.Referral("lb-003", 5)), 0);

        FailoverActions.ParentOutcome out = FailoverActions.applyAtParent(p, l1, t, 1_000);

        assertEquals(40, out.sessionsMoved());
        assertFalse(t.isHealthy("lb-001", 1_000), "failed node marked failed");
        BootstrapNode b = t.node("lb-002", 1_000).orElseThrow();
        assertEquals(100, b.capacity(), "backup capacity doubled in the parent's view");
        assertEquals(45, b.activeSessions(), "10 reported + 35 expected");
        assertEquals(35, t.node("lb-003", 1_000).orElseThrow().activeSessions());
        FailoverActions.CapacityOrder order = out.order().orElseThrow();
        assertEquals(new FailoverActions.CapacityOrder("lb-002", l2.address(), 100, "lb-001"), order);
        assertTrue(order.promotion());
        // referrals now avoid the failed node and prefer the promoted backup
        assertEquals(List.of("lb-002", "lb-003"), t.leastLoaded(NodeRole.LOCAL, "east", 5, 1_000).stream()
                .map(BootstrapNode::name).toList());

        SessionTable backupSessions = new SessionTable(50);
        assertEquals(50, FailoverActions.applyAtBackup(order, backupSessions));
        assertEquals(100, backupSessions.capacity());
    }

    @Test
    void markFailedAndRestore() {
        BootstrapNode l1 = local("lb-001", 20, 50);
        BootstrapNode l2 = local("lb-002", 0, 100);
        ChildLoadTable t = table(l1, l2);
        FailoverActions.ParentOutcome out = FailoverActions.applyAtParent(new FailoverDecision.MarkFailed("lb-001",
                List.of(new FailoverDecision.Referral("lb-002", 20), new FailoverDecision.Referral("gone", 3)), 0,
                "no backup"), l1, t, 10);
        assertEquals(20, out.sessionsMoved(), "unknown nodes are skipped");
        assertTrue(out.order().isEmpty());
        assertFalse(t.isHealthy("lb-001", 10));

        // lb-001 is back and reports again; the restore gives lb-002 its capacity back
        t.record(LoadReport.of(l1, 0, 50, true), 20);
        FailoverActions.ParentOutcome r = FailoverActions.applyAtParent(new FailoverDecision.Restore("lb-001",
                "lb-002", 50), l1, t, 20);
        assertEquals(50, t.node("lb-002", 20).orElseThrow().capacity());
        assertEquals(new FailoverActions.CapacityOrder("lb-002", l2.address(), 50, ""), r.order().orElseThrow());
        assertTrue(t.isHealthy("lb-001", 20));
    }

    @Test
    void rejectsClientDecisionsAndOtherNodes() {
        BootstrapNode l1 = local("lb-001", 0, 50);
        ChildLoadTable t = table(l1);
        assertThrows(IllegalArgumentException.class, () -> FailoverActions.applyAtParent(
                new FailoverDecision.TryNext(l1, List.of()), l1, t, 0));
        assertThrows(IllegalArgumentException.class, () -> FailoverActions.applyAtParent(
                new FailoverDecision.MarkFailed("lb-009", List.of(), 0, "x"), l1, t, 0));
    }
}
