package io.cqkd.dht.core.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.tier.ConnectionRecord;
import io.cqkd.dht.api.tier.TierNodeSnapshot;
import io.cqkd.dht.api.tier.WorkerRegistration;
import io.cqkd.dht.core.engine.Counters;
import io.cqkd.dht.core.engine.EngineConfig;
import io.cqkd.dht.core.engine.KademliaNode;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.WireWorker;
import io.cqkd.dht.tier.model.TierJson;
import io.cqkd.dht.tier.model.Topology;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The tier agent over the wire on a small simulated tier: 1 super (capacity 10), 1 regional
 * (east, 5), 2 locals (2 each); lease 9 s, reports every second.
 */
class TierAgentTest {
    static final long LEASE = 9_000;

    static SimTier tier() {
        return tier(LEASE);
    }

    /** The small tier of these tests, its nodes granting leases of {@code leaseMillis}. */
    static SimTier tier(long leaseMillis) {
        Topology topo = Topology.build(Topology.Spec.seed().withCounts(1, 1, 2).withRegions(List.of("east"))
                .withCapacities(10, 5, 2).withBounds(Topology.Bounds.EMBEDDED));
        SimTier t = new SimTier(topo, 7, s -> s.withPeriods(leaseMillis, 1_000, 0));
        t.startTier();
        assertTrue(t.cluster.scheduler.runUntil(() -> t.agents.values().stream()
                .filter(a -> a.settings().level() != NodeRole.SUPER)
                .allMatch(a -> a.snapshot().self().lastReportMillis() >= 0), 10_000), "tier formed");
        return t;
    }

    static TierAgent worker(SimTier t) {
        return t.addWorker("east", 1000, t.supers(), s -> s.withPeriods(LEASE, 1_000, 0));
    }

    @Test
    void loadReportsBuildEachParentsView() {
        SimTier t = tier();
        t.cluster.scheduler.runFor(2_000); // a second report round: every answer now lists the siblings
        TierNodeSnapshot regional = t.agents.get("rb-east-1").snapshot();
        assertEquals(Set.of("lb-001", "lb-002", "sb-primary"), names(regional));
        assertEquals("sb-primary", regional.self().parent());
        TierNodeSnapshot local = t.agents.get("lb-001").snapshot();
        assertEquals("rb-east-1", local.self().parent());
        assertTrue(names(local).contains("lb-002"), "a local learns its siblings from its parent's answer");
        assertTrue(names(t.agents.get("sb-primary").snapshot()).contains("rb-east-1"));
    }

    @Test
    void reportsFromUnexpectedNodesAreRefused() {
        SimTier t = tier();
        KademliaNode stranger = t.cluster.add(new NodeRecord(NodeRole.LOCAL, "east", Set.of()));
        var f = stranger.request(t.address("sb-primary"), txid -> new Message.LoadReport(txid, stranger.wirePeer(),
                "lb-999", NodeRole.LOCAL, "east", "sb-primary", 0, 50, true));
        Message.Response r = t.cluster.await(f, 5_000);
        assertInstanceOf(Message.TierAck.class, r);
        assertFalse(((Message.TierAck) r).ok());
        assertFalse(names(t.agents.get("sb-primary").snapshot()).contains("lb-999"));
    }

    @Test
    void admissionNeverExceedsCapacityAndReferralsAreFollowed() {
        SimTier t = tier();
        for (int i = 0; i < 7; i++) {
            worker(t);
        }
        t.workers.forEach(TierAgent::start);
        assertTrue(t.cluster.scheduler.runUntil(() -> t.admitted() == 7, 20_000), "admitted " + t.admitted());
        assertEquals(2, t.agents.get("lb-001").activeSessions());
        assertEquals(2, t.agents.get("lb-002").activeSessions());
        assertEquals(3, t.agents.get("rb-east-1").activeSessions());
        t.agents.values().forEach(a -> assertTrue(a.peak() <= a.settings().capacity(), a.settings().name()));
        long referred = t.agents.values().stream().mapToLong(a -> a.snapshot().counters().get("referred")).sum();
        assertTrue(referred > 0, "joiners sharing one view met full locals and were referred");
        assertEquals(0, t.agents.values().stream().mapToLong(a -> a.snapshot().counters().get("refused")).sum());
        // the Kademlia join followed the admission
        assertTrue(t.cluster.scheduler.runUntil(() -> t.workerNodes.stream().allMatch(n -> n.state() == NodeState.READY),
                30_000));
    }

