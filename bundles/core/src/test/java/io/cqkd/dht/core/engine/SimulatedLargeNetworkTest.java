package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.core.sim.SimCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * 2000 nodes joined through two seeds; lookups for 200 random ids find the true closest node.
 * About 15 s of CPU, so it only runs on request: {@code -Dcqkd.sim.large=true}.
 */
@EnabledIfSystemProperty(named = "cqkd.sim.large", matches = "true")
class SimulatedLargeNetworkTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.log.io.cqkd.dht.core.engine.KademliaNode", "warn");
    }

    @Test
    void twoThousandNodes() {
        long t0 = System.nanoTime();
        SimCluster cluster = new SimCluster(SimulatedNetworkTest.config(), 2000, 0.0);
        assertTrue(cluster.build(2000, 2, 5, 120_000), "every node READY");
        int found = SimulatedNetworkTest.lookupAccuracy(cluster, 200);
        System.out.printf("large_sim nodes=2000 found=%d of 200 realMs=%d datagrams=%d%n", found,
                (System.nanoTime() - t0) / 1_000_000, cluster.network.sent());
        assertEquals(200, found);
    }
}
