package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.DhtError;
import io.cqkd.dht.api.DhtException;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.core.engine.Counters.Counter;
import io.cqkd.dht.core.sim.SimCluster;
import io.cqkd.dht.core.sim.SimScheduler;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.WireValue;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** One node against a capturing transport: RPC matching, hostile input, rate limits, life cycle. */
class KademliaNodeTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.log.io.cqkd.dht.core.engine.KademliaNode", "warn");
    }

    record Sent(InetSocketAddress to, Message message) {
    }

    final SimScheduler clock = new SimScheduler();
    final List<Sent> sent = new ArrayList<>();
    final Counters counters = new Counters();
    final SplittableRandom rng = new SplittableRandom(5);
    final InetSocketAddress me = SimCluster.address(1);
    final InetSocketAddress other = SimCluster.address(2);
    final NodeId otherId = NodeId.random(rng);
    final Peer otherPeer = new Peer(otherId.toBytes(), NodeRole.WORKER, "", List.of());

    KademliaNode node(EngineConfig config) {
        KademliaNode n = new KademliaNode(config, NodeId.random(rng), NodeRecord.WORKER, (to, m) -> sent.add(new Sent(to, m)),
                clock, rng.split(), counters);
        n.setSelfAddress(me);
        return n;
    }

    /**
     * How long a node that has had no answer yet waits for a request sent once and resent
     * {@code retries} times: each resend waits twice as long as the one before (RetransmitTimer).
     */
    static long firstRequestWaitMillis(long timeoutMillis, int retries) {
        return timeoutMillis * ((1L << (retries + 1)) - 1);
    }

    static DhtError error(CompletableFuture<?> f) {
        assertTrue(f.isCompletedExceptionally(), "failed");
        try {
            f.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return ((DhtException) e.getCause()).error();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void invalidInputFailsBeforeAnythingIsSent() {
        KademliaNode n = node(EngineConfig.defaults());
        n.start(List.of(other));
        sent.clear();
        assertEquals(DhtError.INVALID_KEY, error(n.put("", "{}", Duration.ofMinutes(1))));
        assertEquals(DhtError.INVALID_JSON, error(n.put("k", "{oops", Duration.ofMinutes(1))));
        assertEquals(DhtError.VALUE_TOO_LARGE, error(n.put("k", "\"" + "x".repeat(9000) + "\"", Duration.ofMinutes(1))));
        assertEquals(DhtError.INVALID_TTL, error(n.put("k", "{}", Duration.ofDays(8))));
        assertEquals(DhtError.INVALID_KEY, error(n.get("x".repeat(300))));
        assertEquals(DhtError.INVALID_KEY, error(n.delete("")));
        assertEquals(DhtError.INVALID_ADDRESS, error(n.ping(InetSocketAddress.createUnresolved("nowhere", 1))));
        assertTrue(sent.isEmpty());
    }

    @Test
    void firstNodeIsReadyAndAloneCannotStore() {
        KademliaNode n = node(EngineConfig.defaults());
        n.start(List.of());
        assertEquals(NodeState.READY, n.state());
        CompletableFuture<?> put = n.put("k", "{}", Duration.ofMinutes(1));
        clock.runUntil(put::isDone, 10_000);
        assertEquals(DhtError.NOT_STORED, error(put));
    }

    @Test
    void answersPingsAndLearnsTheSender() {
        KademliaNode n = node(EngineConfig.defaults());
        n.start(List.of());
        n.onMessage(other, new Message.Ping(77, otherPeer));
        Message.Pong pong = assertInstanceOf(Message.Pong.class, sent.get(0).message());
        assertEquals(77, pong.txid());
        assertEquals(other, sent.get(0).to());
        assertEquals(7000, pong.observedPort());
        assertEquals(1, n.routingTableSize());
        assertEquals(List.of(otherId), n.knownNodes(NodeRole.WORKER, "").stream().map(c -> c.id()).toList());
        assertTrue(n.knownNodes(NodeRole.SUPER, "").isEmpty());
    }

    @Test
    void responsesAreMatchedByTxidAndSender() {
        KademliaNode n = node(EngineConfig.defaults());
        n.start(List.of());
        CompletableFuture<DhtNode.PingResult> ping = n.ping(other);
        Message.Ping req = assertInstanceOf(Message.Ping.class, sent.get(0).message());

        n.onMessage(other, new Message.Pong(req.txid() + 1, otherPeer, new byte[4], 1));
        assertEquals(1, counters.get(Counter.DROPPED_UNKNOWN_TXID));
        n.onMessage(SimCluster.address(3), new Message.Pong(req.txid(), otherPeer, new byte[4], 1));
        assertEquals(1, counters.get(Counter.DROPPED_WRONG_SENDER));
        assertTrue(!ping.isDone(), "spoofed answers are ignored");

        clock.runFor(10);
        n.onMessage(other, new Message.Pong(req.txid(), otherPeer, new byte[4], 1));
        assertEquals(otherId, ping.join().responder().id());
        assertEquals(Duration.ofMillis(10), ping.join().rtt());
        n.onMessage(other, new Message.Pong(req.txid(), otherPeer, new byte[4], 1));
        assertEquals(2, counters.get(Counter.DROPPED_UNKNOWN_TXID), "a duplicate answer is unknown now");
    }

    @Test
    void unansweredRequestsAreRetriedThenTimeOut() {
        EngineConfig cfg = EngineConfig.defaults();
        KademliaNode n = node(cfg);
        n.start(List.of());
        CompletableFuture<DhtNode.PingResult> ping = n.ping(other);
        clock.runFor(firstRequestWaitMillis(cfg.rpcTimeoutMillis(), cfg.rpcRetries()) - 1);
        assertTrue(!ping.isDone());
        clock.runFor(1);
        assertEquals(DhtError.TIMEOUT, error(ping));
        assertEquals(cfg.rpcRetries() + 1, sent.size(), "first attempt plus bounded retries");
        Message.Ping first = (Message.Ping) sent.get(0).message();
        Message.Ping last = (Message.Ping) sent.get(sent.size() - 1).message();
        assertNotEquals(first.txid(), last.txid(), "each send has a transaction id of its own");
        assertEquals(first, new Message.Ping(first.txid(), last.from()), "the resend asks the same");
        assertEquals(1, counters.get(Counter.RPC_TIMEOUTS));
        n.onMessage(other, new Message.Pong(first.txid(), otherPeer, new byte[4], 1));
        assertEquals(1, counters.get(Counter.DROPPED_UNKNOWN_TXID), "an answer after the timeout is unknown");
    }

    @Test
    void anAnswerAfterAResendEndsTheRequestAndIsTimedFromTheSendItAnswers() {
        assertTrue(congestedAfterAnAnswerTo(0), "the first send answered 1200 ms after it: answers are slow");
        assertTrue(!congestedAfterAnAnswerTo(1), "the resend answered 200 ms after it: they are not");
    }

    /** A ping resent after its timeout, the send {@code answered} (0 or 1) answered 200 ms after the resend. */
    boolean congestedAfterAnAnswerTo(int answered) {
        sent.clear();
        long unknownBefore = counters.get(Counter.DROPPED_UNKNOWN_TXID);
        long timeoutsBefore = counters.get(Counter.RPC_TIMEOUTS);
        EngineConfig cfg = EngineConfig.defaults();
        KademliaNode n = node(cfg);
        n.start(List.of());
        CompletableFuture<DhtNode.PingResult> ping = n.ping(other);
        clock.runFor(cfg.rpcTimeoutMillis() + 200);
        assertEquals(2, sent.size(), "resent after the timeout");
        long first = ((Message.Ping) sent.get(0).message()).txid();
        long resend = ((Message.Ping) sent.get(1).message()).txid();
        n.onMessage(other, new Message.Pong(answered == 0 ? first : resend, otherPeer, new byte[4], 1));
        assertEquals(otherId, ping.join().responder().id(), "either answer ends the request");
        assertEquals(0, n.pendingRpcs());
        n.onMessage(other, new Message.Pong(answered == 0 ? resend : first, otherPeer, new byte[4], 1));
        assertEquals(unknownBefore + 1, counters.get(Counter.DROPPED_UNKNOWN_TXID), "the other send's answer is one too many");
        clock.runFor(10 * cfg.rpcTimeoutMillis());
        assertEquals(2, sent.size(), "nothing more is sent");
        assertEquals(timeoutsBefore, counters.get(Counter.RPC_TIMEOUTS));
        boolean congested = n.congested();
        n.stop();
        return congested;
    }

    @Test
    void malformedInputIsDroppedAndCountedNeverThrown() {
        KademliaNode n = node(EngineConfig.defaults());
        n.start(List.of());
        Peer shortId = new Peer(new byte[19], NodeRole.WORKER, "", List.of());
        Peer longRegion = new Peer(otherId.toBytes(), NodeRole.WORKER, "r".repeat(33), List.of());
        Peer tooManyCaps = new Peer(otherId.toBytes(), NodeRole.WORKER, "", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"));
        Peer nullRole = new Peer(otherId.toBytes(), null, "", List.of());
        n.onMessage(other, new Message.Ping(1, shortId));
        n.onMessage(other, new Message.Ping(2, longRegion));
        n.onMessage(other, new Message.Ping(3, tooManyCaps));
        n.onMessage(other, new Message.Ping(4, nullRole));
        n.onMessage(other, new Message.Ping(5, null));
        n.onMessage(other, new Message.FindNode(6, otherPeer, new byte[3]));
        n.onMessage(other, new Message.FindValue(7, otherPeer, null));
        byte[] keyId = NodeId.ofKey("k").toBytes();
        long ttl = 60_000;
        n.onMessage(other, new Message.Store(8, otherPeer, keyId, new WireValue("other-key", "{}", 1, ttl, otherId.toBytes(), false)));
        n.onMessage(other, new Message.Store(9, otherPeer, keyId, new WireValue("k", "{bad", 1, ttl, otherId.toBytes(), false)));
        n.onMessage(other, new Message.Store(10, otherPeer, keyId, new WireValue("k", "{}", 1, -5, otherId.toBytes(), false)));
        n.onMessage(other, new Message.Store(11, otherPeer, keyId, new WireValue("k", "{}", 1, ttl, new byte[2], false)));
        n.onMessage(other, new Message.Store(12, otherPeer, keyId, new WireValue("k", "x", 1, ttl, otherId.toBytes(), true)));
        n.onMessage(other, new Message.Store(13, otherPeer, keyId, null));
        n.onMessage(other, null);
        n.onMessage(other, new Message.Ping(14, new Peer(n.id().toBytes(), NodeRole.WORKER, "", List.of())));
        assertEquals(15, counters.get(Counter.DROPPED_MALFORMED));
        assertTrue(sent.isEmpty(), "nothing answered");
        assertEquals(0, n.routingTableSize(), "nothing learned");
        assertEquals(0, n.storedValueCount());

        n.onMessage(other, new Message.Store(20, otherPeer, keyId, new WireValue("k", "{\"ok\":1}", 1, ttl, otherId.toBytes(), false)));
        Message.StoreAck ack = assertInstanceOf(Message.StoreAck.class, sent.get(0).message());
        assertTrue(ack.stored());
        assertEquals(1, n.storedValueCount());
        n.onMessage(other, new Message.FindValue(21, otherPeer, keyId));
        Message.ValueFound vf = assertInstanceOf(Message.ValueFound.class, sent.get(1).message());
        assertEquals("{\"ok\":1}", vf.value().json());
    }

    @Test
    void requestsAreRateLimitedPerSourceAddressAndPort() {
        EngineConfig cfg = EngineConfig.builder().requestRatePerSecond(10).requestBurst(20).errorReplyRatePerSecond(1).build();
        KademliaNode n = node(cfg);
        n.start(List.of());
        for (int i = 0; i < 100; i++) {
            n.onMessage(other, new Message.Ping(i, otherPeer));
        }
        assertEquals(80, counters.get(Counter.DROPPED_RATE_LIMITED));
        long pongs = sent.stream().filter(s -> s.message() instanceof Message.Pong).count();
        long errors = sent.stream().filter(s -> s.message() instanceof Message.ErrorReply).count();
        assertEquals(20, pongs);
        assertEquals(1, errors, "error replies are rate limited too");
        InetSocketAddress sameHostOtherPort = new InetSocketAddress(other.getAddress(), 7001);
        Peer neighbour = new Peer(NodeId.random(rng).toBytes(), NodeRole.WORKER, "", List.of());
        n.onMessage(sameHostOtherPort, new Message.Ping(1000, neighbour));
        assertInstanceOf(Message.Pong.class, sent.get(sent.size() - 1).message(), "a co-located node is not starved");
    }

    @Test
    void silentBootstrapIsRetriedWithBackoffThenJoins() {
        EngineConfig cfg = EngineConfig.builder().k(4).alpha(2).build();
        KademliaNode n = node(cfg);
        n.start(List.of(other));
        assertEquals(NodeState.JOINING, n.state());
        clock.runFor(20_000);
        long asks = sent.stream().filter(s -> s.message() instanceof Message.FindNode f
                && NodeId.of(f.target()).equals(n.id()) && s.to().equals(other)).count();
        // attempts at 0, 2+1, 5+2, 9+4 s (each attempt is 2 tries of 1 s) -> 4 attempts = 8 requests by 20 s
        assertTrue(asks >= 6 && asks <= 10, "bounded backoff, requests=" + asks);
        assertEquals(sent.size(), asks, "nothing but the join's request to the bootstrap node");
        assertEquals(NodeState.JOINING, n.state());

        // The bootstrap node comes up and answers the next request; the node joins.
        sent.clear();
        assertTrue(clock.runUntil(() -> !sent.isEmpty(), 60_000));
        Message.FindNode fn = (Message.FindNode) sent.get(0).message();
        assertEquals(n.id(), NodeId.of(fn.target()), "the join asks for its own neighbourhood");
        // From now on the bootstrap node answers every request (it knows nobody else).
        int answered = 0;
        sent.remove(0);
        n.onMessage(other, new Message.Nodes(fn.txid(), otherPeer, List.of()));
        for (int step = 0; step < 100; step++) {
            for (int i = answered; i < sent.size(); i++) {
                Message m = sent.get(i).message();
                if (m instanceof Message.FindNode f) {
                    n.onMessage(other, new Message.Nodes(f.txid(), otherPeer, List.of()));
                } else if (m instanceof Message.Ping ping) {
                    n.onMessage(other, new Message.Pong(ping.txid(), otherPeer, new byte[4], 1));
                }
                answered = i + 1;
            }
            clock.runFor(50);
        }
        assertEquals(NodeState.READY, n.state(), "a network smaller than k/2 is joined once the join lookups end");
    }

    @Test
    void stopFailsPendingOperations() {
        KademliaNode n = node(EngineConfig.defaults());
        n.start(List.of());
        n.onMessage(other, new Message.Ping(1, otherPeer));
        CompletableFuture<?> lookup = n.findNode(NodeId.random(rng));
        CompletableFuture<?> ping = n.ping(other);
        n.stop();
        assertEquals(NodeState.STOPPED, n.state());
        assertEquals(DhtError.STOPPED, error(lookup));
        assertEquals(DhtError.STOPPED, error(ping));
        assertEquals(DhtError.STOPPED, error(n.get("k")));
        int before = sent.size();
        clock.runFor(60_000);
        n.onMessage(other, new Message.Ping(2, otherPeer));
        assertEquals(before, sent.size(), "silent after stop: no timers, no answers");
    }

    @Test
    void snapshotsAreSafeFromAnotherThread() throws Exception {
        KademliaNode n = node(EngineConfig.defaults());
        n.start(List.of());
        n.onMessage(other, new Message.Ping(1, otherPeer));
        // The simulator has no other thread to run tasks on: the volatile snapshots must still answer.
        Thread t = new Thread(() -> {
            assertEquals(1, n.routingTableSize());
            assertEquals(NodeState.READY, n.state());
            assertEquals(me, n.self().address());
        });
        t.start();
        t.join();
    }

    Peer peer(NodeId id) {
        return new Peer(id.toBytes(), NodeRole.WORKER, "", List.of());
    }

    List<Message.Ping> pingsTo(InetSocketAddress to) {
        return sent.stream().filter(s -> s.to().equals(to) && s.message() instanceof Message.Ping)
                .map(s -> (Message.Ping) s.message()).toList();
    }

    @Test
    void manyIdsFromOneEndpointHoldOneRoutingSlotAndOneNodesEntry() {
        EngineConfig cfg = EngineConfig.defaults();
        KademliaNode n = node(cfg);
        n.start(List.of());
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(NodeId.random(rng));
            n.onMessage(other, new Message.Ping(i, peer(ids.get(i))));
        }
        assertEquals(1, n.routingTableSize(), "one endpoint, one contact");
        assertEquals(1, pingsTo(other).size(), "one ping of the holder for the whole flood");
        assertEquals(98, counters.get(Counter.ENDPOINT_CLAIMS_REFUSED));

        // The fake holder never answers: after the eviction ping times out the latest claimant gets the slot.
        clock.runFor(firstRequestWaitMillis(cfg.pingEvictTimeoutMillis(), cfg.rpcRetries()) + 1);
        assertEquals(1, n.routingTableSize());
        assertEquals(List.of(ids.get(99)), n.knownNodes(null, "").stream().map(c -> c.id()).toList());

        // A Nodes reply carries it once, next to genuine nodes at their own endpoints.
        n.onMessage(SimCluster.address(3), new Message.Ping(500, peer(NodeId.random(rng))));
        n.onMessage(SimCluster.address(4), new Message.FindNode(501, peer(NodeId.random(rng)), NodeId.random(rng).toBytes()));
        Message.Nodes nodes = (Message.Nodes) sent.get(sent.size() - 1).message();
        assertEquals(2, nodes.nodes().size());
    }

    @Test
    void aRestartedNodeWithANewIdTakesOverItsEndpoint() {
        KademliaNode n = node(EngineConfig.defaults());
        n.start(List.of());
        n.onMessage(other, new Message.Ping(1, otherPeer));
        NodeId restarted = NodeId.random(rng);
        n.onMessage(other, new Message.Ping(2, peer(restarted)));
        Message.Ping check = pingsTo(other).get(0);
        // the endpoint now answers with the new id: the old id is gone, the new one takes its place
        n.onMessage(other, new Message.Pong(check.txid(), peer(restarted), new byte[4], 1));
        assertEquals(List.of(restarted), n.knownNodes(null, "").stream().map(c -> c.id()).toList());
        assertEquals(0, counters.get(Counter.ENDPOINT_CLAIMS_REFUSED));
    }

    @Test
    void aHolderThatStillAnswersKeepsItsEndpoint() {
        KademliaNode n = node(EngineConfig.defaults());
        n.start(List.of());
        n.onMessage(other, new Message.Ping(1, otherPeer));
        n.onMessage(other, new Message.Ping(2, peer(NodeId.random(rng))));
        Message.Ping check = pingsTo(other).get(0);
        n.onMessage(other, new Message.Pong(check.txid(), otherPeer, new byte[4], 1));
        assertEquals(List.of(otherId), n.knownNodes(null, "").stream().map(c -> c.id()).toList());
        assertEquals(1, counters.get(Counter.ENDPOINT_CLAIMS_REFUSED));
        assertEquals(0, n.table().challenges());
    }

    @Test
    void aNodesReplyListingManyIdsAtOneEndpointCostsTheLookupOneQuery() {
        EngineConfig cfg = EngineConfig.defaults();
        KademliaNode n = node(cfg);
        n.start(List.of());
        n.onMessage(other, new Message.Ping(1, otherPeer));
        sent.clear();
        CompletableFuture<?> lookup = n.findNode(NodeId.random(rng));
        Message.FindNode first = (Message.FindNode) sent.get(0).message();
        InetSocketAddress sybil = SimCluster.address(66);
        List<io.cqkd.dht.core.wire.WireContact> fakes = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            fakes.add(WireMapper.toWire(new io.cqkd.dht.api.Contact(NodeId.random(rng), sybil, NodeRecord.WORKER)));
        }
        n.onMessage(other, new Message.Nodes(first.txid(), otherPeer, fakes));
        clock.runUntil(lookup::isDone, 60_000);
        assertTrue(lookup.isDone());
        // the sybil never answers: one query, sent once and resent lookupRetries times
        long sendsToSybil = sent.stream().filter(s -> s.to().equals(sybil) && s.message() instanceof Message.FindNode).count();
        assertEquals(1 + cfg.lookupRetries(), sendsToSybil);
    }

    @Test
    void aPingThroughItsOwnSocketIsAnsweredAndNothingIsLearned() {
        KademliaNode n = node(EngineConfig.defaults());
        n.start(List.of());
        CompletableFuture<DhtNode.PingResult> ping = n.ping(me);
        Message.Ping req = assertInstanceOf(Message.Ping.class, sent.get(0).message());
        assertEquals(me, sent.get(0).to());
        n.onMessage(me, req); // the datagram comes back through the socket
        Message.Pong pong = assertInstanceOf(Message.Pong.class, sent.get(1).message());
        assertEquals(me, sent.get(1).to());
        n.onMessage(me, pong);
        assertEquals(n.id(), ping.join().responder().id());
        assertEquals(0, n.routingTableSize(), "never learns itself");
        assertEquals(0, counters.get(Counter.DROPPED_MALFORMED));

        // our id from anywhere else is still dropped: another port on our IP, another host
        Peer mine = new Peer(n.id().toBytes(), NodeRole.WORKER, "", List.of());
        n.onMessage(new InetSocketAddress(me.getAddress(), me.getPort() + 1), new Message.Ping(5, mine));
        n.onMessage(other, new Message.Ping(6, mine));
        assertEquals(2, counters.get(Counter.DROPPED_MALFORMED));
        assertEquals(2, sent.size(), "nothing answered");
    }

    @Test
    void aJoinAsksTwoBootstrapAddressesAtOnceAndTheNextOnlyWhenOneFails() {
        KademliaNode n = node(EngineConfig.builder().k(4).alpha(2).build());
        List<InetSocketAddress> boot = List.of(SimCluster.address(20), SimCluster.address(21), SimCluster.address(22),
                SimCluster.address(23));
        n.start(boot);
        assertEquals(List.of(boot.get(0), boot.get(1)), sent.stream().map(Sent::to).toList(),
                "the first wave: two addresses, not all four");
        // nothing answers: every request times out; each failure asks the next address
        clock.runFor(10_000);
        List<InetSocketAddress> firstTries = sent.stream().map(Sent::to).distinct().toList();
        assertEquals(boot, firstTries, "the fallbacks are asked in order once the first ones failed");
        long toThird = sent.stream().filter(x -> x.to().equals(boot.get(2))).count();
        assertTrue(toThird > 0, "a fallback is asked");

        // a join whose first address answers asks no fallback
        n.stop();
        sent.clear();
        KademliaNode m = node(EngineConfig.builder().k(4).alpha(2).build());
        m.start(boot);
        Message.FindNode f = (Message.FindNode) sent.get(0).message();
        m.onMessage(boot.get(0), new Message.Nodes(f.txid(), otherPeer, List.of()));
        clock.runFor(5_000);
        assertTrue(sent.stream().noneMatch(x -> x.to().equals(boot.get(2)) || x.to().equals(boot.get(3))),
                "an answer in the first wave: the fallbacks are never asked");
    }

    @Test
    void rememberedContactsAreAskedFirstAndOneAnswerIsEnoughToJoin() {
        KademliaNode n = node(EngineConfig.builder().k(4).alpha(2).build());
        InetSocketAddress oldPeer = SimCluster.address(9);
        NodeId oldId = NodeId.random(rng);
        n.seed(List.of(new io.cqkd.dht.api.Contact(oldId, oldPeer, NodeRecord.WORKER),
                new io.cqkd.dht.api.Contact(n.id(), SimCluster.address(10), NodeRecord.WORKER)));
        n.start(List.of(other));
        assertEquals(NodeState.JOINING, n.state());
        assertEquals(List.of(oldPeer, other), sent.stream().map(Sent::to).toList(), "the remembered peer first; never itself");
        Message.FindNode f = (Message.FindNode) sent.get(0).message();
        assertEquals(n.id(), NodeId.of(f.target()), "asked for our own neighbourhood");
        NodeId near = NodeId.random(rng);
        InetSocketAddress nearAt = SimCluster.address(11);
        n.onMessage(oldPeer, new Message.Nodes(f.txid(), peer(oldId), List.of(new io.cqkd.dht.core.wire.WireContact(
                near.toBytes(), nearAt.getAddress().getAddress(), nearAt.getPort(), NodeRole.WORKER, "", List.of()))));
        assertEquals(1, n.routingTableSize(), "back in the table at once");
        Sent next = sent.get(2);
        assertEquals(nearAt, next.to(), "the self lookup continues from its answer, the bootstrap node is not waited for");
        assertEquals(n.id(), NodeId.of(((Message.FindNode) next.message()).target()));
        assertEquals(3, sent.size(), "the peer that answered is not asked again");
    }

    @Test
    void aFirstNodeWithRememberedContactsIsReadyAtOnceAndPingsThemInTheBackground() {
        KademliaNode n = node(EngineConfig.defaults());
        InetSocketAddress oldPeer = SimCluster.address(9);
        NodeId oldId = NodeId.random(rng);
        n.seed(List.of(new io.cqkd.dht.api.Contact(oldId, oldPeer, NodeRecord.WORKER)));
        n.start(List.of());
        assertEquals(NodeState.READY, n.state(), "a dead neighbour never holds up the first node of a network");
        Message.Ping p = assertInstanceOf(Message.Ping.class, sent.get(0).message());
        assertEquals(oldPeer, sent.get(0).to());
        n.onMessage(oldPeer, new Message.Pong(p.txid(), peer(oldId), new byte[4], 1));
        assertEquals(List.of(oldId), n.knownNodes(null, "").stream().map(c -> c.id()).toList());
    }
}
