package io.cqkd.dht.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.core.tier.TierAgent;
import io.cqkd.dht.select.common.Selections;
import io.cqkd.dht.tier.model.Topology;
import io.cqkd.dht.tier.model.TopologyNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded tier (2 supers, 4 regionals in 2 regions, 8 locals of capacity 80) on real UDP
 * loopback, ephemeral ports, and 520 workers started at once: every worker is admitted, no
 * bootstrap node ever exceeds its capacity, locals stay within a small factor of their mean.
 */
class TierUdpLoopbackTest {
    static final int WORKERS = 520;

    static final BootstrapSelector THREE_LEVEL = new BootstrapSelector() {
        @Override
        public String name() {
            return "three-level";
        }

        @Override
        public List<BootstrapNode> select(SelectionRequest request, TierView view) {
            return Selections.threeLevel(request, view);
        }
    };

    @Test
    void fiveHundredTwentyWorkersJoinThroughARealTier() throws Exception {
        Topology topo = Topology.build(Topology.Spec.seed().withCounts(2, 4, 8).withRegions(List.of("east", "west"))
                .withCapacities(500, 250, 80).withBounds(Topology.Bounds.EMBEDDED));
        try (LoopbackCluster c = new LoopbackCluster(2, "")) {
            Map<String, NodeController> tier = new LinkedHashMap<>();
            for (TopologyNode t : topo.nodes()) {
                List<InetSocketAddress> up = new ArrayList<>();
                if (t.level() == NodeRole.SUPER) {
                    topo.level(NodeRole.SUPER).stream().map(TopologyNode::name).filter(tier::containsKey)
                            .forEach(n -> up.add(LoopbackCluster.address(tier.get(n))));
                } else {
                    up.add(LoopbackCluster.address(tier.get(t.parent())));
                }
                tier.put(t.name(), c.start(t.name(), up, "role", t.level().configName(), "region", t.region(),
                        "maxConnections", t.capacity(), "tierReportMillis", 1000L));
            }
            // the first super does not know the second (started after it): the second reports to it
            LoopbackCluster.awaitTrue(() -> tier.values().stream()
                    .filter(n -> n.tierAgent().settings().level() != NodeRole.SUPER)
                    .allMatch(n -> n.tierSnapshot().self().lastReportMillis() >= 0), Duration.ofSeconds(30), "tier formed");

            List<InetSocketAddress> supers = topo.level(NodeRole.SUPER).stream()
                    .map(t -> LoopbackCluster.address(tier.get(t.name()))).toList();
            List<NodeController> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                NodeController w = c.create("worker-" + i, supers, "role", "worker", "region",
                        i % 2 == 0 ? "east" : "west", "expectedWorkers", 1000);
                w.selectorChanged(THREE_LEVEL);
                workers.add(w);
            }
            long t0 = System.nanoTime();
            workers.parallelStream().forEach(NodeController::start);
            long ms = LoopbackCluster.awaitTrue(() -> workers.stream().allMatch(w -> w.tierAgent() != null
                    && w.tierAgent().clientState() == TierAgent.ClientState.ADMITTED), Duration.ofSeconds(120),
                    "all workers admitted");
            long total = (System.nanoTime() - t0) / 1_000_000L;
            StringBuilder report = new StringBuilder(WORKERS + " workers admitted over UDP in " + total
                    + " ms (wait " + ms + " ms)\n");
            for (NodeRole level : List.of(NodeRole.SUPER, NodeRole.REGIONAL, NodeRole.LOCAL)) {
                IntSummaryStatistics active = new IntSummaryStatistics();
                for (TopologyNode t : topo.level(level)) {
                    TierAgent a = tier.get(t.name()).tierAgent();
                    active.accept(a.activeSessions());
                    assertTrue(a.peak() <= t.capacity(), t.name() + " peak " + a.peak() + " > " + t.capacity());
                }
                report.append(String.format("%-8s active %d-%d mean %.1f%n", level.configName(), active.getMin(),
                        active.getMax(), active.getAverage()));
                // workers attach to locals: that level must be balanced. Regionals and supers only
                // take overflow (a JOIN to a starved local timed out), which is uneven by nature.
                if (level == NodeRole.LOCAL) {
                    assertTrue(active.getMax() <= 2 * active.getAverage(), level + " spread " + active);
                }
            }
            // a JOIN whose answer was lost under load leaves an orphan session; the client's LEAVE frees it
            long deadline = System.nanoTime() + 30_000_000_000L;
            int sessions;
            while ((sessions = tier.values().stream().mapToInt(n -> n.tierAgent().activeSessions()).sum()) > WORKERS
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            report.append("sessions ").append(sessions).append(" for ").append(WORKERS).append(" workers\n");
            System.out.print(report);
            assertTrue(sessions >= WORKERS, "every admitted worker holds a session");
            // orphans (a lost JOIN answer, a renewal timed out under load) lapse with their lease at the latest
            assertTrue(sessions <= WORKERS * 1.1, "orphan sessions: " + (sessions - WORKERS));
        }
    }
}
