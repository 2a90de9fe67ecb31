package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.core.sim.SimCluster;
import io.cqkd.dht.core.wire.Message;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Partition healing through {@link EngineConfig#bootstrapRecheckMillis()}: an island that still
 * knows itself (so the empty-table rejoin never fires) merges back once the cut heals.
 */
class SimulatedPartitionTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.log.io.cqkd.dht.core.engine.KademliaNode", "warn");
    }

    private static final long RECHECK = 30_000;

    private static EngineConfig config() {
        return SimulatedNetworkTest.config().toBuilder().bootstrapRecheckMillis(RECHECK).build();
    }

    @Test
    void islandWithoutAnyForeignContactMergesBackAfterTheCutHeals() {
        long t0 = System.nanoTime();
        SimCluster cluster = new SimCluster(config(), 11, 0.0);
        assertTrue(cluster.build(300, 2, 10, 120_000), "every node READY");
        List<KademliaNode> all = cluster.live();
        // A: both seeds and every other node; B: the rest, no seed
        Set<InetSocketAddress> groupA = new HashSet<>();
        List<KademliaNode> a = new ArrayList<>();
        List<KademliaNode> b = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            KademliaNode n = all.get(i);
            if (i < 2 || i % 2 == 0) {
                groupA.add(n.self().address());
                a.add(n);
            } else {
                b.add(n);
            }
        }
        Map<NodeId, Boolean> inA = new HashMap<>();
        all.forEach(n -> inA.put(n.id(), groupA.contains(n.self().address())));
        cluster.network.setLink((from, to, m) -> groupA.contains(from) == groupA.contains(to));

        // Drive the evictions: every node looks up the ids of its contacts from the other side
        // (each lookup contacts them first and fails); three failures remove a contact.
        int rounds = 0;
        while (foreign(b, inA) + foreign(a, inA) > 0 && rounds < 30) {
            rounds++;
            List<CompletableFuture<LookupResult>> fs = new ArrayList<>();
            for (KademliaNode n : all) {
                int started = 0;
                for (Contact c : n.knownNodes(null, null)) {
                    if (inA.get(c.id()) != inA.get(n.id()) && started++ < 16) {
                        fs.add(n.findNode(c.id()));
                    }
                }
            }
            cluster.awaitAll(fs, 120_000);
        }
        int foreignB = foreign(b, inA);
        int foreignA = foreign(a, inA);
        System.out.printf("partition_evicted rounds=%d foreignInB=%d foreignInA=%d minTableB=%d virtualMs=%d%n",
                rounds, foreignB, foreignA, b.stream().mapToInt(KademliaNode::routingTableSize).min().orElse(0),
                cluster.scheduler.nowMillis());
        assertEquals(0, foreignB, "no B node keeps a contact of A (else the test proves nothing)");
        assertEquals(0, foreignA, "no A node keeps a contact of B");
        assertTrue(b.stream().allMatch(n -> n.routingTableSize() > 0), "B nodes know each other: no empty-table rejoin");
        // Two recheck periods while cut: the rechecks from B time out, nothing crosses.
        cluster.scheduler.runFor(2 * RECHECK);
        assertEquals(0, foreign(b, inA), "still apart while cut");

        cluster.network.setLink(null);
        long healedAt = cluster.scheduler.nowMillis();
        long heals0 = sum(all, Counters.Counter.PARTITION_HEALS);
        long checks0 = sum(all, Counters.Counter.BOOTSTRAP_RECHECKS);
        cluster.scheduler.runFor(3 * RECHECK);
        long heals = sum(all, Counters.Counter.PARTITION_HEALS) - heals0;
        long checks = sum(all, Counters.Counter.BOOTSTRAP_RECHECKS) - checks0;
        int keys = 200;
        int fromB = accuracy(cluster, b, keys);
        int fromA = accuracy(cluster, a, keys);
        System.out.printf("partition_healed afterMs=%d rechecks=%d heals=%d foundFromB=%d foundFromA=%d of %d "
                        + "foreignInB=%d foreignInA=%d realMs=%d%n", cluster.scheduler.nowMillis() - healedAt, checks,
                heals, fromB, fromA, keys, foreign(b, inA), foreign(a, inA), (System.nanoTime() - t0) / 1_000_000);
        assertTrue(fromB >= keys * 99 / 100, "lookups from B find the true closest of all nodes: " + fromB);
        assertTrue(fromA >= keys * 99 / 100, "lookups from A find the true closest of all nodes: " + fromA);
        // cost: one recheck per node per period at most
        assertTrue(checks <= all.size() * 4L, "at most one recheck per node per period: " + checks);
    }

    @Test
    void recheckAsksAtMostOneBootstrapAddressPerPeriod() {
        long period = 10_000;
        SimCluster cluster = new SimCluster(SimulatedNetworkTest.config().toBuilder()
                .maintenanceIntervalMillis(1_000).bootstrapRecheckMillis(period).build(), 5, 0.0);
        assertTrue(cluster.build(30, 3, 10, 60_000), "every node READY");
        cluster.scheduler.runFor(60_000); // quiet: no join traffic left
        List<KademliaNode> all = cluster.live();
        Set<InetSocketAddress> seeds = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            seeds.add(all.get(i).self().address());
        }
        KademliaNode x = all.get(20);
        InetSocketAddress xa = x.self().address();
        List<long[]> sends = new ArrayList<>(); // time, seed index
        List<InetSocketAddress> order = List.copyOf(seeds);
        byte[] xid = x.id().toBytes();
        cluster.network.setLink((from, to, m) -> {
            if (from.equals(xa) && seeds.contains(to) && m instanceof Message.FindNode f
                    && java.util.Arrays.equals(f.target(), xid)) {
                sends.add(new long[] {cluster.scheduler.nowMillis(), order.indexOf(to)});
            }
            return true;
        });
        long start = cluster.scheduler.nowMillis();
        long checks0 = x.counters().get(Counters.Counter.BOOTSTRAP_RECHECKS);
        long all0 = sum(all, Counters.Counter.BOOTSTRAP_RECHECKS);
        int periods = 12;
        cluster.scheduler.runFor(periods * period);
        long checks = x.counters().get(Counters.Counter.BOOTSTRAP_RECHECKS) - checks0;
        long allChecks = sum(all, Counters.Counter.BOOTSTRAP_RECHECKS) - all0;
        System.out.printf("recheck_cost node_sends=%d node_checks=%d network_checks=%d nodes=%d periods=%d%n",
                sends.size(), checks, allChecks, all.size(), periods);
        assertTrue(checks >= periods - 1 && checks <= periods, "one recheck per period: " + checks);
        assertEquals(0, x.counters().get(Counters.Counter.PARTITION_HEALS), "a converged network triggers no heal");
        assertEquals(checks, sends.size(), "a recheck is one datagram to one bootstrap address, nothing else");
        for (int i = 1; i < sends.size(); i++) {
            assertTrue(sends.get(i)[0] - sends.get(i - 1)[0] >= period, "at least a period apart");
            assertTrue(sends.get(i)[1] != sends.get(i - 1)[1], "round-robin over the bootstrap addresses");
        }
        // seeds have no bootstrap address but the first; 27 joiners + 2 later seeds recheck
        assertTrue(allChecks <= (long) all.size() * periods, "N nodes => at most N per period: " + allChecks);
    }

    private static long sum(List<KademliaNode> nodes, Counters.Counter c) {
        return nodes.stream().mapToLong(n -> n.counters().get(c)).sum();
    }

    /** Contacts of the other side held by {@code nodes}. */
    private static int foreign(List<KademliaNode> nodes, Map<NodeId, Boolean> inA) {
        int n = 0;
        for (KademliaNode node : nodes) {
            boolean side = inA.get(node.id());
            for (Contact c : node.knownNodes(null, null)) {
                if (inA.get(c.id()) != side) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Lookups of random ids from random nodes of {@code from}: how many found the true closest of all. */
    private static int accuracy(SimCluster c, List<KademliaNode> from, int keys) {
        int found = 0;
        for (int batch = 0; batch < keys; batch += 25) {
            List<NodeId> targets = new ArrayList<>();
            List<CompletableFuture<LookupResult>> fs = new ArrayList<>();
            for (int i = batch; i < Math.min(keys, batch + 25); i++) {
                NodeId target = NodeId.random(c.random());
                targets.add(target);
                fs.add(from.get(c.random().nextInt(from.size())).findNode(target));
            }
            c.awaitAll(fs, 60_000);
            for (int i = 0; i < fs.size(); i++) {
                LookupResult r = fs.get(i).join();
                if (!r.closest().isEmpty() && r.closest().get(0).id().equals(c.trueClosest(targets.get(i), 1).get(0))) {
                    found++;
                }
            }
        }
        return found;
    }
}
