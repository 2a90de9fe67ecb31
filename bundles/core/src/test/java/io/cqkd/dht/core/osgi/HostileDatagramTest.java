package io.cqkd.dht.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.core.engine.Counters;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.codec.Fuzz;
import io.cqkd.dht.core.wire.codec.MessageCodec;
import io.cqkd.dht.core.wire.codec.Samples;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** 100,000 random, mutated, truncated and oversized datagrams at a live node; it keeps answering. */
class HostileDatagramTest {
    static final int DATAGRAMS = 100_000;
    /** LoopbackCluster's lookupTimeoutMillis. */
    static final long LOOKUP_TIMEOUT_MILLIS = 15_000;

    @Test
    void liveNodeSurvivesAHundredThousandHostileDatagrams() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster(2, "")) {
            NodeController seed = cluster.start("seed", List.of(), "role", "super");
            LoopbackCluster.awaitTrue(() -> seed.status().state() == NodeState.READY, Duration.ofSeconds(5), "seed");
            for (int i = 1; i < 8; i++) {
                // the target gets a large socket buffer so the kernel delivers the flood to the node
                // instead of dropping most of it (the oversized datagrams alone are 12-16 KB each)
                cluster.start("n" + i, List.of(LoopbackCluster.address(seed)), "receiveBufferBytes", i == 3 ? 4 << 20 : 0);
            }
            LoopbackCluster.awaitTrue(() -> cluster.countIn(NodeState.READY) == 8, Duration.ofSeconds(30), "8 READY");
            NodeController target = cluster.nodes.get(3);
            NodeController other = cluster.nodes.get(5);
            InetSocketAddress to = LoopbackCluster.address(target);

            Random r = new Random(2024);
            MessageCodec codec = MessageCodec.plain();
            List<byte[]> valid = new ArrayList<>();
            for (long seedValue = 0; seedValue < 4; seedValue++) {
                for (Message m : Samples.all(seedValue)) {
                    valid.add(codec.encode(m, System.currentTimeMillis()));
                }
            }
            int tableBefore = target.status().routingTableSize();
            long inBefore = target.counters().get(Counters.Counter.DATAGRAMS_IN);
            long t0 = System.nanoTime();
            try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                raw.setSendBufferSize(1 << 20);
                for (int i = 0; i < DATAGRAMS; i++) {
                    byte[] d = Fuzz.next(r, valid);
                    raw.send(new DatagramPacket(d, d.length, to));
                    if (i % 500 == 499) {
                        // closed-loop pacing: keep at most ~2000 datagrams in the socket so the node,
                        // not the kernel's full receive buffer, sees (almost) every one
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        while (i + 1 - (target.counters().get(Counters.Counter.DATAGRAMS_IN) - inBefore) > 2000
                                && System.nanoTime() < deadline) {
                            Thread.sleep(1);
                        }
                    }
                }
            }
            long sendMs = (System.nanoTime() - t0) / 1_000_000L;
            long[] last = {-1};
            LoopbackCluster.awaitTrue(() -> {
                long now = target.status().counters().get("datagrams_in");
                boolean stable = now == last[0];
                last[0] = now;
                return stable;
            }, Duration.ofSeconds(20), "the node to drain its socket");
            Map<String, Long> c = target.status().counters();
            System.out.printf("hostile: %d datagrams sent in %d ms; node counted in=%d malformed=%d oversized=%d "
                            + "rate_limited=%d unknown_txid=%d requests_in=%d transport_errors=%d%n",
                    DATAGRAMS, sendMs, c.get("datagrams_in"), c.get("dropped_malformed"), c.get("dropped_oversized"),
                    c.get("dropped_rate_limited"), c.get("dropped_unknown_txid"), c.get("requests_in"),
                    c.get("transport_errors"));
            assertTrue(c.get("datagrams_in") - inBefore >= DATAGRAMS * 9 / 10, "most datagrams reached the node: " + c.get("datagrams_in"));
            assertTrue(c.get("dropped_malformed") > DATAGRAMS / 10, c.toString());
            assertTrue(c.get("dropped_oversized") > 0, c.toString());
            assertEquals(0L, c.get("transport_errors"), "no exception escaped decode or the engine");
            assertEquals(NodeState.READY, target.status().state());

            int tableAfter = target.status().routingTableSize();
            System.out.printf("hostile: target routing table %d contacts before, %d after; %d ids refused at the "
                    + "flooding endpoint%n", tableBefore, tableAfter, c.get("endpoint_claims_refused"));
            // Every fuzzed request that decodes carries a made-up sender id, all from one socket: the
            // table keeps one id per ip:port, so the flood holds at most one slot (it used to plant ~100
            // fake contacts that spread through Nodes replies and ran every lookup into its 15 s deadline).
            assertTrue(tableAfter <= tableBefore + 1, "one endpoint, at most one contact: " + tableBefore + " -> " + tableAfter);
            assertTrue(c.get("endpoint_claims_refused") > 100, c.toString());
            // still answers
            DhtNode.PingResult pong = other.ping(to).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(target.id(), pong.responder().id());
            LookupResult toTarget = other.findNode(target.id()).toCompletableFuture().get(20, TimeUnit.SECONDS);
            System.out.printf("hostile: lookup of the target from another node: queried %d, failed %d, %d ms%n",
                    toTarget.queried(), toTarget.failed(), toTarget.millis());
            assertEquals(target.id(), toTarget.closest().get(0).id());
            assertTrue(toTarget.failed() <= 1, "at most the one planted contact is dead: " + toTarget);
            assertTrue(toTarget.millis() < LOOKUP_TIMEOUT_MILLIS, "finished, not cut off by the deadline: " + toTarget);
            // its own lookups complete too; they wait out the one planted contact at most (one peer
            // timeout with its retries), never the lookup deadline
            LookupResult fromTarget = target.lookup("after-the-storm").toCompletableFuture().get(20, TimeUnit.SECONDS);
            System.out.printf("hostile: lookup from the target after the storm: %d closest, queried %d, failed %d, %d ms%n",
                    fromTarget.closest().size(), fromTarget.queried(), fromTarget.failed(), fromTarget.millis());
            // the seed is a super: no data-lookup peer (KademliaNode.isEntryPoint), so 6 other workers at most
            assertTrue(fromTarget.closest().size() >= 6, fromTarget.toString());
            assertTrue(fromTarget.failed() <= 1, fromTarget.toString());
            assertTrue(fromTarget.millis() < LOOKUP_TIMEOUT_MILLIS, "finished, not cut off by the deadline: " + fromTarget);
            other.put("storm", "{\"ok\":true}").toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals("{\"ok\":true}", target.get("storm").toCompletableFuture().get(20, TimeUnit.SECONDS)
                    .orElseThrow().json());
        }
    }
}
