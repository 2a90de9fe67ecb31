package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.core.engine.Counters.Counter;
import io.cqkd.dht.core.sim.SimCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A join whose self lookup met silent peers looks itself up once more, later; a clean one does not. */
class SecondSelfLookupTest {
    /** Lookups a newcomer started from the end of its join until 70 s later. */
    static long lookupsAfterTheJoin(boolean silentPeers) {
        SimCluster c = new SimCluster(SimulatedNetworkTest.config(), 11, 0.0);
        assertTrue(c.build(80, 2, 10, 60_000));
        c.scheduler.runFor(5_000);
        if (silentPeers) {
            for (int i = 20; i < 60; i++) {
                c.kill(i); // still in the others' tables: the newcomer's self lookup will ask some of them
            }
        }
        KademliaNode n = c.add(NodeRecord.WORKER);
        n.start(List.of(c.nodes.get(0).self().address()));
        assertTrue(c.scheduler.runUntil(() -> n.state() == io.cqkd.dht.api.NodeState.READY, 30_000));
        c.scheduler.runFor(10_000); // the join's own lookups (self, farther buckets) end
        long before = n.counters().get(Counter.LOOKUPS);
        c.scheduler.runFor(2 * KademliaNode.SECOND_SELF_LOOKUP_MILLIS + 10_000);
        return n.counters().get(Counter.LOOKUPS) - before;
    }

    @Test
    void aJoinThatMetSilentPeersLooksItselfUpOnceMore() {
        assertEquals(0, lookupsAfterTheJoin(false), "a clean join: no second self lookup");
        assertTrue(lookupsAfterTheJoin(true) >= 1, "a join that met silent peers looks itself up again");
    }
}
