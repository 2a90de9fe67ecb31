package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.sim.SimCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The lookup state machine driven by hand with a fake clock and a global view of 300 peers. */
class LookupTest {
    static final long PEER_TIMEOUT = 500;
    final SplittableRandom rng = new SplittableRandom(3);
    final NodeId self = NodeId.random(rng);
    final NodeId target = NodeId.random(rng);
    final List<Contact> peers = new ArrayList<>();

    LookupTest() {
        for (int i = 0; i < 300; i++) {
            peers.add(new Contact(NodeId.random(rng), SimCluster.address(i + 1), NodeRecord.WORKER));
        }
    }

    /** What a peer answers: the 8 peers closest to the target among a random third of the network it "knows". */
    List<Contact> answer(Contact who) {
        SplittableRandom r = new SplittableRandom(who.id().hashCode());
        List<Contact> known = new ArrayList<>();
        for (Contact c : peers) {
            if (r.nextInt(3) == 0 && !c.equals(who)) {
                known.add(c);
            }
        }
        known.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        return known.subList(0, 8);
    }

    List<Contact> trueClosest(int n) {
        List<Contact> all = new ArrayList<>(peers);
        all.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        return all.subList(0, n);
    }

    Lookup lookup(int k, int alpha, List<Contact> seeds) {
        return new Lookup(target, self, k, alpha, PEER_TIMEOUT, 200, 0, 10_000, seeds);
    }

    @Test
    void neverMoreThanAlphaInFlightWhileTheLookupProgresses() {
        Lookup l = lookup(8, 3, peers.subList(0, 20));
        List<Contact> first = l.next(0);
        assertEquals(3, first.size());
        assertEquals(3, l.waiting());
        assertTrue(l.next(1).isEmpty(), "at capacity");
        l.onSuccess(first.get(0).id(), List.of());
        assertEquals(1, l.next(2).size(), "one slot freed, one request");
        assertEquals(3, l.waiting());
    }

    @Test
    void aStalledLookupQueriesTheRestOfTheKClosestAtOnce() {
        List<Contact> seeds = new ArrayList<>(peers.subList(0, 20));
        seeds.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        Lookup l = lookup(8, 3, seeds);
        List<Contact> first = l.next(0);
        assertEquals(seeds.subList(0, 3), first);
        l.onSuccess(first.get(0).id(), List.of());
        l.onSuccess(first.get(1).id(), List.of());
        assertEquals(seeds.subList(3, 5), l.next(1), "two answers without progress: still alpha in flight");
        l.onSuccess(first.get(2).id(), List.of());
        List<Contact> burst = l.next(2);
        assertEquals(seeds.subList(5, 8), burst, "stalled: every uncontacted peer among the k closest at once, none beyond");
        assertEquals(5, l.waiting());
        assertTrue(l.next(3).isEmpty());

        // an answer with a closer peer than any known ends the stall: alpha again
        Contact closer = new Contact(NodeId.of(target.toBytes()), SimCluster.address(999), NodeRecord.WORKER);
        l.onSuccess(seeds.get(3).id(), List.of(closer));
        assertTrue(l.next(4).isEmpty(), "4 still in flight, more than alpha");
    }

    @Test
    void findsTheTrueClosestAndTerminates() {
        Lookup l = lookup(8, 3, peers.subList(0, 8));
        long now = 0;
        int rounds = 0;
        while (!l.isFinished()) {
            for (Contact c : l.next(now)) {
                l.onSuccess(c.id(), answer(c));
            }
            now += 10;
            assertTrue(++rounds < 1000, "terminates");
        }
        assertEquals(trueClosest(8), l.closestSucceeded());
        assertTrue(l.queried() < 100, "queried a bounded number of peers: " + l.queried());
        assertTrue(l.hops() >= 2, "followed referrals");
    }

