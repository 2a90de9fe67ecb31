package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.core.sim.SimCluster;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    final SplittableRandom rng = new SplittableRandom(1);
    final NodeId self = NodeId.random(rng);
    int next = 1;

    Contact contact(NodeId id) {
        return new Contact(id, SimCluster.address(next++), NodeRecord.WORKER);
    }

    @Test
    void bucketIndexIs159MinusCommonPrefix() {
        RoutingTable t = new RoutingTable(self, 20, 4, 0);
        byte[] far = self.toBytes();
        far[0] ^= (byte) 0x80;
        byte[] near = self.toBytes();
        near[19] ^= 1;
        assertEquals(159, t.bucketIndex(NodeId.of(far)));
        assertEquals(0, t.bucketIndex(NodeId.of(near)));
        assertEquals(-1, t.bucketIndex(self));
        for (int i = 0; i < 160; i += 7) {
            assertEquals(i, t.bucketIndex(t.randomIdInBucket(i, rng)), "random id lands in bucket " + i);
        }
    }

    @Test
    void neverInsertsSelf() {
        RoutingTable t = new RoutingTable(self, 20, 4, 0);
        assertInstanceOf(RoutingTable.InsertResult.Rejected.class, t.observe(contact(self), 1));
        assertEquals(0, t.size());
    }

    @Test
    void keepsLeastRecentlySeenFirst() {
        RoutingTable t = new RoutingTable(self, 20, 4, 0);
        Contact a = contact(t.randomIdInBucket(159, rng));
        Contact b = contact(t.randomIdInBucket(159, rng));
        Contact c = contact(t.randomIdInBucket(159, rng));
        assertInstanceOf(RoutingTable.InsertResult.Inserted.class, t.observe(a, 1));
        t.observe(b, 2);
        t.observe(c, 3);
        assertInstanceOf(RoutingTable.InsertResult.Updated.class, t.observe(a, 4));
        assertEquals(List.of(b, c, a), t.bucket(159));
        assertEquals(4, t.lastTouched(159));
    }

    @Test
    void fullBucketAsksToPingTheOldestAndEvictsOnlyWhenThePingFails() {
        int k = 3;
        RoutingTable t = new RoutingTable(self, k, 2, 0);
        List<Contact> in = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            in.add(contact(t.randomIdInBucket(159, rng)));
            t.observe(in.get(i), i);
        }
        Contact newcomer = contact(t.randomIdInBucket(159, rng));
        RoutingTable.InsertResult r = t.observe(newcomer, 10);
        assertEquals(new RoutingTable.InsertResult.Pending(in.get(0)), r, "ping the least recently seen");
        Contact second = contact(t.randomIdInBucket(159, rng));
        assertInstanceOf(RoutingTable.InsertResult.Full.class, t.observe(second, 11), "one ping at a time");
        assertEquals(List.of(newcomer, second), t.replacements(159));

        // The oldest answered: it stays (now most recent), the newcomers wait.
        t.pingSucceeded(in.get(0).id(), 12);
        assertEquals(List.of(in.get(1), in.get(2), in.get(0)), t.bucket(159));
        assertFalse(t.contains(newcomer.id()));

        // Next time the oldest does not answer: evicted, the most recent replacement promoted.
        RoutingTable.InsertResult again = t.observe(contact(t.randomIdInBucket(159, rng)), 13);
        Contact oldest = ((RoutingTable.InsertResult.Pending) again).oldest();
        assertEquals(in.get(1), oldest);
        Optional<Contact> promoted = t.pingFailed(oldest.id(), 14);
        assertTrue(promoted.isPresent());
        assertFalse(t.contains(oldest.id()));
        assertTrue(t.contains(promoted.get().id()));
        assertEquals(k, t.size());
        assertEquals(2, t.replacements(159).size() + 1, "the promoted one left the cache");
    }

    @Test
    void knownIdAtANewAddressKeepsTheOldAddressUnlessItFailsAPing() {
        RoutingTable t = new RoutingTable(self, 20, 4, 0);
        NodeId id = t.randomIdInBucket(150, rng);
        Contact old = contact(id);
        t.observe(old, 1);
        Contact moved = new Contact(id, new InetSocketAddress(SimCluster.address(999).getAddress(), 9999), NodeRecord.WORKER);
        assertEquals(new RoutingTable.InsertResult.Pending(old), t.observe(moved, 2));
        assertEquals(old.address(), t.get(id).orElseThrow().address(), "old address kept");
        t.pingFailed(id, 3);
        assertEquals(moved.address(), t.get(id).orElseThrow().address(), "replaced after the failed ping");
    }

    @Test
    void staleContactsAreDroppedAfterConsecutiveFailures() {
        RoutingTable t = new RoutingTable(self, 20, 4, 0);
        Contact a = contact(t.randomIdInBucket(100, rng));
        t.observe(a, 1);
        assertFalse(t.recordFailure(a.id(), 3, 2));
        assertFalse(t.recordFailure(a.id(), 3, 3));
        t.observe(a, 4); // a message resets the count
        assertFalse(t.recordFailure(a.id(), 3, 5));
        assertFalse(t.recordFailure(a.id(), 3, 6));
        assertTrue(t.recordFailure(a.id(), 3, 7));
        assertEquals(0, t.size());
    }

    @Test
    void closestMatchesABruteForceSort() {
        RoutingTable t = new RoutingTable(self, 20, 4, 0);
        for (int i = 0; i < 2000; i++) {
            t.observe(contact(NodeId.random(rng)), i);
        }
        for (int i = 0; i < 150; i += 3) {
            t.observe(contact(t.randomIdInBucket(i % 20, rng)), 3000 + i);
        }
        List<Contact> all = t.all();
        for (int trial = 0; trial < 50; trial++) {
            NodeId target = trial % 5 == 0 ? self : trial % 2 == 0 ? NodeId.random(rng) : t.randomIdInBucket(trial, rng);
            List<Contact> expected = new ArrayList<>(all);
            expected.sort((a, b) -> target.compareDistance(a.id(), b.id()));
            assertEquals(expected.subList(0, 20), t.closest(target, 20));
        }
    }

    @Test
    void idleBucketsAreReportedForRefresh() {
        RoutingTable t = new RoutingTable(self, 20, 4, 0);
        t.observe(contact(t.randomIdInBucket(157, rng)), 1000);
        List<Integer> idle = t.idleBuckets(3_600_000, 3_600_000);
        assertEquals(List.of(159, 158), idle, "farther buckets idle since creation; 157 touched at 1000");
        t.touch(t.randomIdInBucket(159, rng), 3_600_000);
        assertEquals(List.of(158), t.idleBuckets(3_600_000, 3_600_000));
        assertEquals(1, t.snapshot().size());
    }
}
