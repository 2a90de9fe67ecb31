package io.cqkd.dht.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.shell.support.CommandFailure;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Duration;
import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DhtCommandsTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private FakeDhtNode.Net net;
    private NodeDirectory directory;
    private DhtCommands commands;
    private FakeDhtNode boot;
    private FakeDhtNode w1;
    private FakeDhtNode w2;

    @BeforeEach
    void setUp() {
        net = new FakeDhtNode.Net();
        directory = new NodeDirectory();
        commands = new DhtCommands(directory, Duration.ofMillis(200));
        w2 = new FakeDhtNode(net, "worker-2", NodeRole.WORKER, 7001);
        boot = new FakeDhtNode(net, "boot", NodeRole.SUPER, 5678);
        w1 = new FakeDhtNode(net, "worker-1", NodeRole.WORKER, 7000);
        commands.bindNode(w2);
        commands.bindNode(boot);
        commands.bindNode(w1);
    }

    @Test
    void nodesTableListsEveryNodeSortedByNameWithFullIds() {
        String out = commands.nodes(false);
        String[] lines = out.split("\n");
        assertEquals(5, lines.length, out);
        assertTrue(lines[0].matches("NAME\\s+ID\\s+ROLE\\s+REGION\\s+PORT\\s+STATE\\s+ROUTES\\s+VALUES"), lines[0]);
        assertTrue(lines[1].startsWith("boot "), lines[1]);
        assertTrue(lines[1].contains(boot.id().toHex()));
        assertTrue(lines[1].contains("super") && lines[1].contains("5678") && lines[1].contains("READY"));
        assertTrue(lines[2].startsWith("worker-1 "));
        assertTrue(lines[3].startsWith("worker-2 "));
        assertEquals("3 nodes, 3 READY", lines[4]);
        // columns line up: the ID column starts at the same offset on every row
        int idCol = lines[0].indexOf("ID");
        for (int i = 1; i <= 3; i++) {
            assertEquals(idCol, lines[i].indexOf(directory.all().get(i - 1).id().toHex()));
        }
    }

    @Test
    void nodesTableShowsWhyANodeFailed() {
        assertFalse(commands.nodes(false).contains("DETAIL"));
        w2.state = NodeState.FAILED;
        w2.detail = "port allocation failed: no strategy\nsecond line";
        String[] lines = commands.nodes(false).split("\n");
        assertTrue(lines[0].endsWith("VALUES  DETAIL"), lines[0]);
        assertTrue(lines[1].endsWith("  -"), lines[1]);
        assertTrue(lines[3].endsWith("FAILED       2       0  port allocation failed: no strategy second line"), lines[3]);
        assertEquals("3 nodes, 2 READY", lines[4]);
    }

    @Test
    void nodesJsonIsAnArrayOfNodeObjects() throws Exception {
        JsonNode json = mapper.readTree(commands.nodes(true));
        assertEquals(3, json.size());
        assertEquals("boot", json.get(0).get("name").asText());
        assertEquals(boot.id().toHex(), json.get(0).get("id").asText());
        assertEquals("super", json.get(0).get("role").asText());
        assertEquals(5678, json.get(0).get("port").asInt());
        assertEquals("READY", json.get(0).get("state").asText());
        assertEquals(2, json.get(0).get("routingTableSize").asInt());
    }

    @Test
    void unboundNodesDisappear() {
        commands.unbindNode(w2);
        assertFalse(commands.nodes(false).contains("worker-2"));
        CommandFailure f = assertThrows(CommandFailure.class, () -> commands.status(false, "worker-2"));
        assertEquals("unknown node 'worker-2' (known: boot, worker-1)", f.getMessage());
    }

    @Test
    void statusShowsOneNodeWithCountersAndAcceptsAnIdPrefix() throws Exception {
        String out = commands.status(false, boot.id().toHex().substring(0, 6));
        assertTrue(out.contains("name") && out.contains("boot"), out);
        assertTrue(out.matches("(?s).*\\naddress +127\\.0\\.0\\.1:5678\\n.*"), out);
        assertTrue(out.matches("(?s).*\\ndatagrams\\.in +42\\n.*"), out);
        assertFalse(out.endsWith("\n"), "Gogo adds the final line break");
        JsonNode json = mapper.readTree(commands.status(true, "boot"));
        assertEquals(42, json.get("counters").get("datagrams.in").asLong());
        assertEquals(3, mapper.readTree(commands.status(true)).size());
    }

    @Test
    void putThroughOneNodeGetThroughAnother() throws Exception {
        String put = commands.put("worker-1", "k1", "{\"a\":1}");
        assertTrue(put.startsWith("stored 'k1' ("), put);
        assertTrue(put.contains("via worker-1: 3/3 replicas"), put);
        assertEquals("{\n  \"a\" : 1\n}", commands.get("worker-2", false, "k1"));
        JsonNode json = mapper.readTree(commands.get("", true, "k1"));
        assertEquals(1, json.get("value").get("a").asInt());
        assertEquals("boot", json.get("node").asText(), "default node is the first READY by name");
        assertEquals(w1.id().toHex(), json.get("publisher").asText());
        commands.delete("", "k1");
        CommandFailure f = assertThrows(CommandFailure.class, () -> commands.get("", false, "k1"));
        assertEquals("get 'k1' via boot: no value", f.getMessage());
    }

    @Test
    void defaultNodeIsTheFirstReadyOne() throws Exception {
        boot.state = NodeState.JOINING;
        JsonNode json = mapper.readTree(commands.lookup("", true, "k"));
        assertEquals("worker-1", json.get("node").asText());
        w1.state = NodeState.FAILED;
        w2.state = NodeState.STOPPED;
        CommandFailure f = assertThrows(CommandFailure.class, () -> commands.get("", false, "k"));
        assertTrue(f.getMessage().startsWith("no READY node in this container"), f.getMessage());
    }

    @Test
    void badArgumentsFailWithOneLine() {
        assertEquals("unknown node 'nope' (known: boot, worker-1, worker-2)",
                assertThrows(CommandFailure.class, () -> commands.put("nope", "k", "1")).getMessage());
        assertTrue(assertThrows(CommandFailure.class, () -> commands.put("", "k", "{oops"))
                .getMessage().startsWith("invalid JSON: "));
        assertTrue(assertThrows(CommandFailure.class, () -> commands.put("", "k", "\"" + "x".repeat(9000) + "\""))
                .getMessage().startsWith("value too large: "));
        assertTrue(assertThrows(CommandFailure.class, () -> commands.ping("", false, "localhost"))
                .getMessage().startsWith("invalid address 'localhost'"));
        assertEquals("no node given", assertThrows(CommandFailure.class, () -> commands.routes(false, "")).getMessage());
    }

    @Test
    void waitsAreBoundedAndTimeoutsAreOneLine() {
        w1.hang = true;
        long start = System.nanoTime();
        CommandFailure f = assertThrows(CommandFailure.class, () -> commands.get("worker-1", false, "k"));
        assertEquals("get 'k' via worker-1: timed out after 0.2 s", f.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void failedOperationsCarryTheNodesMessageAndErrorKind() {
        CommandFailure f = assertThrows(CommandFailure.class, () -> commands.ping("boot", false, "127.0.0.1:9"));
        assertEquals("ping 127.0.0.1:9 via boot: no answer from /127.0.0.1:9 [TIMEOUT]", f.getMessage());
    }

    @Test
    void pingRoutesAndLookupRender() throws Exception {
        String ping = commands.ping("", false, "127.0.0.1:7001");
        assertTrue(ping.startsWith("pong from 127.0.0.1:7001 " + w2.id().toHex() + " (worker) via boot in 1.00 ms"),
                ping);
        String routes = commands.routes(false, "boot");
        assertTrue(routes.startsWith("node boot (" + boot.id().toHex() + "): 2 contacts in 1 buckets, k=20"), routes);
        assertTrue(routes.contains("127.0.0.1:7000") && routes.contains("127.0.0.1:7001"), routes);
        JsonNode r = mapper.readTree(commands.routes(true, "boot"));
        assertEquals(159, r.get("buckets").get(0).get("index").asInt());
        assertEquals(2, r.get("buckets").get(0).get("contacts").size());
        String lookup = commands.lookup("", false, "k");
        assertTrue(lookup.startsWith("lookup 'k' ("), lookup);
        assertTrue(lookup.contains("3 closest, 2 hops, 3 queried, 0 failed, 4 ms"), lookup);
        JsonNode l = mapper.readTree(commands.lookup("", true, "k"));
        assertEquals(3, l.get("closest").size());
        assertTrue(l.get("closest").get(0).get("log2Distance").asInt() <= 160);
    }

    @Test
    void everyCommandAndParameterHasADescriptor() {
        int methods = 0;
        for (Method m : DhtCommands.class.getDeclaredMethods()) {
            if (!java.lang.reflect.Modifier.isPublic(m.getModifiers())) {
                continue;
            }
            methods++;
            assertTrue(m.isAnnotationPresent(Descriptor.class), m.getName());
            for (Parameter p : m.getParameters()) {
                assertTrue(p.isAnnotationPresent(Descriptor.class), m.getName() + " " + p.getName());
            }
        }
        assertEquals(11, methods);
    }

    @Test
    void dhtListsEveryCommandWithItsSynopsisAndDescription() {
        String out = commands.dht();
        String[] lines = out.split("\n");
        assertEquals(1 + DhtCommands.SYNOPSIS.size(), lines.length, out);
        assertTrue(lines[4].startsWith("dht:put [--node NODE] KEY JSON  "), lines[4]);
        assertTrue(lines[4].contains("store a JSON value"), lines[4]);
        java.util.Set<String> listed = new java.util.HashSet<>();
        DhtCommands.SYNOPSIS.forEach(s -> listed.add(s[0]));
        for (Method m : DhtCommands.class.getDeclaredMethods()) {
            if (java.lang.reflect.Modifier.isPublic(m.getModifiers()) && !m.getName().equals("dht")) {
                assertTrue(listed.contains(m.getName()), m.getName());
            }
        }
    }

    @Test
    void healthIsOkWhenEveryNodeIsReadyAndAnswersItsOwnPing() {
        String out = commands.health();
        assertEquals("healthy: 3 nodes READY, each answered a ping through its own socket (slowest 1 ms)", out);
        assertTrue(commands.checkHealth().problems().isEmpty());
    }

    @Test
    void healthNamesEveryProblemOnItsOwnLineAndFailsWithOneLine() {
        w1.state = NodeState.JOINING;
        w2.state = NodeState.WAITING_FOR_PORT;
        w2.detail = "waiting for a port-allocation strategy bundle (port=-1)";
        boot.hang = true; // READY, but its pings are never answered
        long start = System.nanoTime();
        DhtCommands.HealthReport r = commands.checkHealth();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 1000, "bounded by the deadline (200 ms here): " + ms);
        assertEquals(java.util.List.of(
                "worker-1: JOINING",
                "worker-2: WAITING_FOR_PORT (waiting for a port-allocation strategy bundle (port=-1))",
                "boot: READY but no answer to a ping through its own socket within 200 ms"),
                r.problems().stream().sorted((a, b) -> a.startsWith("boot") ? 1 : b.startsWith("boot") ? -1 : a.compareTo(b))
                        .toList());
        assertTrue(r.summary().startsWith("unhealthy: 3 of 3 nodes: "), r.summary());
        assertFalse(r.summary().contains("\n"));
        CommandFailure f = assertThrows(CommandFailure.class, () -> commands.health());
        assertEquals(r.summary(), f.getMessage());
    }

    @Test
    void healthFailsOnAPingErrorAndWithoutNodes() {
        w2.deaf = true;
        DhtCommands.HealthReport r = commands.checkHealth();
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().get(0).startsWith("worker-2: READY but its ping through its own socket failed: no answer "
                + "from ") && r.problems().get(0).endsWith("127.0.0.1:7001 [TIMEOUT]"), r.problems().get(0));
        assertEquals("unhealthy: 1 of 3 nodes: " + r.problems().get(0), r.summary());

        DhtCommands empty = new DhtCommands(new NodeDirectory(), Duration.ofMillis(200));
        assertEquals("unhealthy: no DHT node in this container",
                assertThrows(CommandFailure.class, empty::health).getMessage());
    }
}