    @Test
    void aSlowPeerDoesNotHoldUpTheQueriesAndItsLateAnswerCounts() {
        List<Contact> seeds = new ArrayList<>(peers.subList(0, 30));
        seeds.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        Contact slow = seeds.get(0); // the closest candidate is slow
        Lookup l = lookup(4, 3, seeds);
        Set<Contact> asked = new HashSet<>();
        long now = 0;
        List<Contact> sent = l.next(now);
        assertTrue(sent.contains(slow));
        // Everyone else answers at once (with nothing new): only 2 slots are usable while the slow one waits.
        while (true) {
            List<Contact> answerNow = new ArrayList<>(sent);
            answerNow.remove(slow);
            if (answerNow.isEmpty()) {
                break;
            }
            asked.addAll(answerNow);
            for (Contact c : answerNow) {
                l.onSuccess(c.id(), List.of());
            }
            sent = l.next(now);
            assertTrue(l.waiting() <= 3);
        }
        assertFalse(l.isFinished(), "the slow peer is closer than the results: not given up yet");
        assertEquals(Lookup.PeerState.WAITING, l.state(slow.id()));
        now = PEER_TIMEOUT;
        l.next(now);
        assertEquals(Lookup.PeerState.UNRESPONSIVE, l.state(slow.id()));
        assertEquals(0, l.waiting(), "an unresponsive peer no longer counts toward alpha");
        // The late answer arrives shortly after the peer timeout, long before an RPC timeout would end it.
        l.onSuccess(slow.id(), List.of());
        assertTrue(l.next(now + 20).isEmpty());
        assertTrue(l.isFinished(), "finished right after the late answer");
        assertEquals(slow, l.closestSucceeded().get(0), "the late answer is used");
    }

    @Test
    void aDeadPeerDelaysTheEndOnlyUntilItIsGivenUp() {
        List<Contact> seeds = new ArrayList<>(peers.subList(0, 10));
        seeds.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        Contact dead = seeds.get(0);
        Lookup l = lookup(3, 3, seeds);
        long now = 0;
        long finishedAt = -1;
        while (finishedAt < 0 && now < 5_000) {
            if (now == 3 * PEER_TIMEOUT) {
                l.onFailure(dead.id()); // the RPC layer gives up after its retries
            }
            for (Contact c : l.next(now)) {
                if (!c.equals(dead)) {
                    l.onSuccess(c.id(), List.of());
                }
            }
            if (l.isFinished()) {
                finishedAt = now;
            }
            now += 50;
        }
        assertEquals(3 * PEER_TIMEOUT, finishedAt, "ended as soon as the dead peer was given up");
        assertEquals(Lookup.PeerState.FAILED, l.state(dead.id()));
        assertEquals(seeds.subList(1, 4), l.closestSucceeded());
        assertEquals(1, l.failed());
    }

    @Test
    void valueModeStopsContactingPeersAtTheFirstValue() {
        Lookup l = lookup(8, 3, peers.subList(0, 30));
        List<Contact> sent = l.next(0);
        l.onValue(sent.get(0).id());
        assertTrue(l.next(1).isEmpty(), "no new request after a value");
        assertFalse(l.isFinished(), "the two in flight may still bring a newer version");
        l.onSuccess(sent.get(1).id(), List.of());
        l.next(PEER_TIMEOUT + 1); // the third goes unresponsive: not waited for in value mode
        assertTrue(l.isFinished());
        assertTrue(l.valueFound());
        assertEquals(null, l.repairTarget(), "the peer without the value is farther out than the holder");
    }

    @Test
    void aGetRepairsOnlyAMissingCopyCloserThanAHolder() {
        Lookup l = lookup(8, 3, peers.subList(0, 30));
        List<Contact> sent = l.next(0); // the three closest, closest first
        l.onSuccess(sent.get(0).id(), List.of()); // the closest lacks the value
        l.onSuccess(sent.get(1).id(), List.of());
        l.onValue(sent.get(2).id());
        assertTrue(l.next(1).isEmpty(), "nothing more to ask after the value");
        assertTrue(l.isFinished());
        assertEquals(sent.get(0), l.repairTarget());
    }

