package io.cqkd.dht.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.DhtError;
import io.cqkd.dht.api.DhtException;
import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.StoreResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Several nodes in one container, talking real UDP over loopback through the {@link DhtNode}
 * service API: a value put through one node is read through every other one; newer values win;
 * deletes hide values everywhere; lookups find the true closest nodes; bad input is refused
 * with typed errors before anything is sent.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PutGetAcrossNodesIT extends CqkdTestSupport {

    private static final int WORKERS = 7; // + the seed = 8 nodes
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    public void valuePutThroughOneNodeIsReadThroughEveryOther() throws Exception {
        Map<String, DhtNode> net = createNetwork("pg-seed", "pg-w", WORKERS);
        List<DhtNode> nodes = new ArrayList<>(net.values());
        DhtNode publisher = net.get("pg-w3");
        String key = "itest:worker:42";
        String json = "{\"worker\":42,\"region\":\"eu\",\"caps\":[\"qkd\",\"alice\"],\"load\":0.25}";

        StoreResult stored = await(publisher.put(key, json, Duration.ofMinutes(10)));
        assertEquals(key, stored.key());
        assertEquals(NodeId.ofKey(key), stored.keyId());
        assertTrue("replicated on more than one node: " + stored, stored.replicas() >= 2);
        assertTrue("targets >= replicas: " + stored, stored.targets() >= stored.replicas());

        for (DhtNode reader : nodes) {
            Optional<DhtValue> got = await(reader.get(key));
            assertTrue("no value through " + reader.name(), got.isPresent());
            DhtValue v = got.get();
            assertEquals("value through " + reader.name(), JSON.readTree(json), JSON.readTree(v.json()));
            assertEquals(key, v.key());
            assertEquals(publisher.id(), v.publisher());
            assertTrue("expiry in the future: " + v.expiresAt(), v.expiresAt().isAfter(Instant.now()));
            assertTrue("expiry within the TTL: " + v.expiresAt(),
                    v.expiresAt().isBefore(Instant.now().plus(Duration.ofMinutes(11))));
        }
        int holders = 0;
        for (DhtNode n : nodes) {
            holders += n.status().storedValues() > 0 ? 1 : 0;
        }
        assertTrue("the value is held by at least 2 nodes, found " + holders, holders >= 2);

        Optional<DhtValue> missing = await(net.get("pg-w1").get("itest:never-stored"));
        assertFalse("a key never stored has no value", missing.isPresent());
    }

    @Test
    public void newerValueWinsAndDeleteHidesItEverywhere() throws Exception {
        Map<String, DhtNode> net = createNetwork("nv-seed", "nv-w", 4);
        String key = "itest:versioned";
        StoreResult first = await(net.get("nv-w1").put(key, "{\"v\":1}"));
        assertTrue(first.replicas() >= 1);
        DhtValue v1 = await(net.get("nv-w4").get(key)).orElseThrow();
        assertEquals(JSON.readTree("{\"v\":1}"), JSON.readTree(v1.json()));

        // A later put through another node replaces it (publisher versions are timestamps).
        awaitCondition("a new millisecond after version " + v1.version(), () -> System.currentTimeMillis() > v1.version());
        await(net.get("nv-w2").put(key, "{\"v\":2}"));
        for (DhtNode reader : net.values()) {
            DhtValue v = await(reader.get(key)).orElseThrow(() -> new AssertionError("no value via " + reader.name()));
            assertEquals("newest value via " + reader.name(), JSON.readTree("{\"v\":2}"), JSON.readTree(v.json()));
            assertTrue(v.version() > v1.version());
            assertEquals(net.get("nv-w2").id(), v.publisher());
        }

        StoreResult deleted = await(net.get("nv-w3").delete(key));
        assertEquals(key, deleted.key());
        assertTrue("tombstone stored: " + deleted, deleted.replicas() >= 1);
        for (DhtNode reader : net.values()) {
            assertFalse("deleted value still visible via " + reader.name(), await(reader.get(key)).isPresent());
        }
    }

    @Test
    public void lookupFindsTheTrulyClosestNodesInXorOrder() throws Exception {
        Map<String, DhtNode> net = createNetwork("lk-seed", "lk-w", WORKERS);
        List<NodeId> all = net.values().stream().map(DhtNode::id).toList();
        for (String key : List.of("alpha", "beta", "region:eu:worker:7", "gamma")) {
            NodeId target = NodeId.ofKey(key);
            DhtNode asker = net.get("lk-w1");
            LookupResult r = await(asker.lookup(key));
            assertEquals(target, r.target());
            assertFalse("lookup of " + key + " found nobody", r.closest().isEmpty());
            List<NodeId> found = r.closest().stream().map(Contact::id).toList();
            for (int i = 1; i < found.size(); i++) {
                assertTrue("closest list not in XOR order at " + i + " for " + key,
                        target.compareDistance(found.get(i - 1), found.get(i)) <= 0);
            }
            // Global knowledge: the closest of our workers (the asker itself may be left out). The seed
            // is a super: an entry point that workers' lookups never use as a peer (docs/tier.md).
            NodeId seedId = net.get("lk-seed").id();
            NodeId expected = all.stream()
                    .filter(id -> !id.equals(seedId))
                    .filter(id -> found.contains(asker.id()) || !id.equals(asker.id()))
                    .min((a, b) -> target.compareDistance(a, b)).orElseThrow();
            assertEquals("closest node for " + key, expected, found.get(0));
            assertTrue("every result is one of our nodes", all.containsAll(found));
            assertFalse("a worker's lookup never returns the super", found.contains(seedId));
        }
    }

    @Test
    public void badInputIsRefusedWithTypedErrors() throws Exception {
        Map<String, DhtNode> net = createNetwork("bad-seed", "bad-w", 2);
        DhtNode n = net.get("bad-w1");
        String tooLarge = "{\"pad\":\"" + "x".repeat(DhtLimits.MAX_VALUE_BYTES) + "\"}";
        assertError(DhtError.VALUE_TOO_LARGE, () -> await(n.put("big", tooLarge)));
        assertError(DhtError.INVALID_JSON, () -> await(n.put("k", "{not json")));
        assertError(DhtError.INVALID_KEY, () -> await(n.put("", "{}")));
        assertError(DhtError.INVALID_KEY, () -> await(n.get("k".repeat(DhtLimits.MAX_KEY_BYTES + 1))));
        assertError(DhtError.INVALID_TTL, () -> await(n.put("k", "{}", DhtLimits.MAX_TTL.plusDays(1))));
        // The node still works afterwards.
        await(n.put("after-bad-input", "{\"ok\":true}"));
        assertEquals(JSON.readTree("{\"ok\":true}"),
                JSON.readTree(await(net.get("bad-w2").get("after-bad-input")).orElseThrow().json()));
    }

    private static void assertError(DhtError expected, Callable<?> call) throws Exception {
        try {
            call.call();
            fail("expected " + expected);
        } catch (DhtException e) {
            assertEquals(e.getMessage(), expected, e.error());
            assertFalse("error message is one line: " + e.getMessage(), e.getMessage().contains("\n"));
        }
    }
}
