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
import io.cqkd.dht.core.engine.KademliaNode;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.tier.model.TierJson;
import io.cqkd.dht.tier.model.Topology;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tier agent over the wire on a small simulated tier: 1 super (capacity 10), 1 regional
 * (east, 5), 2 locals (2 each); lease 9 s, reports every second.
 */
class TierAgentTest {
    static final long LEASE = 9_000;

    static SimTier tier() {
        Topology topo = Topology.build(Topology.Spec.seed().withCounts(1, 1, 2).withRegions(List.of("east"))
                .withCapacities(10, 5, 2).withBounds(Topology.Bounds.EMBEDDED));
        SimTier t = new SimTier(topo, 7, s -> s.withPeriods(LEASE, 1_000, 0));
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
