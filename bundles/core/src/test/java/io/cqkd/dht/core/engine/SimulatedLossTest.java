package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.StoreResult;
import io.cqkd.dht.core.sim.SimCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** 1000 nodes on a network that loses 10% of all datagrams, during the join and after. */
class SimulatedLossTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.log.io.cqkd.dht.core.engine.KademliaNode", "warn");
    }

    @Test
    void lookupsAndValuesWorkWithTenPercentLoss() {
        long t0 = System.nanoTime();
        SimCluster cluster = new SimCluster(SimulatedNetworkTest.config(), 7, 0.10);
        assertTrue(cluster.build(1000, 2, 10, 300_000), "every node READY despite loss");
        int keys = 200;
        int found = SimulatedNetworkTest.lookupAccuracy(cluster, keys);
        System.out.printf("loss_lookup_accuracy found=%d of %d realMs=%d lost=%d of %d%n", found, keys,
                (System.nanoTime() - t0) / 1_000_000, cluster.network.lost(), cluster.network.sent());
        assertTrue(found >= keys * 99 / 100, "at least 99% of lookups find the true closest node: " + found);

        List<KademliaNode> live = cluster.live();
        List<CompletableFuture<StoreResult>> puts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            puts.add(live.get(i * 3).put("lossy-" + i, "[" + i + "]", Duration.ofHours(1)));
        }
        cluster.awaitAll(puts, 60_000);
        puts.forEach(f -> assertTrue(f.join().replicas() >= 10, "stored despite loss: " + f.join()));
        List<CompletableFuture<Optional<DhtValue>>> gets = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            gets.add(live.get(i * 5 + 1).get("lossy-" + i));
        }
        cluster.awaitAll(gets, 60_000);
        long ok = gets.stream().filter(f -> f.join().isPresent()).count();
        assertTrue(ok == 30, "every value read back despite loss: " + ok);
    }
}