    @Test
    void aFullTierRefers() {
        SimTier t = tier();
        for (int i = 0; i < 20; i++) {
            worker(t);
        }
        t.workers.forEach(TierAgent::start);
        t.cluster.scheduler.runFor(20_000);
        // 2 + 2 + 5 + 10 = 19 places: one worker keeps retrying, nobody is above capacity
        assertEquals(19, t.admitted());
        t.agents.values().forEach(a -> assertEquals(a.settings().capacity(), a.activeSessions(), a.settings().name()));
        // a worker leaves: the waiting one gets in on its next round
        t.workers.stream().filter(w -> w.clientState() == TierAgent.ClientState.ADMITTED).findFirst().orElseThrow().stop();
        assertTrue(t.cluster.scheduler.runUntil(() -> t.workers.stream()
                .filter(w -> w.clientState() != TierAgent.ClientState.STOPPED).allMatch(w -> w.sessionAt() != null), 30_000));
    }

    /**
     * A join wave behind one local reaches its regional in batches ({@link TierAgent#REGISTRATION_BATCH_MILLIS}),
     * not one datagram per worker, and every worker is listed.
     */
    @Test
    void aLocalForwardsAJoinWaveToItsRegionalInBatches() {
        Topology topo = Topology.build(Topology.Spec.seed().withCounts(1, 1, 1).withRegions(List.of("east"))
                .withCapacities(100, 100, 60).withBounds(Topology.Bounds.EMBEDDED));
        SimTier t = new SimTier(topo, 11, s -> s.withPeriods(LEASE, 1_000, 0));
        t.startTier();
        assertTrue(t.cluster.scheduler.runUntil(() -> t.agents.get("lb-001").snapshot().self().lastReportMillis() >= 0,
                10_000), "tier formed");
        KademliaNode regional = t.nodes.get("rb-east-1");
        long before = regional.counters().received(Counters.MessageType.REGISTER_WORKERS);
        int workers = 40;
        for (int i = 0; i < workers; i++) {
            worker(t).start();
            t.cluster.scheduler.runFor(25);
        }
        assertTrue(t.cluster.scheduler.runUntil(() -> t.admitted() == workers, 30_000), "all admitted");
        assertTrue(t.cluster.scheduler.runUntil(() -> t.agents.get("rb-east-1").snapshot().workers().size() == workers,
                TierAgent.REGISTRATION_BATCH_MILLIS + 1_000), "the regional lists every worker");
        long batches = regional.counters().received(Counters.MessageType.REGISTER_WORKERS) - before;
        assertTrue(batches > 0 && batches <= workers / 4, workers + " registrations in " + batches + " datagrams");
    }

    @Test
    void aWorkerThatMovedToAnotherLocalStaysRegisteredWhenTheOldLocalReportsItGone() {
        SimTier t = tier();
        KademliaNode regional = t.nodes.get("rb-east-1");
        KademliaNode l1 = t.nodes.get("lb-001");
        KademliaNode l2 = t.nodes.get("lb-002");
        byte[] worker = io.cqkd.dht.api.NodeId.random(t.random).toBytes();
        String hex = io.cqkd.dht.api.NodeId.of(worker).toHex();
        byte[] ip = {127, 0, 0, 9};
        java.util.function.BiConsumer<KademliaNode, Boolean> forward = (local, live) -> {
            t.cluster.network.inject(local.self().address(), regional.self().address(), new Message.RegisterWorkers(
                    t.random.nextLong(1, Long.MAX_VALUE), local.wirePeer(), "east", List.of(new WireWorker(worker,
                    live ? ip : new byte[4], live ? 7000 : 1, live))));
            t.cluster.scheduler.runFor(200);
        };
        java.util.function.Supplier<Boolean> listed = () -> t.agents.get("rb-east-1").snapshot().workers().stream()
                .anyMatch(w -> w.nodeId().equals(hex));
        forward.accept(l1, true);
        assertTrue(listed.get(), "registered through lb-001");
        forward.accept(l2, true); // the worker moved: lb-002 admitted it
        forward.accept(l1, false); // lb-001 reports the old session ended, after lb-002's report
        assertTrue(listed.get(), "still registered: lb-002 holds its session");
        forward.accept(l2, false);
        assertFalse(listed.get(), "unregistered when the local that holds it reports it gone");
    }

