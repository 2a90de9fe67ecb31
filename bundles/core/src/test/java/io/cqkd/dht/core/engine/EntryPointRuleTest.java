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

    @Test
    void workersKeepBootstrapNodesOutOfTheirTablesAndDataOpsAvoidThem() {
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
            KademliaNode w = c.add(new NodeRecord(NodeRole.WORKER, "east", Set.of()));
            // each worker is given its local only, contiguously, as the tier does
            w.start(List.of(locals.get(i * locals.size() / WORKERS).self().address()));
            workers.add(w);
            c.scheduler.runFor(20);
        }
        assertTrue(c.scheduler.runUntil(c::allReady, 120_000), "every node READY");
        c.scheduler.runFor(10_000);

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
