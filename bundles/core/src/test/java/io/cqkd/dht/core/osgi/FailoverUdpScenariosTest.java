package io.cqkd.dht.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.FailoverAction;
import io.cqkd.dht.api.failover.FailoverEvent;
import io.cqkd.dht.api.failover.FailoverPolicy;
import io.cqkd.dht.core.netty.UdpEndpoint;
import io.cqkd.dht.core.tier.TierAgent;
import io.cqkd.dht.failover.FailoverHub;
import io.cqkd.dht.failover.FailoverSettings;
import io.cqkd.dht.failover.promotebackup.PromoteBackupPolicy;
import io.cqkd.dht.failover.retrynext.RetryNextPolicy;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Failover on real UDP loopback (ephemeral ports), with the real failover service and policies as
 * plain Java ({@link FailoverHub} bound to every node as its FailoverSink) and the default
 * detector settings (probe 1 s, timeout 1 s, suspicion 5 s, 3 misses). A small tier: one super,
 * one regional (east), two locals lb-001 and lb-002 (capacity 40 each), 30 workers of region
 * east. Each scenario prints its figures in one block ({@code SCENARIO ...} up to {@code END}).
 */
class FailoverUdpScenariosTest {
    static final int WORKERS = 30;
    static final int LOCAL_CAPACITY = 40;

    /** The tier and its workers, all bound to one failover hub. */
    static final class Net implements AutoCloseable {
        final LoopbackCluster c = new LoopbackCluster(2, "");
        final FailoverHub hub = new FailoverHub(FailoverSettings.from(Map.of()), Clock.systemUTC());
        final Map<String, NodeController> tier = new LinkedHashMap<>();
        final List<NodeController> workers = new ArrayList<>();

        Net(FailoverPolicy policy, String name) throws Exception {
            hub.policyBound(policy, name, "test");
            NodeController sb = start("sb-1", List.of(), "super", "", 500);
            NodeController rb = start("rb-east-1", List.of(LoopbackCluster.address(sb)), "regional", "east", 250);
            for (String lb : List.of("lb-001", "lb-002")) {
                start(lb, List.of(LoopbackCluster.address(rb)), "local", "east", LOCAL_CAPACITY);
            }
            LoopbackCluster.awaitTrue(() -> tier.values().stream()
                    .filter(n -> n.tierAgent().settings().level() != NodeRole.SUPER)
                    .allMatch(n -> n.tierSnapshot().self().lastReportMillis() >= 0), Duration.ofSeconds(30),
                    "tier formed");
            // the regional knows both locals before workers come (they are referred by it)
            LoopbackCluster.awaitTrue(() -> tier.get("rb-east-1").tierSnapshot().known().stream()
                    .filter(n -> n.level() == NodeRole.LOCAL).count() == 2, Duration.ofSeconds(30), "locals known");
            for (int i = 0; i < WORKERS; i++) {
                workers.add(c.tierWorker("worker-" + i, List.of(LoopbackCluster.address(sb)), "east", 100, hub));
            }
            workers.parallelStream().forEach(NodeController::start);
            LoopbackCluster.awaitTrue(this::allAdmitted, Duration.ofSeconds(60), "all workers admitted");
        }

        private NodeController start(String name, List<InetSocketAddress> up, String role, String region, int cap) {
            NodeController n = c.create(name, up, "role", role, "region", region, "maxConnections", cap,
                    "tierReportMillis", 1000L);
            n.failoverSinkChanged(hub);
            n.start();
            tier.put(name, n);
            return n;
        }

        boolean allAdmitted() {
            return workers.stream().allMatch(w -> w.tierAgent() != null
                    && w.tierAgent().clientState() == TierAgent.ClientState.ADMITTED);
        }

        long workersAt(NodeController bootstrap) {
            return workersAt(LoopbackCluster.address(bootstrap));
        }