    @Test
    void theRegistrationSpreadGrowsWithTheFleetWithinItsBounds() {
        SimTier t = tier();
        UnaryOperator<TierSettings> lease = s -> s.withPeriods(LEASE, 1_000, 0);
        assertEquals(TierAgent.PUBLISH_SPREAD_MILLIS, t.addWorker("east", 1000, t.supers(), lease).publishSpreadMillis());
        assertEquals(100_000, t.addWorker("east", 10_000, t.supers(), lease).publishSpreadMillis(), "100 puts/s");
        assertEquals(TierSettings.DEFAULT_WORKER_TTL_MILLIS / 4,
                t.addWorker("east", 100_000, t.supers(), lease).publishSpreadMillis(), "a quarter of the TTL at most");
    }

    @Test
    void aCongestedWorkerKeepsItsSessionThroughAnUnansweredRenewal() {
        SimTier t = tier();
        TierAgent w = worker(t);
        t.cluster.network.setLatency(150, 200); // every answer 300-400 ms: congested
        startAdmitted(t, w);
        assertTrue(t.workerNodes.get(0).congested());
        int[] counts = withTheFirstRenewalLost(t);
        assertEquals(2, counts[0], "the first renewal went unanswered");
        assertEquals(0, counts[1], "no LEAVE, no new JOIN: the lease still ran");
        assertEquals(TierAgent.ClientState.ADMITTED, w.clientState());
    }

    @Test
    void anAdmittedWorkerProbesItsLocalOnlyAfterAProbePeriod() {
        SimTier t = tier();
        TierAgent w = worker(t);
        InetSocketAddress self = t.workerNodes.get(0).self().address();
        List<Long> pings = new ArrayList<>();
        t.cluster.network.setLink((from, to, m) -> {
            if (m instanceof Message.Ping && from.equals(self) && to.equals(w.sessionAt())) {
                pings.add(t.cluster.scheduler.nowMillis());
            }
            return true;
        });
        startAdmitted(t, w);
        long admittedAt = t.cluster.scheduler.nowMillis();
        t.cluster.scheduler.runFor(TierAgent.CLIENT_PROBE_PERIOD_MILLIS - 100);
        assertEquals(List.of(), pings, "the JOIN answer proved the local alive");
        t.cluster.scheduler.runFor(2 * TierAgent.CLIENT_PROBE_PERIOD_MILLIS);
        assertFalse(pings.isEmpty(), "then it is probed");
        assertTrue(pings.get(0) >= admittedAt + TierAgent.CLIENT_PROBE_PERIOD_MILLIS - 100, "first probe " + pings);
    }

    /** Starts {@code w} and runs the tier until it admitted the worker. */
    private static void startAdmitted(SimTier t, TierAgent w) {
        w.start();
        assertTrue(t.cluster.scheduler.runUntil(() -> t.admitted() == 1, 30_000));
    }

    /** Drops the first renewal and its resend, runs two leases; returns {renewals dropped, JOINs and LEAVEs sent}. */
    private static int[] withTheFirstRenewalLost(SimTier t) {
        int[] counts = {0, 0};
        t.cluster.network.setLink((from, to, m) -> {
            if (m instanceof Message.Renew && counts[0] < 2) { // the first renewal and its resend
                counts[0]++;
                return false;
            }
            if (m instanceof Message.Join || m instanceof Message.Leave) {
                counts[1]++;
            }
            return true;
        });
        t.cluster.scheduler.runFor(2 * LEASE);
        return counts;
    }

    @Test
    void aWorkerKeepsItsSessionThroughAnUnansweredRenewalWhileItsLocalAnswersProbes() {
        SimTier t = tier();
        TierAgent w = worker(t);
        startAdmitted(t, w);
        assertFalse(t.workerNodes.get(0).congested(), "a quick network: the old rule left here");
        int[] counts = withTheFirstRenewalLost(t);
        assertEquals(2, counts[0], "the first renewal went unanswered");
        assertEquals(0, counts[1], "no LEAVE, no new JOIN: the detector still heard the local");
        assertEquals(TierAgent.ClientState.ADMITTED, w.clientState());
    }

    @Test
    void aWorkerWhoseLocalFellSilentLeavesItWithinTheLease() {
        SimTier t = tier();
        TierAgent w = worker(t);
        startAdmitted(t, w);
        InetSocketAddress local = w.sessionAt();
        t.cluster.network.setLink((from, to, m) -> !from.equals(local) && !to.equals(local));
        // no failover sink here: the renewals decide, once the detector has the local FAILED
        assertTrue(t.cluster.scheduler.runUntil(() -> w.clientState() == TierAgent.ClientState.ADMITTED
                && !local.equals(w.sessionAt()), 2 * LEASE), "admitted elsewhere within two leases");
    }

