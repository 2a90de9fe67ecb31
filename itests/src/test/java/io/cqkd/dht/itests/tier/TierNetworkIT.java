package io.cqkd.dht.itests.tier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.tier.HealthSummary;
import io.cqkd.dht.itests.CqkdTestSupport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;

/**
 * A small embedded tier (PID io.cqkd.dht.embedded: 1 super, 2 regionals in east and west, 2
 * locals, 4 workers) on a bootstrap port block found free at runtime and ephemeral worker ports:
 * it forms; tier:health, tier:nodes, tier:workers and tier:selection answer (JSON parsed); the
 * selection strategy is swapped at runtime (selector.target of the tier service and of a node,
 * then a stopped strategy bundle) while every node keeps its service and port; a smaller worker
 * count removes nodes; deleting the configuration removes them all.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TierNetworkIT extends CqkdTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMBEDDED_PID = "io.cqkd.dht.embedded";
    private static final String TIER_PID = "io.cqkd.dht.tier";
    private static final String PORTS_PID = "io.cqkd.dht.ports";
    /** The bootstrap block: supers base.., regionals base+4.., locals base+20.. */
    private static final int BLOCK = 22;
    private static final List<String> NODES = List.of("sb-primary", "rb-east-1", "rb-west-1", "lb-001", "lb-002",
            "worker-1", "worker-2", "worker-3", "worker-4");

    @After
    public void removeNetwork() throws IOException {
        for (String pid : List.of(EMBEDDED_PID, TIER_PID, PORTS_PID)) {
            Configuration c = configAdmin().getConfiguration(pid, "?");
            if (c.getProperties() != null) {
                c.delete();
            }
        }
        for (String n : NODES) {
            waitForServiceGone(DhtNode.class, nodeFilter(n), TIMEOUT);
        }
    }

    @Test
    public void embeddedTierFormsAndTheStrategySwapsWithoutRestartingNodes() throws Exception {
        // explicit bootstrap ports: widen the port policy, find a free block
        update(PORTS_PID, Map.of("allowed.ranges", "1024-65535"));
        int base = freeBlock();
        update(EMBEDDED_PID, Map.of("supers", 1, "regionals", 2, "locals", 2, "workers", 4,
                "regions", new String[] {"east", "west"}, "basePort", base, "workerBasePort", 0,
                "tierReportMillis", 500L));
        for (String n : NODES) {
            awaitReady(n);
        }
        assertEquals(base, node("sb-primary").status().port());
        assertEquals(base + 20, node("lb-001").status().port());

        // tier:health: exactly the seed's keys, the whole tier healthy
        JsonNode health = awaitValue("5 healthy bootstrap nodes in 2 regions", TIMEOUT, () -> {
            JsonNode h = json("tier:health --json");
            return h.get("healthy_nodes").asInt() == 5 && h.get("regions_coverage").asInt() == 2 ? h : null;
        });
        List<String> keys = new ArrayList<>();
        health.fieldNames().forEachRemaining(keys::add);
        assertEquals(HealthSummary.JSON_KEYS, keys);
        assertEquals(5, health.get("total_bootstrap_nodes").asInt());
        assertEquals(250 + 250 + 500 + 50 + 50, health.get("total_capacity").asInt());
        assertTrue(executeCommand("tier:health").assertOk().output().contains("total_bootstrap_nodes"));

        // tier:nodes; a node learns its parent's name from the referral answering its first report,
        // which may come after the tier is healthy
        JsonNode nodes = awaitValue("5 bootstrap nodes, each regional and local with its parent", TIMEOUT, () -> {
            JsonNode all = json("tier:nodes --json");
            for (JsonNode n : all) {
                if (!"super".equals(n.get("level").asText()) && n.get("parent").asText().isEmpty()) {
                    return null;
                }
            }
            return all.size() == 5 ? all : null;
        });
        assertEquals(5, nodes.size());
        Map<String, JsonNode> byName = new HashMap<>();
        nodes.forEach(n -> byName.put(n.get("name").asText(), n));
        assertEquals("regional", byName.get("rb-west-1").get("level").asText());
        assertEquals("west", byName.get("rb-west-1").get("region").asText());
        assertEquals("rb-east-1", byName.get("lb-001").get("parent").asText());
        assertEquals("127.0.0.1:" + (base + 21), byName.get("lb-002").get("address").asText());
        assertTrue(byName.get("lb-001").get("local").asBoolean());
        assertTrue(executeCommand("tier:nodes").assertOk().output().contains("5 bootstrap nodes, 5 healthy"));

        // tier:workers: workers 1-2 join through lb-001 (east), 3-4 through lb-002 (west)
        JsonNode east = awaitValue("2 workers registered in east", TIMEOUT, () -> {
            JsonNode w = json("tier:workers --json east");
            return w.get("count").asInt() == 2 ? w : null;
        });
        assertTrue(east.get("complete").asBoolean());
        List<String> ids = new ArrayList<>();
        east.get("workers").forEach(w -> ids.add(w.get("node_id").asText()));
        assertTrue(ids.contains(node("worker-1").id().toHex()));
        assertTrue(ids.contains(node("worker-2").id().toHex()));
        assertEquals("tier:workers: give a region, e.g. tier:workers east",
                executeCommand("tier:workers \"\"").assertFailed().message());

        // before the swap: which service and port every node has
        Map<String, Object> serviceIds = new HashMap<>();
        Map<String, Integer> ports = new HashMap<>();
        for (String n : NODES) {
            serviceIds.put(n, nodeReference(n).getProperty(Constants.SERVICE_ID));
            ports.put(n, node(n).status().port());
        }

        JsonNode adaptive = json("tier:selection --json --region east --workers 10");
        assertEquals("adaptive", adaptive.get("strategy").asText());
        assertEquals("direct by the adaptive rule (<= 50): supers only", List.of("super"), levels(adaptive));

        // swap: the tier service's and a worker's selector.target
        update(TIER_PID, Map.of("selector.target", "(strategy=three-level)"));
        JsonNode three = awaitValue("three-level bound", TIMEOUT, () -> {
            JsonNode s = json("tier:selection --json --region east --workers 10");
            return "three-level".equals(s.get("strategy").asText()) ? s : null;
        });
        assertEquals("(strategy=three-level)", three.get("target").asText());
        assertTrue(levels(three).contains("local"));
        updateNode("worker-1", Map.of("selector.target", "(strategy=three-level)"));

        // stop the strategy bundle: nothing bound, then start it again
        Bundle threeLevel = findBundle("io.cqkd.dht.select.threelevel");
        threeLevel.stop();
        try {
            awaitCondition("no strategy bound", TIMEOUT,
                    () -> json("tier:selection --json").get("strategy").asText().isEmpty());
            assertTrue(executeCommand("tier:selection").assertOk().output()
                    .startsWith("strategy: none (no selection strategy matches (strategy=three-level))"));
        } finally {
            threeLevel.start();
        }
        awaitCondition("three-level bound again", TIMEOUT,
                () -> "three-level".equals(json("tier:selection --json").get("strategy").asText()));

        // no node restarted: same service, same port, still READY
        for (String n : NODES) {
            awaitReady(n);
            assertEquals("service of " + n, serviceIds.get(n), nodeReference(n).getProperty(Constants.SERVICE_ID));
            assertEquals("port of " + n, ports.get(n), (Integer) node(n).status().port());
        }

        // fewer workers: the component removes worker-3 and worker-4 only
        update(EMBEDDED_PID, Map.of("workers", 2));
        waitForServiceGone(DhtNode.class, nodeFilter("worker-4"), TIMEOUT);
        waitForServiceGone(DhtNode.class, nodeFilter("worker-3"), TIMEOUT);
        assertEquals(serviceIds.get("worker-2"), nodeReference("worker-2").getProperty(Constants.SERVICE_ID));

        // the configuration deleted: every node it created goes
        configAdmin().getConfiguration(EMBEDDED_PID, "?").delete();
        for (String n : NODES) {
            waitForServiceGone(DhtNode.class, nodeFilter(n), TIMEOUT);
        }
        assertNull(node("sb-primary"));
    }

    private JsonNode json(String line) throws IOException {
        return JSON.readTree(executeCommand(line).assertOk().output());
    }

    private static List<String> levels(JsonNode selection) {
        List<String> out = new ArrayList<>();
        selection.get("picks").forEach(p -> {
            String l = p.get("level").asText();
            if (!out.contains(l)) {
                out.add(l);
            }
        });
        return out;
    }

    /** Merges {@code changes} into the singleton configuration {@code pid}. */
    private void update(String pid, Map<String, ?> changes) throws IOException {
        Configuration c = configAdmin().getConfiguration(pid, "?");
        Dictionary<String, Object> d = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        changes.forEach(d::put);
        c.update(d);
    }

    /** A base port whose whole bootstrap block is free now (never the shipped 5678). */
    private static int freeBlock() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            boolean free = true;
            for (int p = base; p < base + BLOCK && free; p++) {
                free = udpPortIsFree(p);
            }
            if (free) {
                return base;
            }
        }
        throw new AssertionError("no free block of " + BLOCK + " UDP ports");
    }
}
