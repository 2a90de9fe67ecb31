package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link RoutingTable#closest} walks buckets in distance order: it must equal a full sort for every n and target. */
class RoutingTableClosestTest {
    @Test
    void closestEqualsABruteForceSortForEveryCountAndTarget() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int table = 0; table < 5; table++) {
            NodeId self = NodeId.random(rng);
            RoutingTable t = new RoutingTable(self, 8, 2, 0);
            int port = 1;
            for (int i = 0; i < 3000; i++) {
                t.observe(new Contact(NodeId.random(rng), new InetSocketAddress("127.0.0.1", port++), NodeRecord.WORKER), i);
            }
            for (int b = 0; b < 40; b++) { // fill the close buckets too, so every branch is taken
                t.observe(new Contact(t.randomIdInBucket(b % 20, rng), new InetSocketAddress("127.0.0.1", port++),
                        NodeRecord.WORKER), 4000 + b);
            }
            List<Contact> all = t.all();
            for (int trial = 0; trial < 200; trial++) {
                NodeId target = trial == 0 ? self : trial % 3 == 0 ? t.randomIdInBucket(trial % 160, rng) : NodeId.random(rng);
                List<Contact> expected = new ArrayList<>(all);
                expected.sort((a, c) -> target.compareDistance(a.id(), c.id()));
                for (int n : new int[] {0, 1, 7, 9, 21, 64, all.size(), all.size() + 5}) {
                    assertEquals(expected.subList(0, Math.min(n, expected.size())), t.closest(target, n),
                            "table " + table + " trial " + trial + " n " + n);
                }
            }
        }
    }
}