        /** By address: a stopped node reports port 0, so take its address before stopping it. */
        long workersAt(InetSocketAddress a) {
            return workers.stream().filter(w -> a.equals(w.tierAgent().sessionAt())).count();
        }

        /** The events, grouped: server-side ones with their observer, client moves counted. */
        /** Detector transitions summed over every tier node and worker: {suspected, failed}. */
        long[] suspectedAndFailed() {
            List<NodeController> all = new ArrayList<>(tier.values());
            all.addAll(workers);
            long suspected = 0;
            long failed = 0;
            for (NodeController x : all) {
                TierAgent.FailoverCounts f = x.tierAgent().failoverCounts();
                suspected += f.suspected();
                failed += f.failed();
            }
            return new long[] {suspected, failed};
        }

        String events() {
            return hub.events().stream().map(e -> e.action().configName() + "("
                    + (e.level() != null && e.observer().startsWith("worker-") ? "workers" : e.observer()) + ": "
                    + e.failedNode() + e.promotedNode().map(p -> " -> " + p).orElse("") + ", moved "
                    + e.sessionsMoved() + ")").collect(Collectors.groupingBy(x -> x, LinkedHashMap::new,
                    Collectors.counting())).entrySet().stream().map(en -> en.getValue() + "x " + en.getKey())
                    .collect(Collectors.joining("; "));
        }

        @Override
        public void close() {
            c.close();
        }
    }

    @Test
    void killALocalBootstrapNodeWithPromoteBackup() throws Exception {
        try (Net n = new Net(new PromoteBackupPolicy(), "promote-backup")) {
            NodeController lb1 = n.tier.get("lb-001");
            NodeController lb2 = n.tier.get("lb-002");
            long before1 = n.workersAt(lb1);
            long before2 = n.workersAt(lb2);
            long t0 = System.nanoTime();
            InetSocketAddress at1 = LoopbackCluster.address(lb1);
            lb1.stop();
            long promotedMs = LoopbackCluster.awaitTrue(() -> lb2.tierSnapshot().self().capacity() == 2 * LOCAL_CAPACITY,
                    Duration.ofSeconds(30), "lb-002 promoted");
            long movedMs = LoopbackCluster.awaitTrue(() -> n.allAdmitted() && n.workersAt(at1) == 0,
                    Duration.ofSeconds(60), "lb-001's workers moved") + promotedMs;
            List<FailoverEvent> promotions = n.hub.events().stream()
                    .filter(e -> e.action() == FailoverAction.PROMOTE_BACKUP).toList();
            int peak = n.tier.values().stream().filter(x -> x != lb1)
                    .mapToInt(x -> x.tierAgent().peak() - x.tierSnapshot().self().capacity()).max().orElse(0);
            System.out.print("SCENARIO c kill a local, policy promote-backup\n"
                    + "workers " + WORKERS + " at lb-001 " + before1 + " at lb-002 " + before2 + "\n"
                    + "lb-002 promoted (capacity " + LOCAL_CAPACITY + " -> " + lb2.tierSnapshot().self().capacity()
                    + ") " + promotedMs + " ms after the kill\n"
                    + "every worker admitted again, none at lb-001, " + movedMs + " ms after the kill; at lb-002 "
                    + n.workersAt(lb2) + "\n"
                    + "events " + n.events() + "\n"
                    + "nodes above capacity (peak - capacity > 0): " + (peak > 0 ? peak : 0) + "\n"
                    + "END\n");
            assertEquals(1, promotions.size(), n.events());
            assertEquals("lb-001", promotions.get(0).failedNode());
            assertEquals("lb-002", promotions.get(0).promotedNode().orElse(""));
            assertEquals("rb-east-1", promotions.get(0).observer());
            assertTrue(promotedMs >= 5_000, "declared failed no earlier than timeout + suspicion: " + promotedMs);
            assertTrue(n.tier.get("lb-002").tierAgent().failoverCounts().promotions() == 1);
            assertTrue(peak <= 0, "a node above capacity");
            assertTrue(System.nanoTime() - t0 < 90_000_000_000L);
        }
    }

