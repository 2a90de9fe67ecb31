package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.engine.Counters.MessageType;
import io.cqkd.dht.core.sim.SimCluster;
import io.cqkd.dht.core.wire.Message;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link KademliaNode#entryPointOnly} / {@link KademliaNode#isEntryPoint}: workers joined through
 * a small tier (2 supers, 4 locals) never hold bootstrap nodes in their tables, data operations
 * never go to bootstrap nodes, and the workers of different locals still find each other (self
 * lookups route through the tier).
 */
class EntryPointRuleTest {
    private static final int WORKERS = 120;

    /**
     * A small tier and its workers, all READY, then 10 s of quiet. {@code tierJoinFirst}: each
     * worker first meets its local with one request, as the tier's JOIN does in a container, so
     * the locals know more than k workers before the workers' Kademlia joins arrive.
     */
    private record Net(SimCluster c, List<KademliaNode> supers, List<KademliaNode> locals, List<KademliaNode> tier,
                       List<KademliaNode> workers) { }

    private static Net network(boolean tierJoinFirst) {
        SimCluster c = new SimCluster(EngineConfig.builder().build(), 7, 0.0);
        List<KademliaNode> tier = new ArrayList<>();
        KademliaNode s1 = c.add(new NodeRecord(NodeRole.SUPER, "", Set.of()));
        s1.start(List.of());
        tier.add(s1);
        KademliaNode s2 = c.add(new NodeRecord(NodeRole.SUPER, "", Set.of()));
        s2.start(List.of(s1.self().address()));
        tier.add(s2);
        c.scheduler.runFor(500);
        List<KademliaNode> locals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            KademliaNode l = c.add(new NodeRecord(NodeRole.LOCAL, "east", Set.of()));
            l.start(List.of(s1.self().address(), s2.self().address()));
            locals.add(l);
            tier.add(l);
            c.scheduler.runFor(100);
        }
        c.scheduler.runFor(2_000);
        List<KademliaNode> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(c.add(new NodeRecord(NodeRole.WORKER, "east", Set.of())));
        }
        // the workers are spread over the locals contiguously, as the tier does
        java.util.function.IntFunction<InetSocketAddress> localOf =
                i -> locals.get(i * locals.size() / WORKERS).self().address();
        // a worker joins through its local only, or (tierJoinFirst) also through the next one, as the
        // containers of the multi-host scenario do: a local that names only its own workers would
        // otherwise leave each local's workers an island
        java.util.function.IntFunction<List<InetSocketAddress>> bootstrapOf = i -> tierJoinFirst
                ? List.of(localOf.apply(i), localOf.apply((i + WORKERS / locals.size()) % WORKERS))
                : List.of(localOf.apply(i));
        if (tierJoinFirst) {
            for (int i = 0; i < WORKERS; i++) {
                KademliaNode w = workers.get(i);
                w.request(localOf.apply(i), txid -> new Message.Ping(txid, w.wirePeer()));
            }
            c.scheduler.runFor(1_000);
        }
        for (int i = 0; i < WORKERS; i++) {
            workers.get(i).start(bootstrapOf.apply(i));
            c.scheduler.runFor(20);
        }
        assertTrue(c.scheduler.runUntil(c::allReady, 120_000), "every node READY");
        c.scheduler.runFor(10_000);
        return new Net(c, List.of(s1, s2), locals, tier, workers);
    }

    @Test
    void workersKeepBootstrapNodesOutOfTheirTablesAndDataOpsAvoidThem() {
        Net net = network(false);
        SimCluster c = net.c();
        List<KademliaNode> tier = net.tier();
        List<KademliaNode> locals = net.locals();
        List<KademliaNode> workers = net.workers();
        long beforeData = inbound(tier, MessageType.FIND_NODE) + inbound(tier, MessageType.STORE)
                + inbound(tier, MessageType.FIND_VALUE);
        for (KademliaNode w : workers) {
            for (Contact x : w.table().all()) {
                assertFalse(x.record().role().isBootstrap(), "worker holds bootstrap node " + x);
            }
            assertTrue(w.routingTableSize() >= 10, "worker table " + w.routingTableSize());
        }
        // bootstrap nodes keep workers (they answer FIND_NODE with them)
        for (KademliaNode l : locals) {
            assertTrue(l.table().all().stream().anyMatch(x -> x.record().role() == NodeRole.WORKER));
        }

        // data operations: correct among workers, and no request reaches a bootstrap node
        for (int i = 0; i < 20; i++) {
            KademliaNode from = workers.get(i * 5);
            KademliaNode to = workers.get(WORKERS - 1 - i * 5);
            String key = "k-" + i;
            c.await(from.put(key, "\"v" + i + "\"", Duration.ofHours(1)), 20_000);
            Optional<DhtValue> v = c.await(to.get(key), 20_000);
            assertTrue(v.isPresent(), "get " + key);
            assertEquals("\"v" + i + "\"", v.get().json());
            NodeId target = NodeId.ofKey("lookup-" + i);
            LookupResult r = c.await(from.findNode(target), 20_000);
            NodeId best = null;
            for (KademliaNode w : workers) {
                if (w != from && (best == null || target.compareDistance(w.id(), best) < 0)) {
                    best = w.id();
                }
            }
            assertEquals(best, r.closest().get(0).id(), "lookup " + i + " finds the closest worker");
            assertTrue(r.closest().stream().noneMatch(KademliaNode::isEntryPoint));
        }
        long afterData = inbound(tier, MessageType.FIND_NODE) + inbound(tier, MessageType.STORE)
                + inbound(tier, MessageType.FIND_VALUE);
        assertEquals(beforeData, afterData, "data operations of workers sent nothing to bootstrap nodes");
    }

    /**
     * The multi-host scenario's failure: a super bootstrap hears from few workers (a local names
     * only workers to the next joiners once it knows k of them), so its data lookups had no peer to
     * start from and a get on it found nothing. It now goes through the other bootstrap nodes as
     * guides; values still land on workers only.
     */
    @Test
    void aBootstrapNodeThatKnowsFewWorkersStillPutsAndGetsThroughTheTier() {
        Net net = network(true);
        SimCluster c = net.c();
        c.await(net.workers().get(3).put("tier-first", "\"first\"", Duration.ofHours(1)), 20_000);
        // a super that joins the running network (a restart): it meets the tier, and only the
        // workers that the tier names to its own self lookup
        KademliaNode sup = c.add(new NodeRecord(NodeRole.SUPER, "", Set.of()));
        sup.start(List.of(net.supers().get(0).self().address()));
        assertTrue(c.scheduler.runUntil(c::allReady, 30_000), "the new super is READY");
        long known = sup.table().all().stream().filter(x -> !KademliaNode.isEntryPoint(x)).count();
        assertTrue(known < sup.config().k(), "the case under test: the super knows " + known + " workers");
        Optional<DhtValue> first = c.await(sup.get("tier-first"), 20_000);
        assertEquals("\"first\"", first.orElseThrow(() -> new AssertionError("get tier-first on the super")).json());
        assertTrue(sup.counters().get(Counters.Counter.LOOKUPS_GUIDED) > 0, "the tier guided its lookup");
        for (int i = 0; i < 10; i++) {
            KademliaNode worker = net.workers().get(i * 11);
            String key = "tier-" + i;
            c.await(worker.put(key, "\"w" + i + "\"", Duration.ofHours(1)), 20_000);
            Optional<DhtValue> v = c.await(sup.get(key), 20_000);
            assertTrue(v.isPresent(), "get " + key + " on the super");
            assertEquals("\"w" + i + "\"", v.get().json());
            c.await(sup.put(key + "-s", "\"s" + i + "\"", Duration.ofHours(1)), 20_000);
            Optional<DhtValue> back = c.await(worker.get(key + "-s"), 20_000);
            assertTrue(back.isPresent(), "a worker gets what the super put: " + key + "-s");
            NodeId target = NodeId.ofKey("tier-lookup-" + i);
            LookupResult r = c.await(sup.findNode(target), 20_000);
            assertTrue(r.closest().stream().noneMatch(KademliaNode::isEntryPoint), "results are workers only");
            assertEquals(trueClosest(net.workers(), target), r.closest().get(0).id(), "lookup " + i);
        }
        List<KademliaNode> tier = new ArrayList<>(net.tier());
        tier.add(sup);
        for (KademliaNode t : tier) {
            assertEquals(0, t.counters().get(Counters.Counter.STORES_ACCEPTED), "no value stored on a bootstrap node");
        }
    }

    private static NodeId trueClosest(List<KademliaNode> workers, NodeId target) {
        NodeId best = null;
        for (KademliaNode w : workers) {
            if (best == null || target.compareDistance(w.id(), best) < 0) {
                best = w.id();
            }
        }
        return best;
    }

    @Test
    void ruleIsKeyedOnRoles() {
        Contact local = new Contact(NodeId.ofKey("l"), new InetSocketAddress(7000), new NodeRecord(NodeRole.LOCAL, "east", Set.of()));
        Contact worker = new Contact(NodeId.ofKey("w"), new InetSocketAddress(7001), NodeRecord.WORKER);
        assertTrue(KademliaNode.entryPointOnly(NodeRole.WORKER, local));
        assertTrue(KademliaNode.entryPointOnly(NodeRole.SPECIAL, local));
        assertFalse(KademliaNode.entryPointOnly(NodeRole.LOCAL, local), "bootstrap nodes keep each other");
        assertFalse(KademliaNode.entryPointOnly(NodeRole.WORKER, worker), "flat networks are unchanged");
        assertTrue(KademliaNode.isEntryPoint(local));
        assertFalse(KademliaNode.isEntryPoint(worker));
    }

    private static long inbound(List<KademliaNode> nodes, MessageType t) {
        long n = 0;
        for (KademliaNode k : nodes) {
            n += k.counters().received(t);
        }
        return n;
    }
}
