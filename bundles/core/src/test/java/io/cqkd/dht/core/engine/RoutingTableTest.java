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
import java.util.Arrays;
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
    void aFullBucketOfRecentlySeenContactsParksTheNewcomerWithoutAPing() {
        int k = 3;
        RoutingTable t = new RoutingTable(self, k, 2, 1_000, 0);
        List<Contact> in = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            in.add(contact(t.randomIdInBucket(159, rng)));
            t.observe(in.get(i), 100 + i);
        }
        Contact early = contact(t.randomIdInBucket(159, rng));
        assertInstanceOf(RoutingTable.InsertResult.Full.class, t.observe(early, 1_099), "the oldest was seen 999 ms ago: alive");
        assertEquals(List.of(early), t.replacements(159));
        Contact late = contact(t.randomIdInBucket(159, rng));
        assertEquals(new RoutingTable.InsertResult.Pending(in.get(0)), t.observe(late, 1_100),
                "seen 1000 ms ago: no longer fresh, so it is pinged");
        t.pingFailed(in.get(0).id(), 1_101);
        assertTrue(t.contains(late.id()), "the most recent replacement takes the place");
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

    /** A table offered 2000 random contacts (its far buckets full) and 50 in its 20 nearest buckets. */
    RoutingTable fullTable() {
        RoutingTable t = new RoutingTable(self, 20, 4, 0);
        for (int i = 0; i < 2000; i++) {
            t.observe(contact(NodeId.random(rng)), i);
        }
        for (int i = 0; i < 150; i += 3) {
            t.observe(contact(t.randomIdInBucket(i % 20, rng)), 3000 + i);
        }
        return t;
    }

    @Test
    void closestMatchesABruteForceSort() {
        RoutingTable t = fullTable();
        List<Contact> all = t.all();
        for (int trial = 0; trial < 50; trial++) {
            NodeId target = trial % 5 == 0 ? self : trial % 2 == 0 ? NodeId.random(rng) : t.randomIdInBucket(trial, rng);
            List<Contact> expected = new ArrayList<>(all);
            expected.sort((a, b) -> target.compareDistance(a.id(), b.id()));
            assertEquals(expected.subList(0, 20), t.closest(target, 20));
        }
    }

    @Test
    void countCloserAndSelfClosestMatchABruteForceCount() {
        RoutingTable t = fullTable();
        List<Contact> all = t.all();
        int[] outcomes = new int[2];
        for (int trial = 0; trial < 400; trial++) {
            NodeId target = trial % 7 == 0 ? self
                    : trial % 3 == 0 ? all.get(rng.nextInt(all.size())).id()
                    : trial % 2 == 0 ? NodeId.random(rng) : t.randomIdInBucket(trial % 160, rng);
            NodeId id = trial % 5 == 0 ? self
                    : trial % 5 == 1 ? all.get(rng.nextInt(all.size())).id()
                    : trial % 5 == 2 ? target
                    : trial % 5 == 3 ? NodeId.random(rng) : t.randomIdInBucket((trial * 13) % 160, rng);
            long expected = all.stream().filter(c -> target.compareDistance(c.id(), id) < 0).count();
            assertEquals(expected, t.countCloser(target, id), "trial " + trial);
            NodeId ignored = trial % 2 == 0 ? all.get(rng.nextInt(all.size())).id() : target;
            boolean selfClosest = all.stream()
                    .noneMatch(c -> !c.id().equals(ignored) && target.compareDistance(c.id(), self) < 0);
            assertEquals(selfClosest, t.selfClosest(target, ignored), "trial " + trial);
            outcomes[selfClosest ? 1 : 0]++;
        }
        assertTrue(outcomes[0] > 50 && outcomes[1] > 50, "both outcomes exercised: " + Arrays.toString(outcomes));
    }

    /**
     * The replication shortcut: for a key we were the closest to, a contact no closer to it than
     * us with k contacts in buckets nearer to us than its own is not among the key's k closest.
     */
    @Test
    void contactsInNearerBucketsBoundTheContactsCloserToAKeyWeAreClosestTo() {
        int checked = 0;
        for (int round = 0; round < 30; round++) {
            RoutingTable t = new RoutingTable(self, 20, 4, 0);
            int far = 50 + rng.nextInt(2000);
            for (int i = 0; i < far; i++) {
                t.observe(contact(NodeId.random(rng)), i);
            }
            for (int i = 0; i < rng.nextInt(60); i++) {
                t.observe(contact(t.randomIdInBucket(rng.nextInt(24), rng)), 3000 + i);
            }
            List<Contact> all = t.all();
            for (int trial = 0; trial < 1000; trial++) {
                NodeId key = trial % 2 == 0 ? t.randomIdInBucket(rng.nextInt(160), rng) : NodeId.random(rng);
                Contact c = all.get(rng.nextInt(all.size()));
                if (!t.selfClosest(key, c.id())) {
                    continue;
                }
                long closer = all.stream().filter(x -> key.compareDistance(x.id(), c.id()) < 0).count();
                assertEquals(closer, t.countCloser(key, c.id()));
                if (t.countInNearerBuckets(c.id()) >= 20 && key.compareDistance(c.id(), self) >= 0) {
                    assertTrue(closer >= 20, "round " + round + " trial " + trial + ": " + closer + " closer");
                    checked++;
                }
            }
        }
        assertTrue(checked > 100, "the shortcut was exercised: " + checked);
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

    @Test
    void aSecondIdAtAHeldEndpointGetsInOnlyWhenTheHolderFailsAPing() {
        RoutingTable t = new RoutingTable(self, 20, 4, 0);
        InetSocketAddress at = SimCluster.address(500);
        Contact holder = new Contact(t.randomIdInBucket(159, rng), at, NodeRecord.WORKER);
        Contact b = new Contact(t.randomIdInBucket(150, rng), at, NodeRecord.WORKER);
        Contact c = new Contact(t.randomIdInBucket(140, rng), at, NodeRecord.WORKER);
        assertInstanceOf(RoutingTable.InsertResult.Inserted.class, t.observe(holder, 1));
        assertEquals(new RoutingTable.InsertResult.EndpointTaken(holder), t.observe(b, 2), "ping the holder first");
        assertEquals(new RoutingTable.InsertResult.Ignored(true), t.observe(c, 3), "one ping per endpoint; c replaces b");
        assertEquals(new RoutingTable.InsertResult.Ignored(false), t.observe(c, 4));
        assertEquals(List.of(holder), t.all());
        assertTrue(t.replacements(150).isEmpty() && t.replacements(140).isEmpty(), "claimants never wait as replacements");

        // The holder answers: the claim is dropped.
        t.pingSucceeded(holder.id(), 5);
        assertEquals(Optional.of(c), t.takeChallenger(at));
        assertEquals(0, t.challenges());
        assertEquals(List.of(holder), t.all());

        // Next claim; this time the holder is gone: the claimant takes the endpoint.
        assertEquals(new RoutingTable.InsertResult.EndpointTaken(holder), t.observe(b, 6));
        t.pingFailed(holder.id(), 7);
        Contact claimant = t.takeChallenger(at).orElseThrow();
        assertEquals(b, claimant);
        assertInstanceOf(RoutingTable.InsertResult.Inserted.class, t.observe(claimant, 8));
        assertEquals(List.of(b), t.all());
        assertEquals(new RoutingTable.InsertResult.EndpointTaken(b), t.observe(holder, 9), "the old id is now the claimant");
    }

    @Test
    void aFloodOfIdsFromOneEndpointHoldsOneSlot() {
        RoutingTable t = new RoutingTable(self, 20, 8, 0);
        InetSocketAddress at = SimCluster.address(501);
        int pings = 0;
        for (int i = 0; i < 10_000; i++) {
            RoutingTable.InsertResult r = t.observe(new Contact(t.randomIdInBucket(100 + i % 60, rng), at, NodeRecord.WORKER), i);
            if (r instanceof RoutingTable.InsertResult.EndpointTaken) {
                pings++;
            }
        }
        assertEquals(1, t.size());
        assertEquals(1, pings, "one ping of the holder for the whole flood");
        assertEquals(1, t.challenges(), "one waiting claimant, not ten thousand");
        for (int i = 0; i < RoutingTable.BUCKETS; i++) {
            assertTrue(t.replacements(i).isEmpty());
        }
        // Other endpoints on the same IP are separate nodes (loopback networks): no per-IP limit.
        for (int port = 1; port <= 30; port++) {
            t.observe(new Contact(t.randomIdInBucket(159, rng), new InetSocketAddress(at.getAddress(), 7000 + port),
                    NodeRecord.WORKER), 20_000 + port);
        }
        assertEquals(20, t.bucket(159).size(), "a full bucket of co-located nodes");
        assertEquals(21, t.size());
    }

    @Test
    void aReplacementWhoseEndpointIsHeldIsNeverPromoted() {
        int k = 2;
        RoutingTable t = new RoutingTable(self, k, 4, 0);
        Contact a = contact(t.randomIdInBucket(159, rng));
        Contact b = contact(t.randomIdInBucket(159, rng));
        Contact elsewhere = contact(t.randomIdInBucket(10, rng));
        t.observe(a, 1);
        t.observe(b, 2);
        t.observe(elsewhere, 3);
        // b moved to the endpoint of 'elsewhere' (or someone claims so): it waits as a replacement
        Contact bMoved = new Contact(b.id(), elsewhere.address(), NodeRecord.WORKER);
        assertEquals(new RoutingTable.InsertResult.Pending(b), t.observe(bMoved, 4));
        Contact fresh = contact(t.randomIdInBucket(159, rng));
        assertInstanceOf(RoutingTable.InsertResult.Full.class, t.observe(fresh, 5));
        assertEquals(List.of(bMoved, fresh), t.replacements(159));
        // a is dropped as stale: fresh is promoted, not b at a held endpoint nor b twice
        t.recordFailure(a.id(), 1, 6);
        assertEquals(List.of(b, fresh), t.bucket(159));
        // b fails its ping: the moved address stays out while 'elsewhere' holds it
        assertEquals(Optional.empty(), t.pingFailed(b.id(), 7));
        assertEquals(List.of(fresh), t.bucket(159));
        assertEquals(List.of(bMoved), t.replacements(159));
    }
}