    /** A failover sink that counts the decisions it is asked for and never acts. */
    static final class CountingSink implements io.cqkd.dht.api.failover.FailoverSink {
        int decisions;

        @Override
        public io.cqkd.dht.api.failover.DetectorSettings detectorSettings() {
            return io.cqkd.dht.api.failover.DetectorSettings.DEFAULTS;
        }

        @Override
        public void stateChanged(io.cqkd.dht.api.failover.WatchedNode change) {
        }

        @Override
        public void forget(String observer, String node) {
        }

        @Override
        public io.cqkd.dht.api.failover.FailoverVerdict decide(io.cqkd.dht.api.failover.FailureSituation situation) {
            decisions++;
            return new io.cqkd.dht.api.failover.FailoverVerdict("count", situation.observer(), situation.failed(),
                    situation.relation(), new io.cqkd.dht.api.failover.FailoverDecision.NoAction("counted"));
        }

        @Override
        public io.cqkd.dht.api.failover.FailoverVerdict recovered(String observer, io.cqkd.dht.api.tier.BootstrapNode node,
                                                                   io.cqkd.dht.api.failover.WatchRelation relation) {
            return new io.cqkd.dht.api.failover.FailoverVerdict("count", observer, node, relation,
                    new io.cqkd.dht.api.failover.FailoverDecision.NoAction("counted"));
        }

        @Override
        public io.cqkd.dht.api.failover.FailoverEvent applied(io.cqkd.dht.api.failover.FailoverVerdict verdict,
                                                              int sessionsMoved) {
            return null;
        }
    }

    /** A worker watching a local whose datagrams are all lost from now on; returns the sink's decisions. */
    static int failoverDecisionsWhenTheLocalGoesSilent(long oneWayLatencyMillis) {
        // a long lease, so that the detector (probes every 10 s) speaks before the first renewal
        SimTier t = tier(120_000);
        CountingSink sink = new CountingSink();
        TierAgent w = t.addWorker("east", 1000, t.supers(), s -> s.withPeriods(120_000, 1_000, 0), sink);
        t.cluster.network.setLatency(oneWayLatencyMillis, oneWayLatencyMillis + 50);
        startAdmitted(t, w);
        InetSocketAddress local = w.sessionAt();
        t.cluster.network.setLink((from, to, m) -> !from.equals(local) && !to.equals(local));
        // the JOIN answer counts as heard: probes at 10, 20 and 30 s, the third miss at 31 s
        t.cluster.scheduler.runFor(40_000);
        return sink.decisions;
    }

    @Test
    void aWorkerAsksForFailoverOnlyWhenNotEveryAnswerIsLate() {
        assertTrue(failoverDecisionsWhenTheLocalGoesSilent(5) > 0, "a silent local on a quick network: fail over");
        assertEquals(0, failoverDecisionsWhenTheLocalGoesSilent(150),
                "every answer 300-400 ms late: the silence says nothing about the local, the lease decides");
    }

    /**
     * Reports a local sends to its silent parent before it reports to its backup parent (distinct
     * requests, resends not counted), on a network whose answers take {@code oneWayLatencyMillis}.
     * Every send carries a transaction id of its own, and each report to a silent parent is sent
     * once and resent {@code rpcRetries} times (the last ones may still be in flight at the switch),
     * so the reports are the sends divided by {@code 1 + rpcRetries}, rounded up.
     */
    static int reportsBeforeTheParentSwitch(long oneWayLatencyMillis) {
        Topology topo = Topology.build(Topology.Spec.seed().withCounts(1, 2, 2).withRegions(List.of("east"))
                .withCapacities(10, 5, 2).withBounds(Topology.Bounds.EMBEDDED));
        SimTier t = new SimTier(topo, 7, s -> s.withPeriods(LEASE, 1_000, 0), true);
        t.cluster.network.setLatency(oneWayLatencyMillis, oneWayLatencyMillis + 50);
        t.startTier();
        TierAgent local = t.level(NodeRole.LOCAL).get(0);
        String parentName = topo.nodes().stream().filter(n -> n.name().equals(local.settings().name()))
                .findFirst().orElseThrow().parent();
        InetSocketAddress me = t.address(local.settings().name());
        InetSocketAddress parent = t.address(parentName);
        assertTrue(t.cluster.scheduler.runUntil(() -> local.snapshot().self().lastReportMillis() >= 0, 20_000));
        t.cluster.scheduler.runFor(10_000); // round-trip samples from the watches and reports
        int[] sendsToParent = {0};
        boolean[] switched = {false};
        t.cluster.network.setLink((from, to, m) -> {
            boolean report = m instanceof Message.LoadReport || m instanceof Message.ReferralRequest;
            if (report && from.equals(me)) {
                if (to.equals(parent) && !switched[0]) {
                    sendsToParent[0]++;
                } else if (!to.equals(parent)) {
                    switched[0] = true;
                }
            }
            return !from.equals(parent) && !to.equals(parent);
        });
        assertTrue(t.cluster.scheduler.runUntil(() -> switched[0], 60_000), "the local moved to its backup parent");
        int sendsPerReport = 1 + EngineConfig.defaults().rpcRetries();
        return (sendsToParent[0] + sendsPerReport - 1) / sendsPerReport;
    }

