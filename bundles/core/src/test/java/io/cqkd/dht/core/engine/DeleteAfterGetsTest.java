package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.core.sim.SimCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A delete is seen by every get that follows it, however many gets came before: the copy a get
 * leaves behind ({@link Lookup#repairTarget}) must not outlive the tombstone. With the paper's
 * cache (the closest peer without the value, usually a hop farther out than the holders) the
 * copies sat outside the k closest the delete writes to and answered later gets with the value.
 */
class DeleteAfterGetsTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.log.io.cqkd.dht.core.engine.KademliaNode", "warn");
    }

    @Test
    void noGetReturnsADeletedValueThatEarlierGetsSpread() {
        SimCluster cluster = new SimCluster(EngineConfig.builder().build(), 7, 0.0);
        assertTrue(cluster.build(300, 2, 10, 120_000), "every node READY");
        List<KademliaNode> live = cluster.live();
        int keys = 10;
        List<CompletableFuture<?>> puts = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            puts.add(live.get((i * 37 + 1) % live.size()).put("key-" + i, "{\"n\":" + i + "}", Duration.ofHours(1)));
        }
        cluster.awaitAll(puts, 60_000);
        // every node reads every key once: each get may leave a copy behind
        for (int i = 0; i < keys; i++) {
            assertEquals(live.size(), readByEveryNode(cluster, live, "key-" + i), "key-" + i + " read before the delete");
        }
        List<CompletableFuture<?>> dels = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            dels.add(live.get((i * 53 + 7) % live.size()).delete("key-" + i));
        }
        cluster.awaitAll(dels, 60_000);
        int stale = 0;
        long now = cluster.scheduler.nowMillis();
        for (int i = 0; i < keys; i++) {
            NodeId keyId = NodeId.ofKey("key-" + i);
            for (KademliaNode n : live) {
                if (n.store().get(keyId, now).filter(v -> !v.tombstone()).isPresent()) {
                    stale++;
                }
            }
        }
        int served = 0;
        for (int i = 0; i < keys; i++) {
            served += readByEveryNode(cluster, live, "key-" + i);
        }
        System.out.printf("delete_after_gets nodes=%d keys=%d live_copies_after_delete=%d gets_served_deleted=%d%n",
                live.size(), keys, stale, served);
        assertEquals(0, served, "gets that returned a deleted value (live copies left: " + stale + ")");
    }

    /** Gets {@code key} through every node at once; how many found a value. */
    private static int readByEveryNode(SimCluster cluster, List<KademliaNode> live, String key) {
        List<CompletableFuture<Optional<DhtValue>>> gets = new ArrayList<>();
        for (KademliaNode n : live) {
            gets.add(n.get(key));
        }
        cluster.awaitAll(gets, 60_000);
        int found = 0;
        for (CompletableFuture<Optional<DhtValue>> g : gets) {
            found += g.join().isPresent() ? 1 : 0;
        }
        return found;
    }
}