    @Test
    void overallDeadlineEndsTheLookup() {
        Lookup l = new Lookup(target, self, 8, 3, PEER_TIMEOUT, 200, 0, 2_000, peers.subList(0, 30));
        l.next(0);
        assertFalse(l.isFinished());
        l.next(2_000);
        assertTrue(l.isFinished());
    }

    @Test
    void guidesAreQueriedButNeverResultsAndNeverHoldUpTheEnd() {
        // three guides (bootstrap nodes): one closer to the target than any peer, one that never answers
        byte[] near = target.toBytes();
        near[near.length - 1] ^= 1;
        NodeRecord local = new NodeRecord(NodeRole.LOCAL, "east", Set.of());
        Contact closeGuide = new Contact(NodeId.of(near), SimCluster.address(9001), local);
        Contact silentGuide = new Contact(NodeId.random(rng), SimCluster.address(9002), local);
        Contact farGuide = new Contact(NodeId.random(rng), SimCluster.address(9003), local);
        List<Contact> guides = List.of(closeGuide, silentGuide, farGuide);
        Lookup l = new Lookup(target, self, 8, 3, PEER_TIMEOUT, 200, 0, 10_000, guides, KademliaNode::isEntryPoint);
        Set<Contact> asked = new HashSet<>();
        long now = 0;
        int rounds = 0;
        while (!l.isFinished()) {
            for (Contact c : l.next(now)) {
                asked.add(c);
                if (c == closeGuide || c == farGuide) {
                    // a guide names peers, and the other guides as a bootstrap node would
                    List<Contact> named = new ArrayList<>(answer(c));
                    named.add(silentGuide);
                    l.onSuccess(c.id(), named);
                } else if (c != silentGuide) {
                    l.onSuccess(c.id(), answer(c));
                }
            }
            now += 10;
            assertTrue(++rounds < 1000, "terminates");
        }
        assertTrue(asked.containsAll(guides), "every guide was asked");
        assertEquals(trueClosest(8), l.closestSucceeded(), "the results are the closest peers, guides left out");
        assertTrue(now < PEER_TIMEOUT, "the silent guide did not hold up the end: " + now + " ms");
        assertTrue(l.repairTarget() != closeGuide, "a guide is no repair target either");
    }

    /** A guide that fails is no failed peer: the join's second self lookup is for silent neighbours only. */
    @Test
    void aFailedGuideIsNotCountedAsFailed() {
        byte[] near = target.toBytes();
        near[near.length - 1] ^= 1; // closer than any peer: asked first
        Contact guide = new Contact(NodeId.of(near), SimCluster.address(9004), new NodeRecord(NodeRole.LOCAL, "east", Set.of()));
        List<Contact> seeds = new ArrayList<>(List.of(guide));
        seeds.addAll(answer(guide));
        Lookup l = new Lookup(target, self, 8, 3, PEER_TIMEOUT, 200, 0, 10_000, seeds, KademliaNode::isEntryPoint);
        long now = 0;
        boolean guideAsked = false;
        while (!l.isFinished()) {
            for (Contact c : l.next(now)) {
                if (c == guide) {
                    guideAsked = true;
                    l.onFailure(c.id());
                } else {
                    l.onSuccess(c.id(), answer(c));
                }
            }
            now += 10;
            assertTrue(now < 10_000, "terminates");
        }
        assertTrue(guideAsked, "the guide was asked");
        assertEquals(0, l.failed(), "a failed guide is not a failed peer");
        assertEquals(0, l.guidesSucceeded());
        assertEquals(trueClosest(8), l.closestSucceeded());
    }

    @Test
    void selfIsNeverACandidate() {
        Lookup l = lookup(8, 3, List.of(new Contact(self, SimCluster.address(5000), NodeRecord.WORKER)));
        assertTrue(l.next(0).isEmpty());
        assertTrue(l.isFinished());
    }
}
