package io.cqkd.dht.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.core.tier.TierAgent;
import io.cqkd.dht.failover.FailoverHub;
import io.cqkd.dht.failover.FailoverSettings;
import io.cqkd.dht.failover.promotebackup.PromoteBackupPolicy;
import io.cqkd.dht.tier.model.Topology;
import io.cqkd.dht.tier.model.TopologyNode;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's fault scenarios (a), (b), (e) and (f) on real UDP loopback, ephemeral ports, with the
 * real failover service and the promote-backup policy as plain Java, default detector settings.
 * Each prints its figures in one block ({@code SCENARIO ...} up to {@code END}), sizes included.
 * The failover scenarios (c) and (d) are {@link FailoverUdpScenariosTest}.
 */
class FaultScenariosUdpTest {

    static FailoverHub hub() {
        FailoverHub hub = new FailoverHub(FailoverSettings.from(Map.of()), Clock.systemUTC());
        hub.policyBound(new PromoteBackupPolicy(), "promote-backup", "test");
        return hub;
    }

    static boolean admitted(NodeController w) {
        return w.tierAgent() != null && w.tierAgent().clientState() == TierAgent.ClientState.ADMITTED;
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** (a) The primary super dies while 500 workers join through 2 supers, 4 regionals, 8 locals. */
    @Test
    void killThePrimarySuperWhileFiveHundredWorkersJoin() throws Exception {
        final int workersN = 500;
        final int killAfter = 100;
        Topology topo = Topology.build(Topology.Spec.seed().withCounts(2, 4, 8).withRegions(List.of("east", "west"))
                .withCapacities(500, 250, 80).withBounds(Topology.Bounds.EMBEDDED));
        FailoverHub hub = hub();
        try (LoopbackCluster c = new LoopbackCluster(2, "")) {
            Map<String, NodeController> tier = c.startTier(topo, hub);
            List<TopologyNode> supers = topo.level(NodeRole.SUPER);
            NodeController primary = tier.get(supers.get(0).name());
            List<InetSocketAddress> superAddrs = supers.stream()
                    .map(t -> LoopbackCluster.address(tier.get(t.name()))).toList();
            List<NodeController> workers = new ArrayList<>();
            for (int i = 0; i < workersN; i++) {
                workers.add(c.tierWorker("worker-" + i, superAddrs, i % 2 == 0 ? "east" : "west", 1000, hub));
            }
            long[] startedAt = new long[workersN];
            AtomicLongArray admittedAt = new AtomicLongArray(workersN);
            AtomicInteger started = new AtomicInteger();
            long t0 = System.nanoTime();
            Thread starter = new Thread(() -> java.util.stream.IntStream.range(0, workersN).parallel().forEach(i -> {
                startedAt[i] = System.nanoTime();
                workers.get(i).start();
                started.incrementAndGet();
            }), "scenario-a-starter");
            starter.start();
            LoopbackCluster.awaitTrue(() -> started.get() >= killAfter, Duration.ofSeconds(60), "first workers started");
            long killAt = System.nanoTime();
            int startedAtKill = started.get();
            long admittedAtKill = workers.stream().filter(FaultScenariosUdpTest::admitted).count();
            int primaryPeak = primary.tierAgent().peak();
            primary.stop();
            long deadline = System.nanoTime() + 120_000_000_000L;
            int done = 0;
            while (done < workersN && System.nanoTime() < deadline) {
                done = 0;
                for (int i = 0; i < workersN; i++) {
                    if (admittedAt.get(i) == 0 && startedAt[i] != 0 && admitted(workers.get(i))) {
                        admittedAt.set(i, System.nanoTime());
                    }
                    done += admittedAt.get(i) != 0 ? 1 : 0;
                }
                Thread.sleep(50);
            }
            starter.join(10_000);
            long totalMs = (System.nanoTime() - t0) / 1_000_000L;
            long[] joinMs = new long[workersN];
            List<Long> afterKill = new ArrayList<>();
            for (int i = 0; i < workersN; i++) {
                joinMs[i] = admittedAt.get(i) == 0 ? Long.MAX_VALUE : (admittedAt.get(i) - startedAt[i]) / 1_000_000L;
                if (startedAt[i] > killAt) {
                    afterKill.add(joinMs[i]);
                }
            }
            long[] after = afterKill.stream().mapToLong(Long::longValue).sorted().toArray();
            Arrays.sort(joinMs);
            StringBuilder peaks = new StringBuilder();
            int over = 0;
            for (TopologyNode t : topo.nodes()) {
                NodeController x = tier.get(t.name());
                int peak = x == primary ? primaryPeak : x.tierAgent().peak();
                if (peak > t.capacity()) {
                    over++;
                }
                if (t.level() != NodeRole.LOCAL) {
                    peaks.append(t.name()).append(' ').append(peak).append('/').append(t.capacity()).append(", ");
                }
            }
            int localPeakMax = topo.level(NodeRole.LOCAL).stream().mapToInt(t -> tier.get(t.name()).tierAgent().peak())
                    .max().orElse(0);
            System.out.print("SCENARIO a kill the primary super while " + workersN + " workers join\n"
                    + "sizes: supers 2 (cap 500), regionals 4 (cap 250), locals 8 (cap 80), workers " + workersN
                    + " (three-level selection, bootstrap = both supers)\n"
                    + supers.get(0).name() + " stopped " + (killAt - t0) / 1_000_000L + " ms after the first start, with "
                    + startedAtKill + " workers started and " + admittedAtKill + " admitted\n"
                    + "admitted " + done + "/" + workersN + " in " + totalMs + " ms; join ms p50 " + pct(joinMs, 0.5)
                    + " p90 " + pct(joinMs, 0.9) + " p99 " + pct(joinMs, 0.99) + " max " + joinMs[workersN - 1] + "\n"
                    + "workers started after the kill: " + after.length + ", join ms p50 " + pct(after, 0.5) + " p99 "
                    + pct(after, 0.99) + "\n"
                    + "peak sessions: " + peaks + "locals max " + localPeakMax + "/80; nodes above capacity " + over + "\n"
                    + "failover events " + hub.eventCount() + "\n"
                    + "END\n");
            assertEquals(workersN, done, "every worker admitted");
            assertEquals(0, over, "a node above capacity");
            // 500 joiners and 14 tier nodes share 2 loaded cores here; a joiner whose first bootstrap
            // address is the dead super loses rpcTimeout x 2 (2 x 2 s in these tests) before the next
            assertTrue(pct(joinMs, 0.99) <= 20_000, "join p99 " + pct(joinMs, 0.99) + " ms");
        }
    }

    /** (b) Every super dies after formation: new workers join below; lookups still find the closest. */
    @Test
    void killEverySuperAfterFormation() throws Exception {
        final int workersN = 40;
        final int newWorkers = 20;
        final int lookups = 100;
        Topology topo = Topology.build(Topology.Spec.seed().withCounts(2, 2, 4).withRegions(List.of("east", "west"))
                .withCapacities(500, 250, 40).withBounds(Topology.Bounds.EMBEDDED));
        FailoverHub hub = hub();
        try (LoopbackCluster c = new LoopbackCluster(2, "")) {
            Map<String, NodeController> tier = c.startTier(topo, hub);
            List<NodeController> supers = topo.level(NodeRole.SUPER).stream().map(t -> tier.get(t.name())).toList();
            List<NodeController> regionals = topo.level(NodeRole.REGIONAL).stream().map(t -> tier.get(t.name())).toList();
            List<InetSocketAddress> superAddrs = supers.stream().map(LoopbackCluster::address).toList();
            List<NodeController> workers = new ArrayList<>();
            for (int i = 0; i < workersN; i++) {
                workers.add(c.tierWorker("worker-" + i, superAddrs, i % 2 == 0 ? "east" : "west", 200, hub));
            }
            workers.parallelStream().forEach(NodeController::start);
            LoopbackCluster.awaitTrue(() -> workers.stream().allMatch(FaultScenariosUdpTest::admitted),
                    Duration.ofSeconds(60), "workers admitted");
            long eventsBefore = hub.eventCount();
            supers.forEach(NodeController::stop);
            long t0 = System.nanoTime();
            // new workers: the supers first in their bootstrap list (dead), then the regionals
            List<InetSocketAddress> boot = new ArrayList<>(superAddrs);
            regionals.forEach(r -> boot.add(LoopbackCluster.address(r)));
            List<NodeController> fresh = new ArrayList<>();
            for (int i = 0; i < newWorkers; i++) {
                fresh.add(c.tierWorker("new-worker-" + i, boot, i % 2 == 0 ? "east" : "west", 200, hub));
            }
            fresh.parallelStream().forEach(NodeController::start);
            long joinMs = LoopbackCluster.awaitTrue(() -> fresh.stream().allMatch(FaultScenariosUdpTest::admitted),
                    Duration.ofSeconds(60), "new workers admitted");
            List<InetSocketAddress> superSet = superAddrs;
            long atLocals = fresh.stream().filter(w -> topo.level(NodeRole.LOCAL).stream()
                    .anyMatch(t -> LoopbackCluster.address(tier.get(t.name())).equals(w.tierAgent().sessionAt())))
                    .count();
            long atSupers = fresh.stream().filter(w -> superSet.contains(w.tierAgent().sessionAt())).count();
            // lookups from the existing workers for random keys
            // workers' lookups return workers only: bootstrap nodes are entry points (KademliaNode.isEntryPoint)
            List<NodeController> live = c.nodes.stream().filter(n -> !supers.contains(n))
                    .filter(n -> !n.self().record().role().isBootstrap()).toList();
            Random r = new Random(5);
            int found = 0;
            long tl = System.nanoTime();
            List<CompletableFuture<LookupResult>> fs = new ArrayList<>();
            List<NodeController> from = new ArrayList<>();
            for (int i = 0; i < lookups; i++) {
                NodeController w = workers.get(r.nextInt(workersN));
                from.add(w);
                fs.add(w.lookup("b-key-" + r.nextLong()).toCompletableFuture());
            }
            for (int i = 0; i < lookups; i++) {
                if (LoopbackCluster.foundClosest(fs.get(i).get(30, TimeUnit.SECONDS), live, from.get(i))) {
                    found++;
                }
            }
            long lookupMs = (System.nanoTime() - tl) / 1_000_000L;
            System.out.print("SCENARIO b kill every super after formation\n"
                    + "sizes: supers 2, regionals 2, locals 4 (cap 40), workers " + workersN + ", new workers "
                    + newWorkers + " (bootstrap: the 2 dead supers, then the 2 regionals)\n"
                    + "new workers all admitted " + joinMs + " ms after the kill; at locals " + atLocals
                    + ", at regionals " + (newWorkers - atLocals - atSupers) + ", at supers " + atSupers + "\n"
                    + "lookups from existing workers: " + found + "/" + lookups + " found the true closest live node ("
                    + lookupMs + " ms for all, concurrent)\n"
                    + "failover events before the kill " + eventsBefore + ", after " + hub.eventCount() + "\n"
                    + "END\n");
            assertEquals(0, atSupers);
            assertEquals(lookups, found, "lookups that found the true closest live node");
            assertTrue(System.nanoTime() - t0 < 120_000_000_000L);
        }
    }

    /** A flat DHT of {@code n} nodes on loopback, all READY. */
    static List<NodeController> flat(LoopbackCluster c, int n, Object... extra) throws Exception {
        NodeController seed = c.start("seed", List.of(), extra);
        LoopbackCluster.awaitTrue(() -> seed.status().state() == NodeState.READY, Duration.ofSeconds(10), "seed");
        List<NodeController> all = new ArrayList<>(List.of(seed));
        for (int i = 1; i < n; i++) {
            all.add(c.create("n" + i, List.of(LoopbackCluster.address(seed)), extra));
        }
        all.subList(1, n).parallelStream().forEach(NodeController::start);
        LoopbackCluster.awaitTrue(() -> c.countIn(NodeState.READY) == n, Duration.ofSeconds(60), "all READY");
        return all;
    }

    static long copies(List<NodeController> live) {
        return live.stream().mapToLong(x -> x.status().storedValues()).sum();
    }

    static long counter(List<NodeController> live, String name) {
        return live.stream().mapToLong(x -> x.status().counters().getOrDefault(name, 0L)).sum();
    }

    /** (e) 100 values stored, 20% of the nodes killed at random: every value still retrievable. */
    @Test
    void killTwentyPercentAfterStoringValues() throws Exception {
        final int nodes = 60;
        final int values = 100;
        final int k = 8;
        final long replicate = 2_500;
        try (LoopbackCluster c = new LoopbackCluster(2, "")) {
            // the engine's default timeouts (peer 500 ms, rpc 1 s): a replication lookup waits out each dead
            // contact among the k closest for 3 tries of the peer timeout
            List<NodeController> all = flat(c, nodes, "k", k, "replicateMillis", replicate,
                    "lookupPeerTimeoutMillis", 500L, "rpcTimeoutMillis", 1000L);
            Random r = new Random(11);
            List<CompletableFuture<?>> puts = new ArrayList<>();
            for (int i = 0; i < values; i++) {
                puts.add(all.get(r.nextInt(nodes)).put("e-key-" + i, "{\"i\":" + i + "}", Duration.ofHours(2))
                        .toCompletableFuture());
            }
            for (CompletableFuture<?> f : puts) {
                f.get(30, TimeUnit.SECONDS);
            }
            Thread.sleep(replicate); // stores settle
            long before = copies(all);
            List<NodeController> shuffled = new ArrayList<>(all.subList(1, nodes));
            Collections.shuffle(shuffled, r);
            List<NodeController> killed = shuffled.subList(0, nodes / 5);
            killed.forEach(NodeController::stop);
            long tKill = System.nanoTime();
            List<NodeController> live = all.stream().filter(x -> !killed.contains(x)).toList();
            long afterKill = copies(live);
            long replicatedBefore = counter(live, "values_replicated");
            // the k closest live nodes hold every value again: copies back to the level before the kill,
            // up to k per value (a copy beyond a value's k closest is not replaced when its holder dies:
            // replication restores the k closest; waiting for it timed out in ~1 run of 4)
            long target = Math.min(before, (long) values * k);
            long restoredMs = LoopbackCluster.awaitTrue(() -> copies(live) >= target, Duration.ofSeconds(90),
                    "copies restored (" + afterKill + " right after the kill, " + target + " wanted)");
            long replicated = counter(live, "values_replicated") - replicatedBefore;
            int found = 0;
            long tg = System.nanoTime();
            List<CompletableFuture<Optional<DhtValue>>> gets = new ArrayList<>();
            for (int i = 0; i < values; i++) {
                gets.add(live.get(r.nextInt(live.size())).get("e-key-" + i).toCompletableFuture());
            }
            for (int i = 0; i < values; i++) {
                Optional<DhtValue> v = gets.get(i).get(30, TimeUnit.SECONDS);
                if (v.isPresent() && v.get().json().equals("{\"i\":" + i + "}")) {
                    found++;
                }
            }
            long getMs = (System.nanoTime() - tg) / 1_000_000L;
            System.out.print("SCENARIO e kill 20% of the nodes after storing values\n"
                    + "sizes: nodes " + nodes + " (flat DHT), k " + k + ", values " + values + ", killed " + killed.size()
                    + " at random, replicateMillis " + replicate
                    + ", lookup peer timeout 500 ms, rpc timeout 1 s\n"
                    + "copies held by live nodes: before the kill " + before + ", right after " + afterKill
                    + ", back to >= " + target + " (" + copies(live) + ") " + restoredMs + " ms after the kill"
                    + " (values_replicated +" + replicated + ")\n"
                    + "gets from survivors: " + found + "/" + values + " retrieved (" + getMs + " ms, concurrent); "
                    + (System.nanoTime() - tKill) / 1_000_000L + " ms after the kill\n"
                    + "END\n");
            assertEquals(values, found, "values retrievable");
            assertTrue(replicated > 0, "re-replication ran");
        }
    }

    /** (f) 10% of the datagrams dropped at every node: lookups still find the true closest node. */
    @Test
    void tenPercentPacketLossOnEveryNode() throws Exception {
        final int nodes = 50;
        final int lookups = 400;
        final double loss = 0.10;
        try (LoopbackCluster c = new LoopbackCluster(2, "")) {
            // the engine's default timeouts (peer 500 ms, rpc 1 s), not LoopbackCluster's generous 2 s:
            // with 2 s, a lookup waiting out lost answers among the k closest can hit its overall bound
            List<NodeController> all = flat(c, nodes, "lookupPeerTimeoutMillis", 500L, "rpcTimeoutMillis", 1000L);
            Thread.sleep(3_000); // routing tables settle
            for (NodeController n : all) {
                FailoverUdpScenariosTest.endpoint(n).setInboundLoss(loss);
            }
            Random r = new Random(13);
            int found = 0;
            long t0 = System.nanoTime();
            List<CompletableFuture<LookupResult>> fs = new ArrayList<>();
            List<NodeController> from = new ArrayList<>();
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < lookups; i++) {
                NodeController n = all.get(r.nextInt(nodes));
                from.add(n);
                fs.add(n.lookup("f-key-" + r.nextLong()).toCompletableFuture());
                if (fs.size() % 50 == 0) { // 50 at a time: loss, not overload, is under test
                    for (int j = fs.size() - 50; j < fs.size(); j++) {
                        fs.get(j).get(30, TimeUnit.SECONDS);
                    }
                }
            }
            for (int i = 0; i < lookups; i++) {
                LookupResult lr = fs.get(i).get(30, TimeUnit.SECONDS);
                ms.add(lr.millis());
                if (LoopbackCluster.foundClosest(lr, all, from.get(i))) {
                    found++;
                }
            }
            long totalMs = (System.nanoTime() - t0) / 1_000_000L;
            long sent = counter(all, "datagrams_in");
            long retries = counter(all, "rpc_retries");
            Collections.sort(ms);
            System.out.print("SCENARIO f " + (int) (loss * 100) + "% inbound packet loss on every node\n"
                    + "sizes: nodes " + nodes + " (flat DHT, k 20, alpha 3, lookup peer timeout 500 ms, lookupRetries 3), "
                    + "lookups " + lookups
                    + " for random keys from random nodes (50 concurrent)\n"
                    + "found the true closest node: " + found + "/" + lookups + " ("
                    + String.format("%.1f", 100.0 * found / lookups) + "%); lookup ms p50 " + ms.get(lookups / 2)
                    + " p99 " + ms.get((int) Math.ceil(0.99 * lookups) - 1) + "; " + totalMs + " ms in all\n"
                    + "rpc retries (all nodes, whole run) " + retries + ", datagrams read " + sent + "\n"
                    + "END\n");
            // With 10% loss at each end a round trip fails 19% of the time; a lookup gives a peer
            // lookupRetries + 1 = 4 tries, so the closest node is missed about 0.19^4 = 0.13% of the
            // time (with 3 tries, 0.7%: 99% held on average but without margin per sample)
            assertTrue(found >= Math.ceil(0.99 * lookups), found + "/" + lookups);
        }
    }
}