    @Test
    void aLocalMovesToItsBackupParentLaterWhileEveryAnswerIsLate() {
        int n = TierAgent.PARENT_FAILURES_BEFORE_SWITCH;
        // one report a second, each given up after its timeout and resend: one or two more are in flight
        int quick = reportsBeforeTheParentSwitch(5);
        assertTrue(quick >= n && quick <= n + 2, "a silent parent on a quick network: " + quick + " reports");
        int late = reportsBeforeTheParentSwitch(150);
        assertTrue(late >= 2 * n && late <= 2 * n + 3,
                "every answer 300-400 ms late: twice as many misses, still a bounded wait: " + late + " reports");
    }

    /** Values held over the whole simulated network (copies included). */
    static int storedValues(SimTier t) {
        return t.cluster.nodes.stream().mapToInt(KademliaNode::storedValueCount).sum();
    }

    @Test
    void aWorkerPutsItsRegistrationOnceItsAnswersAreNoLongerLate() {
        SimTier t = tier();
        worker(t);
        worker(t);
        t.cluster.network.setLatency(150, 200); // every answer 300-400 ms: congested
        t.workers.forEach(TierAgent::start);
        assertTrue(t.cluster.scheduler.runUntil(() -> t.admitted() == 2, 30_000));
        KademliaNode w0 = t.workerNodes.get(0);
        t.cluster.scheduler.runFor(TierAgent.PUBLISH_SPREAD_MILLIS + 10_000);
        assertTrue(w0.congested(), "a 300-400 ms round trip is late");
        assertEquals(0, storedValues(t), "no registration put while the answers are late");

        t.cluster.network.setLatency(5, 40);
        assertTrue(t.cluster.scheduler.runUntil(() -> storedValues(t) > 0, 120_000), "put once decongested");
        String key = WorkerRegistration.key("east", w0.id().toHex());
        assertTrue(t.cluster.scheduler.runUntil(() -> t.cluster.await(t.workerNodes.get(1).get(key), 10_000).isPresent(),
                60_000), "registration stored under " + key);
        assertFalse(w0.congested(), "it put its registration only once its own answers were timely");
    }

    @Test
    void aRegistrationPutWaitsForCongestionAQuarterOfTheTtlAtMost() {
        SimTier t = tier();
        worker(t);
        worker(t);
        t.cluster.network.setLatency(150, 200);
        t.workers.forEach(TierAgent::start);
        assertTrue(t.cluster.scheduler.runUntil(() -> t.admitted() == 2, 30_000));
        long admitted = t.cluster.scheduler.nowMillis();
        long ttl = TierSettings.DEFAULT_WORKER_TTL_MILLIS;
        assertTrue(t.cluster.scheduler.runUntil(() -> storedValues(t) > 0, ttl / 2), "put within the bound");
        long waited = t.cluster.scheduler.nowMillis() - admitted;
        assertTrue(waited >= ttl / 4, "waited " + waited + " ms, a quarter of the TTL is " + ttl / 4);
        assertTrue(t.workerNodes.get(0).congested(), "still congested: the bound, not the network, ended the wait");
    }

