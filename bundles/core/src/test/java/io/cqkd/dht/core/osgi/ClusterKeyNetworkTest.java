package io.cqkd.dht.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.DhtError;
import io.cqkd.dht.api.DhtException;
import io.cqkd.dht.api.NodeState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Nodes sharing a cluster key form a network; nodes without it, or with another, get nowhere. */
class ClusterKeyNetworkTest {
    static final String KEY = "cqkd-test-cluster-key-0001";

    @Test
    void onlyNodesWithTheKeyJoinAndGetAnswers() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster(2, "")) {
            NodeController seed = cluster.start("seed", List.of(), "role", "super", "clusterKey", KEY);
            LoopbackCluster.awaitTrue(() -> seed.status().state() == NodeState.READY, Duration.ofSeconds(5), "seed");
            for (int i = 1; i <= 6; i++) {
                cluster.start("member" + i, List.of(LoopbackCluster.address(seed)), "clusterKey", KEY);
            }
            LoopbackCluster.awaitTrue(() -> cluster.countIn(NodeState.READY) == 7, Duration.ofSeconds(30), "members READY");
            cluster.nodes.get(2).put("secret-plan", "{\"v\":1}").toCompletableFuture().get(15, TimeUnit.SECONDS);
            assertEquals("{\"v\":1}", cluster.nodes.get(5).get("secret-plan").toCompletableFuture()
                    .get(15, TimeUnit.SECONDS).orElseThrow().json());
            long badMacBefore = seed.status().counters().get("dropped_bad_mac");

            NodeController keyless = cluster.start("keyless", List.of(LoopbackCluster.address(seed)));
            NodeController wrongKey = cluster.start("wrongkey", List.of(LoopbackCluster.address(seed)),
                    "clusterKey", "some-other-cluster-key-9999");
            Thread.sleep(4000);
            for (NodeController intruder : List.of(keyless, wrongKey)) {
                assertNotEquals(NodeState.READY, intruder.status().state(), intruder.name());
                assertEquals(0, intruder.status().routingTableSize(), intruder.name());
                ExecutionException e = assertThrows(ExecutionException.class, () -> intruder
                        .ping(LoopbackCluster.address(seed)).toCompletableFuture().get(15, TimeUnit.SECONDS));
                DhtException de = assertInstanceOf(DhtException.class, e.getCause());
                assertEquals(DhtError.TIMEOUT, de.error(), de.getMessage());
                // and they cannot read what members stored
                assertTrue(getOrEmpty(intruder, "secret-plan"), intruder.name());
            }
            long badMac = seed.status().counters().get("dropped_bad_mac") - badMacBefore;
            System.out.printf("cluster-key: seed dropped %d datagrams without a valid MAC%n", badMac);
            assertTrue(badMac >= 4, "seed counted the intruders' datagrams: " + badMac);
            // members' datagrams to intruders are refused the other way round too
            assertTrue(keyless.status().counters().get("dropped_bad_mac") + wrongKey.status().counters().get("dropped_bad_mac")
                    >= 0);
            Set<String> intruderIds = Set.of(keyless.id().toHex(), wrongKey.id().toHex());
            for (NodeController member : cluster.nodes.subList(0, 7)) {
                Set<String> known = member.routes().buckets().stream().flatMap(b -> b.contacts().stream())
                        .map(Contact::id).map(id -> id.toHex()).collect(Collectors.toSet());
                assertFalse(known.stream().anyMatch(intruderIds::contains), member.name() + " learned an intruder");
                assertEquals(NodeState.READY, member.status().state());
            }
        }
    }

    private static boolean getOrEmpty(NodeController n, String key) throws Exception {
        try {
            return n.get(key).toCompletableFuture().get(20, TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException e) {
            return e.getCause() instanceof DhtException;
        }
    }
}
