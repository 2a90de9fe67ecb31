package io.cqkd.dht.failover.retrynext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.FailoverAction;
import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.failover.FailoverDecision.Referral;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.failover.WatchRelation;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.failover.common.Fixture;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryNextPolicyTest {
    private final RetryNextPolicy policy = new RetryNextPolicy();
    private final TierView view = Fixture.view();

    @Test
    void clientMovesToTheNextNodeOfItsSelectionIgnoringBackups() {
        FailureSituation s = Fixture.workerLost("lb-001", view, List.of("lb-004"), Set.of(),
                List.of("sb-secondary", "rb-east-2", "lb-005", "lb-003", "lb-004"));
        FailoverDecision.TryNext t = assertInstanceOf(FailoverDecision.TryNext.class, policy.decide(s));
        assertEquals("lb-005", t.next().name());
        assertEquals(FailoverAction.RETRY_NEXT, t.action());
    }

    @Test
    void clientTriesEachNodeThenEscalates() {
        List<String> picks = List.of("sb-primary", "rb-east-1", "rb-east-2", "lb-002", "lb-003");
        FailoverDecision d1 = policy.decide(Fixture.workerLost("lb-001", view, List.of(), Set.of(), picks));
        assertEquals("lb-002", ((FailoverDecision.TryNext) d1).next().name());
        FailoverDecision d2 = policy.decide(Fixture.workerLost("lb-001", view, List.of(), Set.of("lb-002"), picks));
        assertEquals("lb-003", ((FailoverDecision.TryNext) d2).next().name());
        // the strategy's locals are used up; the view still knows other locals, which come next
        FailoverDecision d3 = policy.decide(Fixture.workerLost("lb-001", view, List.of(),
                Set.of("lb-002", "lb-003"), picks));
        assertEquals("lb-005", ((FailoverDecision.TryNext) d3).next().name());
        FailoverDecision d4 = policy.decide(Fixture.workerLost("lb-001", view, List.of(),
                Set.of("lb-002", "lb-003", "lb-004", "lb-005", "lb-006"), picks));
        FailoverDecision.Escalate e = assertInstanceOf(FailoverDecision.Escalate.class, d4);
        assertEquals(NodeRole.REGIONAL, e.level());
        assertEquals("rb-east-1", e.candidates().get(0).name());
    }

    @Test
    void childWhoseParentFailedReportsToAnotherParent() {
        FailureSituation s = Fixture.situation("lb-001", NodeRole.LOCAL, "east", WatchRelation.PARENT, "rb-east-1",
                view, List.of(), Set.of("rb-east-1"), List.of());
        FailoverDecision.TryNext t = assertInstanceOf(FailoverDecision.TryNext.class, policy.decide(s));
        assertEquals("rb-east-2", t.next().name());
    }

    @Test
    void parentMarksFailedAndRebalancesWithoutPromoting() {
        FailoverDecision.MarkFailed m = assertInstanceOf(FailoverDecision.MarkFailed.class,
                policy.decide(Fixture.parentLost("lb-001", view, List.of("lb-002"))));
        assertEquals("lb-001", m.failed());
        assertEquals(List.of(new Referral("lb-005", 23), new Referral("lb-003", 13), new Referral("lb-002", 4)),
                m.rebalance());
        assertEquals(40, m.sessionsMoved());
        assertEquals(0, m.unplaced());
    }

    @Test
    void nameMatchesServiceProperty() {
        assertEquals("retry-next", policy.name());
    }
}
