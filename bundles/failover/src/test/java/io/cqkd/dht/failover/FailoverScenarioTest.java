package io.cqkd.dht.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.FailoverAction;
import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.failover.FailoverEvent;
import io.cqkd.dht.api.failover.FailoverVerdict;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.failover.WatchRelation;
import io.cqkd.dht.api.failover.WatchState;
import io.cqkd.dht.api.failover.WatchedNode;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.HealthSummary;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.failover.promotebackup.PromoteBackupPolicy;
import io.cqkd.dht.failover.retrynext.RetryNextPolicy;
import io.cqkd.dht.tier.failover.FailureDetector;
import io.cqkd.dht.tier.failover.apply.FailoverActions;
import io.cqkd.dht.tier.model.Admission;
import io.cqkd.dht.tier.model.AdmissionDecision;
import io.cqkd.dht.tier.model.ChildLoadTable;
import io.cqkd.dht.tier.model.Health;
import io.cqkd.dht.tier.model.LoadReport;
import io.cqkd.dht.tier.model.SessionTable;
import io.cqkd.dht.tier.model.Topology;
import io.cqkd.dht.tier.model.TopologyNode;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A model-level failover scenario under a manual clock: regional rb-east-1 of the seed's tier
 * watches its four locals; each local holds worker sessions and reports its load every 10 s.
 * The glue in {@link ParentAgent} is exactly what docs/failover.md asks of the tier agent.
 */
class FailoverScenarioTest {
    static final long REPORT_PERIOD = 10_000;
    static final long STEP = 100;