    @Test
    void killALocalBootstrapNodeWithRetryNext() throws Exception {
        try (Net n = new Net(new RetryNextPolicy(), "retry-next")) {
            NodeController lb1 = n.tier.get("lb-001");
            NodeController lb2 = n.tier.get("lb-002");
            long before1 = n.workersAt(lb1);
            InetSocketAddress at1 = LoopbackCluster.address(lb1);
            lb1.stop();
            long markedMs = LoopbackCluster.awaitTrue(() -> n.hub.events().stream()
                    .anyMatch(e -> e.action() == FailoverAction.MARK_FAILED), Duration.ofSeconds(30), "marked failed");
            long movedMs = LoopbackCluster.awaitTrue(() -> n.allAdmitted() && n.workersAt(at1) == 0,
                    Duration.ofSeconds(60), "lb-001's workers moved") + markedMs;
            long retries = n.hub.events().stream().filter(e -> e.action() == FailoverAction.RETRY_NEXT).count();
            System.out.print("SCENARIO c kill a local, policy retry-next\n"
                    + "workers " + WORKERS + " at lb-001 " + before1 + "\n"
                    + "lb-001 marked failed by rb-east-1 " + markedMs + " ms after the kill\n"
                    + "every worker admitted again, none at lb-001, " + movedMs + " ms after the kill; at lb-002 "
                    + n.workersAt(lb2) + "\n"
                    + "events " + n.events() + "\n"
                    + "lb-002 capacity " + lb2.tierSnapshot().self().capacity() + " (not promoted)\n"
                    + "END\n");
            assertEquals(LOCAL_CAPACITY, lb2.tierSnapshot().self().capacity());
            assertTrue(n.hub.events().stream().noneMatch(e -> e.action() == FailoverAction.PROMOTE_BACKUP));
            assertTrue(retries >= 1 || before1 == 0, "clients moved by retry-next: " + n.events());
        }
    }

    @Test
    void aThreeSecondPauseOfABootstrapNodeIsNoFailure() throws Exception {
        try (Net n = new Net(new PromoteBackupPolicy(), "promote-backup")) {
            NodeController lb1 = n.tier.get("lb-001");
            UdpEndpoint ep = endpoint(lb1);
            long workersAt = n.workersAt(lb1);
            ep.setReading(false);
            Thread.sleep(3_000);
            ep.setReading(true);
            // longer than a detection (6-7 s) after the pause began
            Thread.sleep(7_000);
            long[] counts = n.suspectedAndFailed();
            long suspected = counts[0];
            long failed = counts[1];
            System.out.print("SCENARIO d pause lb-001 (socket not read) for 3 s\n"
                    + "watchers of lb-001: rb-east-1 and " + workersAt + " workers\n"
                    + "suspected transitions " + suspected + ", failed " + failed + ", failover events "
                    + n.hub.eventCount() + "\n"
                    + "workers still at lb-001 " + n.workersAt(lb1) + ", all admitted " + n.allAdmitted() + "\n"
                    + "END\n");
            assertEquals(0, failed);
            assertEquals(0, n.hub.eventCount(), n.events());
            assertTrue(suspected >= 1, "the pause was noticed (SUSPECTED)");
            assertEquals(workersAt, n.workersAt(lb1));
        }
    }

    /** The node's UDP endpoint (test-only reflection: the pause seam is on the endpoint). */
    static UdpEndpoint endpoint(NodeController n) throws ReflectiveOperationException {
        Field r = NodeController.class.getDeclaredField("runner");
        r.setAccessible(true);
        Object runner = r.get(n);
        Field e = NodeRunner.class.getDeclaredField("endpoint");
        e.setAccessible(true);
        return (UdpEndpoint) e.get(runner);
    }
}
