package io.cqkd.dht.itests.ports;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.itests.CqkdTestSupport;
import java.io.IOException;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;

/**
 * Port-allocation strategies are hot-swappable: changing {@code allocator.target} of PID
 * {@code io.cqkd.dht.ports}, or stopping and starting strategy bundles, never touches running
 * nodes (same port, same service, still READY); the next node follows the new strategy; with no
 * strategy, explicit ports still work and a dry run names the missing strategy.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PortStrategyHotSwapIT extends CqkdTestSupport {
    private static final String PORTS_PID = "io.cqkd.dht.ports";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RANGE_SIZE = 40;

    private int first;
    private String seedEndpoint;

    /** A worker range that is free on this host right now, so the test never assumes a fixed port. */
    private static int freeRange() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int start = ThreadLocalRandom.current().nextInt(20_000, 32_000 - RANGE_SIZE);
            boolean free = true;
            for (int p = start; p < start + RANGE_SIZE && free; p++) {
                free = udpPortIsFree(p);
            }
            if (free) {
                return start;
            }
        }
        throw new IllegalStateException("no free range of " + RANGE_SIZE + " UDP ports");
    }

    @Before
    public void configurePorts() throws Exception {
        first = freeRange();
        configurePorts("(strategy=sequential)");
        awaitStrategy("sequential");
        createNode("seed", Map.of("role", "super"));
        seedEndpoint = endpointOf(awaitReady("seed"));
    }

    @After
    public void restoreStrategies() throws Exception {
        for (String bsn : new String[] {"io.cqkd.dht.ports.sequential", "io.cqkd.dht.ports.random",
                "io.cqkd.dht.ports.slot"}) {
            Bundle b = findBundle(bsn);
            if (b != null && b.getState() != Bundle.ACTIVE) {
                b.start();
            }
        }
        Configuration c = configAdmin().getConfiguration(PORTS_PID, "?");
        c.delete();
    }

    private void configurePorts(String target) throws IOException {
        Dictionary<String, Object> d = new Hashtable<>();
        String range = first + "-" + (first + RANGE_SIZE - 1);
        d.put("allocator.target", target);
        d.put("range.worker", range);
        d.put("base.port", first);
        d.put("allowed.ranges", new String[] {range, "5678-5761", "6000-6099"});
        configAdmin().getConfiguration(PORTS_PID, "?").update(d);
    }

    private void awaitStrategy(String name) {
        waitForCommand("ports", "strategy");
        awaitCondition("ports:strategy shows " + name, () ->
                executeCommand("ports:strategy").assertOk().output().contains("active strategy : " + name));
    }

    private DhtNode startWorker(String name, int workerId) throws IOException {
        createNode(name, Map.of("role", "worker", "port", -1, "workerId", workerId, "bootstrap", seedEndpoint));
        return awaitReady(name);
    }

    private Map<String, JsonNode> registry() throws IOException {
        Map<String, JsonNode> byNode = new HashMap<>();
        for (JsonNode e : JSON.readTree(executeCommand("ports:list --json").assertOk().output())) {
            byNode.put(e.get("node").asText(), e);
        }
        return byNode;
    }

    private Object serviceId(String node) {
        return nodeReference(node).getProperty(Constants.SERVICE_ID);
    }

    @Test
    public void swapByConfigurationKeepsRunningNodesAndMovesTheNextOne() throws Exception {
        DhtNode w5 = startWorker("w5", 5);
        assertEquals("WORKER_ID 5 -> base + 4", first + 4, w5.status().port());
        Object w5Service = serviceId("w5");
        assertEquals("sequential", registry().get("w5").get("strategy").asText());

        configurePorts("(strategy=random)");
        awaitStrategy("random");

        DhtNode w6 = startWorker("w6", 6);
        JsonNode e6 = registry().get("w6");
        assertEquals("random", e6.get("strategy").asText());
        assertTrue(w6.status().port() >= first && w6.status().port() < first + RANGE_SIZE);

        assertEquals("running node kept its port", first + 4, node("w5").status().port());
        assertEquals(NodeState.READY, node("w5").status().state());
        assertEquals("running node was not restarted", w5Service, serviceId("w5"));
        assertEquals("sequential", registry().get("w5").get("strategy").asText());
    }

    @Test
    public void swapByStoppingBundlesAndExplicitPortsWithoutAnyStrategy() throws Exception {
        DhtNode w1 = startWorker("w1", 1);
        assertEquals(first, w1.status().port());
        Object w1Service = serviceId("w1");

        // target the random strategy, then stop its bundle: no strategy at all
        configurePorts("(strategy=random)");
        awaitStrategy("random");
        findBundle("io.cqkd.dht.ports.random").stop();
        awaitStrategy("none");
        CommandResult dry = executeCommand("ports:allocate --worker-id 2 --dry-run").assertFailed();
        assertTrue(dry.message(), dry.message().contains("no port allocation strategy is active")
                && dry.message().contains("'random'"));
        assertFalse(dry.message(), dry.message().contains("\n"));

        // an explicit port still works without a strategy
        int explicit = first + RANGE_SIZE - 1;
        createNode("x1", Map.of("role", "worker", "port", explicit, "bootstrap", seedEndpoint));
        assertEquals(explicit, awaitReady("x1").status().port());
        assertEquals("explicit", registry().get("x1").get("strategy").asText());

        // starting the bundle again brings the strategy back for the next node
        findBundle("io.cqkd.dht.ports.random").start();
        awaitStrategy("random");
        startWorker("w2", 2);
        assertEquals("random", registry().get("w2").get("strategy").asText());

        // stopping the selected sequential bundle under a sequential target: same story
        configurePorts("(strategy=sequential)");
        awaitStrategy("sequential");
        findBundle("io.cqkd.dht.ports.sequential").stop();
        awaitStrategy("none");

        assertEquals(first, node("w1").status().port());
        assertEquals(NodeState.READY, node("w1").status().state());
        assertEquals(w1Service, serviceId("w1"));
        assertEquals(3, registry().keySet().stream().filter(n -> !n.equals("seed")).count());
    }

    @Test
    public void commandsShowRegistryUtilizationHistoryAndDryRuns() throws Exception {
        for (String f : new String[] {"strategy", "list", "stats", "allocate", "history"}) {
            waitForCommand("ports", f);
        }
        String help = executeCommand("help").assertOk().output();
        assertTrue(help, help.contains("ports:stats") && help.contains("ports:allocate"));

        startWorker("w3", 3);
        String strategy = executeCommand("ports:strategy").assertOk().output();
        assertTrue(strategy, strategy.contains("bundle io.cqkd.dht.ports.sequential"));
        assertTrue(strategy, strategy.contains("range.worker") && strategy.contains(first + "-"));

        JsonNode stats = JSON.readTree(executeCommand("ports:stats --json").assertOk().output());
        JsonNode worker = stats.get("worker");
        assertEquals(RANGE_SIZE, worker.get("total_ports").asInt());
        assertEquals(1, worker.get("used_ports").asInt());
        assertEquals(100.0 / RANGE_SIZE, worker.get("utilization_percent").asDouble(), 0.01);
        assertEquals(RANGE_SIZE - 1, worker.get("available_ports").asInt());
        assertTrue(executeCommand("ports:stats").assertOk().output().contains("UTILIZATION"));

        String list = executeCommand("ports:list").assertOk().output();
        assertTrue(list, list.contains("w3") && list.contains(Integer.toString(first + 2)));

        String dry = executeCommand("ports:allocate --worker-id 3 --dry-run").assertFailed().message();
        assertTrue(dry, dry.contains("one port per worker"));
        String ok = executeCommand("ports:allocate --worker-id 4 --dry-run").assertOk().output();
        assertTrue(ok, ok.contains("dry run: port " + (first + 3)));
        assertEquals("a dry run takes nothing", 1, registry().keySet().stream().filter(n -> n.startsWith("w")).count());

        JsonNode history = JSON.readTree(executeCommand("ports:history --json").assertOk().output());
        assertTrue(history.toString(), history.size() >= 1);
        assertEquals("allocated", history.get(history.size() - 1).get("event").asText());

        CommandResult bad = executeCommand("ports:allocate --worker-id abc --dry-run").assertFailed();
        assertTrue(bad.message(), bad.message().contains("--worker-id") && !bad.message().contains("\n"));
        executeCommand("ports:allocate --worker-id 4").assertFailed();
    }
}