    final Topology topology = Topology.defaults();
    final FailoverHub hub = new FailoverHub(FailoverSettings.from(Map.of()),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    final Map<String, SessionTable> sessions = new LinkedHashMap<>();
    final Map<String, Boolean> answering = new HashMap<>();
    final SplittableRandom random = new SplittableRandom(7);
    long now;

    /** The parent's side of the tier agent. */
    final class ParentAgent {
        final String self = "rb-east-1";
        final ChildLoadTable table = new ChildLoadTable(REPORT_PERIOD, ChildLoadTable.DEFAULT_STALE_PERIODS);
        final FailureDetector detector = new FailureDetector(hub.detectorSettings(), () -> now);
        final List<FailoverEvent> events = new ArrayList<>();

        void onMessageFrom(String child) {
            detector.heard(child).ifPresent(this::onTransition);
        }

        void onWake() {
            FailureDetector.Poll p = detector.poll();
            p.transitions().forEach(this::onTransition);
            for (FailureDetector.Probe probe : p.probes()) {
                if (answering.get(probe.node())) { // the probe's answer arrives at once on loopback
                    onMessageFrom(probe.node());
                }
            }
        }

        void onTransition(FailureDetector.Transition t) {
            BootstrapNode node = table.node(t.node(), now).orElseThrow();
            hub.stateChanged(new WatchedNode(self, t.node(), node.level(), node.region(), WatchRelation.CHILD, t.to(),
                    Instant.EPOCH, t.missedProbes()));
            if (t.failed()) {
                FailureSituation s = new FailureSituation(self, NodeRole.REGIONAL, "east", WatchRelation.CHILD, node,
                        new TierView(table.snapshot(now), now), List.of(), detector.unavailable(), List.of(),
                        detector.context(t.node()).orElseThrow());
                apply(hub.decide(s), node);
            } else if (t.recovered()) {
                apply(hub.recovered(self, node, WatchRelation.CHILD), node);
            }
        }

        void apply(FailoverVerdict v, BootstrapNode node) {
            if (!v.actionable()) {
                return;
            }
            FailoverActions.ParentOutcome out = FailoverActions.applyAtParent(v.decision(), node, table, now);
            // "send" the PROMOTE / RESTORE order; the backup's agent applies it to its own session table
            out.order().ifPresent(o -> FailoverActions.applyAtBackup(o, sessions.get(o.backup())));
            events.add(hub.applied(v, out.sessionsMoved()));
        }
    }

    final ParentAgent parent = new ParentAgent();

    void report(String child) {
        TopologyNode n = topology.node(child).orElseThrow();
        SessionTable t = sessions.get(child);
        parent.table.record(LoadReport.of(n.asBootstrapNode(), t.active(now), t.capacity(), true), now);
        parent.onMessageFrom(child);
    }

    void runUntil(long until) {
        while (now < until) {
            now += STEP;
            if (now % REPORT_PERIOD == 0) {
                sessions.keySet().stream().filter(answering::get).forEach(this::report);
            }
            parent.onWake();
        }
    }

    NodeId worker() {
        byte[] b = new byte[NodeId.BYTES];
        random.nextBytes(b);
        return NodeId.of(b);
    }

    @Test
    void childDiesBackupIsPromotedReferralsMoveAndTheNodeRejoins() {
        hub.policyBound(new PromoteBackupPolicy(), "promote-backup", "io.cqkd.dht.failover.promotebackup");
        int[] load = {40, 30, 20, 45};
        for (int i = 0; i < 4; i++) {
            String name = String.format("lb-%03d", i + 1);
            SessionTable t = new SessionTable(topology.node(name).orElseThrow().capacity(), 3_600_000, 100);
            for (int w = 0; w < load[i]; w++) {
                t.tryAdmit(worker(), new InetSocketAddress("127.0.0.1", 7000 + w), 0);
            }
            sessions.put(name, t);
            answering.put(name, true);
            report(name);
            parent.detector.watch(name);
        }

        // 1. a 3 s pause of lb-003 is not a failure
        runUntil(20_000);
        answering.put("lb-003", false);
        runUntil(23_000);
        answering.put("lb-003", true);
        runUntil(30_000);
        assertTrue(parent.events.isEmpty(), "no failover for a 3 s pause: " + parent.events);

        // 2. lb-001 dies at 30 s: declared failed 6-7 s later, lb-002 (its first default backup) is promoted
        long death = now;
        answering.put("lb-001", false);
        runUntil(45_000);
        assertEquals(1, parent.events.size(), parent.events.toString());
        FailoverEvent e = parent.events.get(0);
        assertEquals(FailoverAction.PROMOTE_BACKUP, e.action());
        assertEquals("lb-001", e.failedNode());
        assertEquals(Optional.of("lb-002"), e.promotedNode());
        assertEquals(40, e.sessionsMoved(), "every session of lb-001 planned onto the remaining nodes");
        WatchedNode failedRow = hub.status().failed().get(0);
        assertEquals("lb-001", failedRow.node());
        assertTrue(failedRow.missedProbes() >= 3);
        assertEquals(100, sessions.get("lb-002").capacity(), "backup capacity doubled");
        assertFalse(parent.table.isHealthy("lb-001", now));
        List<String> referrals = parent.table.leastLoaded(NodeRole.LOCAL, "east", 4, now).stream()
                .map(BootstrapNode::name).toList();
        assertFalse(referrals.contains("lb-001"), referrals.toString());
        assertEquals("lb-002", referrals.get(0), "the promoted backup is least utilized: " + referrals);
        HealthSummary h = Health.summarize(parent.table.snapshot(now), hub.eventCount());
        assertEquals(1, h.failoverEvents());
        assertEquals(3, h.healthyNodes());
        long detectedAfter = parent.detector.context("lb-001").orElseThrow().failedAtMillis() - death;
        assertTrue(detectedAfter >= 6_000 && detectedAfter <= 7_100, "declared failed after " + detectedAfter + " ms");

        // 3. lb-001's 40 workers move: each asks the policy, goes to the promoted backup first, and is admitted
        TierView after = new TierView(parent.table.snapshot(now), now);
        BootstrapNode dead = topology.node("lb-001").orElseThrow().asBootstrapNode();
        int admitted = 0;
        Map<String, Integer> where = new LinkedHashMap<>();
        for (int w = 0; w < 40; w++) {
            FailureSituation s = new FailureSituation("worker-" + w, NodeRole.WORKER, "east", WatchRelation.BOOTSTRAP,
                    dead, after, List.of(), Set.of(), List.of(), new io.cqkd.dht.api.failover.DetectorContext(
                    death, death + 1_000, death + 6_000, 6));
            FailoverVerdict v = hub.decide(s);
            FailoverDecision.TryNext next = assertInstanceOf(FailoverDecision.TryNext.class, v.decision());
            BootstrapNode target = next.next();
            SessionTable ts = sessions.get(target.name());
            AdmissionDecision d = Admission.decide(target.withLoad(ts.active(now), ts.capacity(), true, now), ts,
                    worker(), new InetSocketAddress("127.0.0.1", 7500 + w), "east", now, () -> after.nodes());
            if (d instanceof AdmissionDecision.Admitted) {
                admitted++;
                where.merge(target.name(), 1, Integer::sum);
                hub.applied(v, 1);
            }
        }
        assertEquals(40, admitted, "every worker of the failed node found a place: " + where);
        assertEquals(Map.of("lb-002", 40), where, "all went to the promoted backup, which now has room");
        assertEquals(70, sessions.get("lb-002").active(now));
        sessions.values().forEach(t -> assertTrue(t.peak() <= t.capacity(), "never above capacity"));
        assertEquals(41, hub.eventCount());

        // 4. lb-001 comes back: ALIVE again, its place restored, lb-002 back to 50 (its sessions are kept)
        sessions.put("lb-001", new SessionTable(50, 3_600_000, 100));
        answering.put("lb-001", true);
        runUntil(60_000);
        FailoverEvent restore = parent.events.get(parent.events.size() - 1);
        assertEquals(FailoverAction.RESTORE, restore.action());
        assertEquals(Optional.of("lb-002"), restore.promotedNode());
        assertEquals(50, sessions.get("lb-002").capacity());
        assertTrue(sessions.get("lb-002").isFull(now), "70 sessions kept, nobody new until below 50");
        assertTrue(parent.table.isHealthy("lb-001", now), "rejoined its place");
        assertEquals(WatchState.ALIVE, parent.detector.state("lb-001").orElseThrow());
        assertTrue(hub.status().failed().isEmpty());

        // 5. the policy is swapped at runtime: the next failure is decided by retry-next (no promotion)
        hub.policyBound(new RetryNextPolicy(), "retry-next", "io.cqkd.dht.failover.retrynext");
        answering.put("lb-004", false);
        runUntil(75_000);
        FailoverEvent last = parent.events.get(parent.events.size() - 1);
        assertEquals(FailoverAction.MARK_FAILED, last.action());
        assertEquals("lb-004", last.failedNode());
        assertEquals("retry-next", last.policy());
        assertEquals(Optional.empty(), last.promotedNode());
        assertEquals(45, last.sessionsMoved());
        assertEquals(50, sessions.get("lb-002").capacity(), "nobody promoted");
        assertEquals(List.of("lb-004"), hub.status().failed().stream().map(WatchedNode::node).toList());
        assertEquals(3, parent.events.size(), "promote, restore, mark failed");
    }
}
