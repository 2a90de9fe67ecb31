package io.cqkd.dht.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.FailoverAction;
import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.failover.FailoverEvent;
import io.cqkd.dht.api.failover.FailoverPolicy;
import io.cqkd.dht.api.failover.FailoverVerdict;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.failover.PolicyInfo;
import io.cqkd.dht.api.failover.WatchRelation;
import io.cqkd.dht.api.failover.WatchState;
import io.cqkd.dht.api.failover.WatchedNode;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.failover.common.Fixture;
import io.cqkd.dht.failover.promotebackup.PromoteBackupPolicy;
import io.cqkd.dht.failover.retrynext.RetryNextPolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverHubTest {
    private final TierView view = Fixture.view();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private FailoverHub hub(Map<String, Object> props) {
        return new FailoverHub(FailoverSettings.from(props), clock);
    }

    @Test
    void withoutAPolicyNothingFailsOver() {
        FailoverHub hub = hub(Map.of());
        FailoverVerdict v = hub.decide(Fixture.parentLost("lb-001", view, List.of()));
        FailoverDecision.NoAction n = assertInstanceOf(FailoverDecision.NoAction.class, v.decision());
        assertTrue(n.reason().contains("(policy=promote-backup)"), n.reason());
        assertFalse(v.actionable());
        assertThrows(IllegalArgumentException.class, () -> hub.applied(v, 0));
        assertEquals("", hub.activePolicy());
    }

    @Test
    void backupsComeFromConfigurationAndTheSwapTakesEffectOnTheNextFailure() {
        FailoverHub hub = hub(Map.of(FailoverSettings.BACKUPS, "lb-001=lb-003;lb-004=lb-002"));
        PromoteBackupPolicy promote = new PromoteBackupPolicy();
        hub.policyBound(promote, "promote-backup", "io.cqkd.dht.failover.promotebackup 0.1.0");
        FailoverVerdict v = hub.decide(Fixture.parentLost("lb-001", view, List.of("ignored")));
        FailoverDecision.Promote p = assertInstanceOf(FailoverDecision.Promote.class, v.decision());
        assertEquals("lb-003", p.backup().name(), "configured backup");
        assertEquals("promote-backup", v.policy());

        RetryNextPolicy retry = new RetryNextPolicy();
        hub.policyBound(retry, "retry-next", "io.cqkd.dht.failover.retrynext 0.1.0"); // greedy: new one first
        hub.policyUnbound(promote); // then the old one goes: ignored, retry-next stays
        assertEquals("retry-next", hub.activePolicy());
        FailoverVerdict next = hub.decide(Fixture.parentLost("lb-004", view, List.of()));
        assertInstanceOf(FailoverDecision.MarkFailed.class, next.decision());
        assertEquals("retry-next", next.policy());
        hub.policyUnbound(retry);
        assertEquals("", hub.activePolicy());
    }

    @Test
    void brokenPoliciesGiveNoAction() {
        FailoverHub hub = hub(Map.of());
        FailureSituation child = Fixture.parentLost("lb-001", view, List.of());
        FailoverPolicy throwing = new FailoverPolicy() {
            public String name() {
                return "bad";
            }

            public FailoverDecision decide(FailureSituation s) {
                throw new IllegalStateException("boom");
            }
        };
        hub.policyBound(throwing, "bad", "x");
        assertTrue(((FailoverDecision.NoAction) hub.decide(child).decision()).reason().contains("boom"));

        hub.policyBound(named(s -> new FailoverDecision.TryNext(view.node("lb-002").orElseThrow(), List.of())), "t", "x");
        assertTrue(((FailoverDecision.NoAction) hub.decide(child).decision()).reason()
                .contains("retry_next for a child relation"));

        hub.policyBound(named(s -> new FailoverDecision.MarkFailed("lb-001",
                List.of(new FailoverDecision.Referral("lb-001", 3)), 0, "x")), "m", "x");
        assertTrue(((FailoverDecision.NoAction) hub.decide(child).decision()).reason()
                .contains("the failed node lb-001"));

        hub.policyBound(named(s -> null), "n", "x");
        assertTrue(((FailoverDecision.NoAction) hub.decide(child).decision()).reason().contains("returned null"));

        FailureSituation client = Fixture.workerLost("lb-001", view, List.of(), java.util.Set.of("lb-002"), List.of());
        hub.policyBound(named(s -> new FailoverDecision.TryNext(view.node("lb-002").orElseThrow(), List.of())), "u", "x");
        assertTrue(((FailoverDecision.NoAction) hub.decide(client).decision()).reason()
                .contains("unavailable node lb-002"));
    }

    private static FailoverPolicy named(java.util.function.Function<FailureSituation, FailoverDecision> f) {
        return new FailoverPolicy() {
            public String name() {
                return "test";
            }

            public FailoverDecision decide(FailureSituation s) {
                return f.apply(s);
            }
        };
    }

    @Test
    void appliedPromotionIsAnEventAndRecoveryRestoresWhateverPolicyIsActive() {
        FailoverHub hub = hub(Map.of(FailoverSettings.EVENTS_MAX, 2));
        hub.policyBound(new PromoteBackupPolicy(), "promote-backup", "b");
        FailoverVerdict v = hub.decide(Fixture.parentLost("lb-001", view, List.of()));
        FailoverEvent e = hub.applied(v, 40);
        assertEquals(new FailoverEvent(clock.instant(), "rb-east-1", "lb-001", NodeRole.LOCAL, "east",
                FailoverAction.PROMOTE_BACKUP, Optional.of("lb-002"), 40, "promote-backup",
                "role primary, capacity 50->100, planned 40 over 3 nodes, unplaced 0"), e);
        assertEquals(List.of(e), hub.events());

        hub.policyBound(new RetryNextPolicy(), "retry-next", "b");
        FailoverVerdict r = hub.recovered("rb-east-1", view.node("lb-001").orElseThrow(), WatchRelation.CHILD);
        assertEquals(new FailoverDecision.Restore("lb-001", "lb-002", 50), r.decision());
        assertEquals("promote-backup", r.policy(), "the policy that promoted");
        FailoverEvent restored = hub.applied(r, 0);
        assertEquals(FailoverAction.RESTORE, restored.action());
        assertInstanceOf(FailoverDecision.NoAction.class,
                hub.recovered("rb-east-1", view.node("lb-001").orElseThrow(), WatchRelation.CHILD).decision(),
                "restored once");

        hub.applied(hub.decide(Fixture.workerLost("lb-003", view, List.of(), java.util.Set.of(), List.of())), 1);
        assertEquals(3, hub.eventCount());
        assertEquals(2, hub.events().size(), "bounded to events.max");
        assertEquals(FailoverAction.RETRY_NEXT, hub.events().get(1).action());
    }

    @Test
    void statusShowsSuspectedAndFailedPerObserver() {
        FailoverHub hub = hub(Map.of());
        Instant t = Instant.EPOCH;
        hub.stateChanged(new WatchedNode("rb-east-1", "lb-001", NodeRole.LOCAL, "east", WatchRelation.CHILD,
                WatchState.FAILED, t, 6));
        hub.stateChanged(new WatchedNode("rb-east-1", "lb-002", NodeRole.LOCAL, "east", WatchRelation.CHILD,
                WatchState.SUSPECTED, t, 1));
        hub.stateChanged(new WatchedNode("lb-002", "rb-east-1", NodeRole.REGIONAL, "east", WatchRelation.PARENT,
                WatchState.ALIVE, t, 0));
        var s = hub.status();
        assertEquals(3, s.watched());
        assertEquals(List.of("lb-002"), s.suspected().stream().map(WatchedNode::node).toList());
        assertEquals(List.of("lb-001"), s.failed().stream().map(WatchedNode::node).toList());
        assertEquals(clock.instant(), s.failed().get(0).since(), "stamped on receipt");
        hub.stateChanged(new WatchedNode("rb-east-1", "lb-002", NodeRole.LOCAL, "east", WatchRelation.CHILD,
                WatchState.ALIVE, t, 0));
        assertTrue(hub.status().suspected().isEmpty());
        hub.forget("rb-east-1", "lb-001");
        assertTrue(hub.status().failed().isEmpty());
        hub.forget("rb-east-1", "");
        assertEquals(1, hub.status().watched());
    }

    @Test
    void settingsAreValidatedWithFallbacks() {
        FailoverSettings ok = FailoverSettings.from(Map.of(FailoverSettings.PROBE_PERIOD, "2000",
                FailoverSettings.PROBE_TIMEOUT, 1_500L, FailoverSettings.SUSPICION, 8_000,
                FailoverSettings.MISSED_MIN, "4", FailoverSettings.POLICY_TARGET, "(policy=retry-next)",
                FailoverSettings.BACKUPS, new String[] {"lb-001=lb-002", "lb-003=lb-004"}));
        assertTrue(ok.warnings().isEmpty(), ok.warnings().toString());
        assertEquals(2_000, ok.detector().probePeriodMillis());
        assertEquals(4, ok.detector().minMissedProbes());
        assertEquals(2, ok.backups().overrides().size());
        assertEquals("(policy=retry-next)", ok.policyTarget());

        FailoverSettings bad = FailoverSettings.from(Map.of(FailoverSettings.PROBE_TIMEOUT, 5_000,
                FailoverSettings.EVENTS_MAX, 0, FailoverSettings.BACKUPS, "lb-001=lb-001",
                FailoverSettings.SUSPICION, "soon"));
        assertEquals(io.cqkd.dht.api.failover.DetectorSettings.DEFAULTS, bad.detector());
        assertEquals(1_000, bad.eventLimit());
        assertTrue(bad.backups().overrides().isEmpty());
        assertEquals(4, bad.warnings().size(), bad.warnings().toString());

        FailoverHub hub = new FailoverHub(ok, clock);
        hub.policyBound(new PromoteBackupPolicy(), "promote-backup", "io.cqkd.dht.failover.promotebackup 0.1.0");
        hub.policyRegistered(7, "retry-next");
        hub.policyRegistered(8, "promote-backup");
        PolicyInfo info = hub.policy();
        assertEquals("promote-backup", info.active());
        assertEquals(List.of("promote-backup", "retry-next"), info.registered());
        assertEquals("2", info.settings().get("capacity.factor"));
        assertEquals(ok.detector(), info.detector());
        hub.policyUnregistered(7);
        assertEquals(List.of("promote-backup"), hub.policy().registered());
    }
}