    @Test
    void workersAreRegisteredInTheDhtAndDeletedWhenTheyLapse() {
        SimTier t = tier();
        for (int i = 0; i < 3; i++) {
            worker(t);
        }
        t.workers.forEach(TierAgent::start);
        assertTrue(t.cluster.scheduler.runUntil(() -> t.admitted() == 3, 20_000));
        // each worker puts its registration a random part of PUBLISH_SPREAD_MILLIS after admission
        t.cluster.scheduler.runFor(TierAgent.PUBLISH_SPREAD_MILLIS + 5_000);
        List<WorkerRegistration> regs = t.agents.get("rb-east-1").snapshot().workers();
        assertEquals(3, regs.size());
        KademliaNode w0 = t.workerNodes.get(0);
        String key = WorkerRegistration.key("east", w0.id().toHex());
        Optional<DhtValue> v = t.cluster.await(t.workerNodes.get(2).get(key), 20_000);
        assertTrue(v.isPresent(), "registration stored under " + key);
        WorkerRegistration w = TierJson.parseWorker(v.get().json());
        assertEquals(w0.id().toHex(), w.nodeId());
        assertEquals(w0.self().address().getPort(), w.port());

        // the worker dies without leaving: its lease lapses, the local tells the regional, the key goes
        int index = t.cluster.nodes.indexOf(w0);
        String at = t.workers.get(0).sessionName();
        t.cluster.kill(index);
        t.cluster.scheduler.runFor(LEASE + 3_000);
        TierNodeSnapshot s = t.agents.get(at).snapshot();
        ConnectionRecord last = s.history().get(s.history().size() - 1);
        assertEquals("lease_expired", last.reason());
        assertEquals(w0.id().toHex(), last.peer());
        assertEquals(2, t.agents.get("rb-east-1").snapshot().workers().size());
        assertTrue(t.cluster.await(t.workerNodes.get(2).get(key), 20_000).isEmpty(), "registration deleted");
        // the others renewed across the lease
        assertEquals(2, t.agents.values().stream().mapToInt(TierAgent::activeSessions).sum());
    }

    @Test
    void stopLeaves() {
        SimTier t = tier();
        TierAgent w = worker(t);
        w.start();
        assertTrue(t.cluster.scheduler.runUntil(() -> w.clientState() == TierAgent.ClientState.ADMITTED, 10_000));
        TierAgent at = t.agents.get(w.sessionName());
        assertEquals(1, at.activeSessions());
        w.stop();
        t.cluster.scheduler.runFor(500);
        assertEquals(0, at.activeSessions());
        List<ConnectionRecord> h = at.snapshot().history();
        assertEquals("left", h.get(h.size() - 1).reason());
    }

    @Test
    void clientsKeepRetryingUntilTheTierAnswers() {
        Topology topo = Topology.build(Topology.Spec.seed().withCounts(1, 1, 2).withRegions(List.of("east"))
                .withCapacities(10, 5, 2).withBounds(Topology.Bounds.EMBEDDED));
        SimTier t = new SimTier(topo, 9, s -> s.withPeriods(LEASE, 1_000, 0));
        TierAgent w = worker(t);
        w.start();
        t.cluster.scheduler.runFor(30_000);
        assertEquals(TierAgent.ClientState.VIEW, w.clientState());
        t.startTier();
        assertTrue(t.cluster.scheduler.runUntil(() -> w.clientState() == TierAgent.ClientState.ADMITTED, 30_000));
    }

    @Test
    void withoutASelectorTheConfiguredListIsTriedInOrder() {
        SimTier t = tier();
        t.selector = null;
        TierAgent w = worker(t);
        w.start();
        assertTrue(t.cluster.scheduler.runUntil(() -> w.clientState() == TierAgent.ClientState.ADMITTED, 10_000));
        assertEquals(t.address("sb-primary"), w.sessionAt());
    }

    @Test
    void nodesThatDoNotServeTheTierMeanAPlainKademliaJoin() {
        SimTier t = new SimTier(Topology.build(Topology.Spec.seed().withCounts(1, 1, 1).withRegions(List.of("east"))
                .withBounds(Topology.Bounds.EMBEDDED)), 11, s -> s);
        KademliaNode plain = t.cluster.add(NodeRecord.WORKER);
        plain.start(List.of());
        TierAgent w = t.addWorker("east", 0, List.of(plain.self().address()), s -> s);
        w.start();
        // the only answer came from a worker, which never serves the tier: settled after one round,
        // without the confirming round that waits at least the retry delay (500 ms)
        assertTrue(t.cluster.scheduler.runUntil(() -> w.clientState() == TierAgent.ClientState.PLAIN, 400));
        assertTrue(t.cluster.scheduler.runUntil(() -> t.workerNodes.get(0).state() == NodeState.READY, 10_000));
    }

    private static Set<String> names(TierNodeSnapshot s) {
        return s.known().stream().map(n -> n.name()).collect(java.util.stream.Collectors.toSet());
    }
}
