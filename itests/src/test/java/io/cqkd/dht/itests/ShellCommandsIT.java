package io.cqkd.dht.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.NodeId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The {@code dht:*} Gogo commands, run through a real Gogo {@code CommandSession} against real
 * nodes: tables for people, JSON for scripts, put on one node and get on another, and a
 * one-line failure (never a stack trace) for bad input.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT extends CqkdTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COMMANDS =
            List.of("nodes", "status", "routes", "put", "get", "delete", "lookup", "ping");

    private Map<String, DhtNode> net;

    @Before
    public void network() throws Exception {
        for (String c : COMMANDS) {
            waitForCommand("dht", c);
        }
        net = createNetwork("sh-seed", "sh-w", 2);
        // The shell binds nodes dynamically: wait until it lists all three.
        awaitCondition("dht:nodes lists the 3 nodes", () -> {
            CommandResult r = executeCommand("dht:nodes --json");
            return !r.failed() && JSON.readTree(r.output()).size() == 3;
        });
    }

    @Test
    public void healthPassesWhenEveryNodeAnswersAndNamesAWaitingNode() throws Exception {
        waitForCommand("dht", "health");
        long t0 = System.nanoTime();
        String ok = executeCommand("dht:health").assertOk().output();
        assertTrue(ok, ok.startsWith("healthy: 3 nodes READY"));
        assertTrue("fast", System.nanoTime() - t0 < 1_000_000_000L);
        // a node that cannot start (no port-allocation strategy for port=-1 stays waiting) makes it fail
        findBundle("io.cqkd.dht.ports.sequential").stop();
        try {
            createNode("sh-waiting", Map.of("port", -1));
            awaitCondition("the shell lists 4 nodes", () -> JSON.readTree(
                    executeCommand("dht:nodes --json").assertOk().output()).size() == 4);
            CommandResult bad = executeCommand("dht:health").assertFailed();
            assertTrue(bad.message(), bad.message().startsWith("unhealthy: 1 of 4 nodes: sh-waiting: WAITING_FOR_PORT"));
            assertFalse(bad.message(), bad.message().contains("\n"));
        } finally {
            findBundle("io.cqkd.dht.ports.sequential").start();
        }
    }

    @Test
    public void nodesPrintsATableWithEveryNode() throws Exception {
        String out = executeCommand("dht:nodes").assertOk().output();
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        String header = lines.get(0);
        for (String column : List.of("NAME", "ID", "ROLE", "REGION", "PORT", "STATE")) {
            assertTrue("header lacks " + column + ": " + header, header.contains(column));
        }
        for (DhtNode n : net.values()) {
            String row = lines.stream().filter(l -> l.startsWith(n.name() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + n.name() + " in\n" + out));
            assertTrue(row, row.contains(String.valueOf(n.status().port())));
            assertTrue(row, row.contains("READY"));
            assertTrue(row, row.contains(n.status().role().configName()));
        }
        assertFalse("no stack traces in normal output", out.contains("\tat "));
    }

    @Test
    public void nodesJsonDescribesEveryNode() throws Exception {
        JsonNode array = JSON.readTree(executeCommand("dht:nodes --json").assertOk().output());
        assertTrue("an array: " + array, array.isArray());
        Map<String, JsonNode> byName = new HashMap<>();
        array.forEach(n -> byName.put(n.get("name").asText(), n));
        assertEquals(net.keySet(), byName.keySet());
        for (DhtNode node : net.values()) {
            JsonNode j = byName.get(node.name());
            assertEquals(node.id().toHex(), j.get("id").asText());
            assertEquals(node.status().port(), j.get("port").asInt());
            assertEquals(node.status().role().configName(), j.get("role").asText());
            assertEquals("READY", j.get("state").asText());
            assertTrue(j.toString(), j.get("routingTableSize").asInt() >= 1);
        }
    }

    @Test
    public void putThroughOneNodeGetThroughAnother() throws Exception {
        String value = "{\"hello\":\"world\",\"n\":42,\"tags\":[\"a\",\"b\"]}";
        executeCommand("dht:put --node sh-w1 greeting '" + value + "'").assertOk();

        // Plain get prints the JSON document itself.
        String plain = executeCommand("dht:get --node sh-w2 greeting").assertOk().output();
        assertEquals(JSON.readTree(value), JSON.readTree(plain));

        // --json adds metadata around it.
        JsonNode meta = JSON.readTree(executeCommand("dht:get --node sh-seed --json greeting").assertOk().output());
        assertEquals(JSON.readTree(value), meta.get("value"));
        assertEquals("greeting", meta.get("key").asText());
        assertEquals(net.get("sh-w1").id().toHex(), meta.get("publisher").asText());

        // The same value through the API.
        assertEquals(JSON.readTree(value), JSON.readTree(await(net.get("sh-w2").get("greeting")).orElseThrow().json()));

        // delete through a third node: get now fails with one line.
        executeCommand("dht:delete --node sh-seed greeting").assertOk();
        CommandResult gone = executeCommand("dht:get --node sh-w1 greeting").assertFailed();
        assertOneLine(gone);
        assertTrue(gone.message(), gone.message().contains("no value"));
    }

    @Test
    public void statusRoutesLookupAndPingReportRealState() throws Exception {
        DhtNode seed = net.get("sh-seed");
        DhtNode w1 = net.get("sh-w1");

        JsonNode status = JSON.readTree(executeCommand("dht:status --json sh-w1").assertOk().output());
        assertEquals("sh-w1", status.get("name").asText());
        assertEquals(w1.id().toHex(), status.get("id").asText());
        assertEquals("READY", status.get("state").asText());
        assertTrue(status.get("counters").isObject());

        awaitCondition("seed knows both workers", () -> seed.routes().size() >= 2);
        JsonNode routes = JSON.readTree(executeCommand("dht:routes --json sh-seed").assertOk().output());
        assertEquals(seed.id().toHex(), routes.get("self").asText());
        assertTrue(routes.toString(), routes.get("size").asInt() >= 2);
        Set<String> contactIds = new TreeSet<>();
        routes.get("buckets").forEach(b -> b.get("contacts").forEach(c -> contactIds.add(c.get("id").asText())));
        assertTrue(contactIds + " lacks sh-w1", contactIds.contains(w1.id().toHex()));
        executeCommand("dht:routes sh-seed").assertOk();

        JsonNode lookup = JSON.readTree(executeCommand("dht:lookup --node sh-w1 --json some-key").assertOk().output());
        assertEquals(NodeId.ofKey("some-key").toHex(), lookup.get("target").asText());
        assertTrue(lookup.toString(), lookup.get("closest").size() >= 1);

        JsonNode ping = JSON.readTree(executeCommand("dht:ping --node sh-w1 --json " + endpointOf(seed))
                .assertOk().output());
        assertEquals(seed.id().toHex(), ping.get("responder").get("id").asText());
        assertTrue(ping.toString(), ping.get("rttMillis").asDouble() >= 0);
    }

    @Test
    public void badInputFailsWithOneLine() {
        Map<String, String> cases = Map.of(
                "dht:put --node sh-w1 k 'not json'", "json",
                "dht:get --node no-such-node k", "no-such-node",
                "dht:routes no-such-node", "no-such-node",
                "dht:ping not-an-endpoint", "not-an-endpoint",
                "dht:status --json no-such-node", "no-such-node");
        cases.forEach((line, mentions) -> {
            CommandResult r = executeCommand(line).assertFailed();
            assertOneLine(r);
            assertTrue("'" + line + "' failure should mention '" + mentions + "': " + r.message(),
                    r.message().toLowerCase().contains(mentions.toLowerCase()));
        });
    }

    private static void assertOneLine(CommandResult r) {
        assertFalse("empty failure message for " + r.line(), r.message().isBlank());
        assertFalse("multi-line failure for " + r.line() + ": " + r.message(), r.message().contains("\n"));
        assertFalse("stack trace printed for " + r.line() + ":\n" + r.output(), r.output().contains("\tat "));
        assertFalse("what the console prints is one line for " + r.line(), r.failure().toString().contains("\n"));
    }
}
