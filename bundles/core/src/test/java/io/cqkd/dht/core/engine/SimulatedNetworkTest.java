package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.StoreResult;
import io.cqkd.dht.core.sim.SimCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * 1000 nodes on the in-memory network without loss, joined through two seeds: every node gets
 * READY, lookups find the true closest node, values put through one node are read through another,
 * deletes win, and values survive the death of 20% of the nodes once re-replication ran.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimulatedNetworkTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.log.io.cqkd.dht.core.engine.KademliaNode", "warn");
    }

    static final int NODES = 1000;
    static SimCluster cluster;
    static long buildMillis;

    static EngineConfig config() {
        return EngineConfig.builder()
                .replicateMillis(10 * 60_000)
                .republishMillis(30 * 60_000)
                .build();
    }

    @BeforeAll
    static void build() {
        long t0 = System.nanoTime();
        long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        cluster = new SimCluster(config(), 42, 0.0);
        boolean ready = cluster.build(NODES, 2, 10, 120_000);
        buildMillis = (System.nanoTime() - t0) / 1_000_000;
        long cpuMillis = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1_000_000;
        System.out.printf("sim_built nodes=%d ready=%s virtualMs=%d realMs=%d cpuMs=%d tasks=%d datagrams=%d%n", NODES,
                ready, cluster.scheduler.nowMillis(), buildMillis, cpuMillis, cluster.scheduler.executed(),
                cluster.network.sent());
        long lookups = cluster.live().stream().mapToLong(n -> n.counters().get(Counters.Counter.LOOKUPS)).sum();
        long requests = cluster.live().stream().mapToLong(n -> n.counters().get(Counters.Counter.REQUESTS_OUT)).sum();
        long evictions = cluster.live().stream().mapToLong(n -> n.counters().get(Counters.Counter.EVICTIONS)).sum();
        System.out.printf("sim_join lookups=%d requests=%d evictions=%d%n", lookups, requests, evictions);
        assertTrue(ready, "every node READY");
    }

    @Test
    @Order(1)
    void everyNodeIsReadyWithAFullishTable() {
        assertTrue(cluster.allReady());
        int min = cluster.live().stream().mapToInt(KademliaNode::routingTableSize).min().orElseThrow();
        double avg = cluster.live().stream().mapToInt(KademliaNode::routingTableSize).average().orElseThrow();
        System.out.printf("routing_tables min=%d avg=%.1f%n", min, avg);
        assertTrue(min >= 10, "every table holds at least k/2 contacts, min=" + min);
    }

    @Test
    @Order(2)
    void lookupsFindTheTrueClosestNode() {
        int keys = 250;
        int found = lookupAccuracy(cluster, keys);
        System.out.printf("lookup_accuracy found=%d of %d%n", found, keys);
        assertEquals(keys, found, "every lookup finds the true closest node without loss");
    }

    static int lookupAccuracy(SimCluster c, int keys) {
        List<KademliaNode> live = c.live();
        int found = 0;
        int hops = 0;
        for (int batch = 0; batch < keys; batch += 25) {
            List<NodeId> targets = new ArrayList<>();
            List<CompletableFuture<LookupResult>> fs = new ArrayList<>();
            for (int i = batch; i < Math.min(keys, batch + 25); i++) {
                NodeId target = NodeId.random(c.random());
                KademliaNode from = live.get(c.random().nextInt(live.size()));
                targets.add(target);
                fs.add(from.findNode(target));
            }
            c.awaitAll(fs, 60_000);
            for (int i = 0; i < fs.size(); i++) {
                LookupResult r = fs.get(i).join();
                NodeId truth = c.trueClosest(targets.get(i), 1).get(0);
                if (!r.closest().isEmpty() && r.closest().get(0).id().equals(truth)) {
                    found++;
                }
                hops = Math.max(hops, r.hops());
            }
        }
        System.out.printf("lookup_hops max=%d%n", hops);
        return found;
    }

    @Test
    @Order(3)
    void putThroughOneNodeGetThroughAnother() {
        List<KademliaNode> live = cluster.live();
        int keys = 120;
        for (int batch = 0; batch < keys; batch += 30) {
            List<CompletableFuture<StoreResult>> puts = new ArrayList<>();
            for (int i = batch; i < batch + 30; i++) {
                puts.add(live.get((i * 7) % live.size()).put("key-" + i, "{\"n\":" + i + "}", Duration.ofHours(2)));
            }
            cluster.awaitAll(puts, 60_000);
            for (CompletableFuture<StoreResult> f : puts) {
                StoreResult r = f.join();
                assertTrue(r.replicas() >= 15, "most of the k closest acknowledged: " + r);
            }
        }
        for (int batch = 0; batch < keys; batch += 30) {
            List<CompletableFuture<Optional<DhtValue>>> gets = new ArrayList<>();
            for (int i = batch; i < batch + 30; i++) {
                gets.add(live.get((i * 13 + 5) % live.size()).get("key-" + i));
            }
            cluster.awaitAll(gets, 60_000);
            for (int i = 0; i < gets.size(); i++) {
                Optional<DhtValue> v = gets.get(i).join();
                int n = batch + i;
                assertTrue(v.isPresent(), "key-" + n + " found");
                assertEquals("{\"n\":" + n + "}", v.get().json());
            }
        }
    }

    @Test
    @Order(4)
    void deleteMakesGetEmpty() {
        List<KademliaNode> live = cluster.live();
        List<CompletableFuture<StoreResult>> dels = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            dels.add(live.get((i * 31 + 3) % live.size()).delete("key-" + i));
        }
        cluster.awaitAll(dels, 60_000);
        dels.forEach(f -> assertTrue(f.join().replicas() >= 15));
        List<CompletableFuture<Optional<DhtValue>>> gets = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            gets.add(live.get((i * 17 + 11) % live.size()).get("key-" + i));
        }
        cluster.awaitAll(gets, 60_000);
        for (int i = 0; i < 40; i++) {
            assertEquals(i >= 20, gets.get(i).join().isPresent(), "key-" + i + (i < 20 ? " deleted" : " still there"));
        }
    }

    /** Live nodes among the k closest to the key that hold a live copy of it. */
    static int replicasAmongClosest(SimCluster c, String key, int k) {
        NodeId keyId = NodeId.ofKey(key);
        int n = 0;
        for (KademliaNode node : c.closestNodes(keyId, k)) {
            if (node.store().get(keyId, c.scheduler.nowMillis()).filter(v -> !v.tombstone()).isPresent()) {
                n++;
            }
        }
        return n;
    }

    @Test
    @Order(5)
    void valuesSurviveTheDeathOfTwentyPercentAfterReplication() {
        int k = config().k();
        List<String> keys = new ArrayList<>();
        for (int i = 20; i < 120; i++) {
            keys.add("key-" + i);
        }
        int before = keys.stream().mapToInt(key -> replicasAmongClosest(cluster, key, k)).min().orElseThrow();
        int killed = 0;
        for (int i = 0; i < cluster.nodes.size() && killed < NODES / 5; i++) {
            if (cluster.random().nextInt(5) == 0 && cluster.isAlive(i)) {
                cluster.kill(i);
                killed++;
            }
        }
        int afterKill = keys.stream().mapToInt(key -> replicasAmongClosest(cluster, key, k)).min().orElseThrow();
        // Three replication periods: every holder's job runs at least twice on the new membership.
        cluster.scheduler.runFor(3 * config().replicateMillis() + 60_000);
        int[] replicas = keys.stream().mapToInt(key -> replicasAmongClosest(cluster, key, k)).toArray();
        int min = java.util.Arrays.stream(replicas).min().orElseThrow();
        double avg = java.util.Arrays.stream(replicas).average().orElseThrow();
        System.out.printf("replication killed=%d minBefore=%d minAfterKill=%d minAfterReplication=%d avg=%.1f%n",
                killed, before, afterKill, min, avg);
        assertTrue(min >= k * 3 / 4, "the replica set healed: at least 3/4 of the k closest live nodes hold each value, min=" + min);
        assertTrue(avg >= k - 1, "on average the replica set is whole again, avg=" + avg);

        List<KademliaNode> live = cluster.live();
        List<CompletableFuture<Optional<DhtValue>>> gets = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            gets.add(live.get((i * 29 + 1) % live.size()).get(keys.get(i)));
            if (gets.size() % 30 == 0) {
                cluster.awaitAll(gets, 60_000);
            }
        }
        cluster.awaitAll(gets, 60_000);
        for (int i = 0; i < keys.size(); i++) {
            assertTrue(gets.get(i).join().isPresent(), keys.get(i) + " still readable");
        }
    }
}
