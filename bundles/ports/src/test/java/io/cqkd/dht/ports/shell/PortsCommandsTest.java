package io.cqkd.dht.ports.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.ports.PortRequest;
import io.cqkd.dht.ports.PortAllocationEngine;
import io.cqkd.dht.ports.PortSettings;
import io.cqkd.dht.ports.StrategyInfo;
import io.cqkd.dht.ports.random.RandomPortAllocator;
import io.cqkd.dht.ports.sequential.SequentialPortAllocator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PortsCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Set<Integer> busy = new HashSet<>();
    private final Set<Integer> probed = new HashSet<>();
    private PortAllocationEngine engine;
    private PortsCommands commands;

    @BeforeEach
    void setUp() throws Exception {
        engine = new PortAllocationEngine(PortSettings.from(Map.of("blocked.ports", "7990-7999"), Map.of()),
                Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));
        StrategyInfo seq = new StrategyInfo("sequential", "io.cqkd.dht.ports.sequential 0.1.0.SNAPSHOT", 7, 70);
        engine.strategyRegistered(seq);
        engine.strategyRegistered(new StrategyInfo("random", "io.cqkd.dht.ports.random 0.1.0.SNAPSHOT", 9, 90));
        engine.strategyBound(new SequentialPortAllocator(), seq);
        commands = new PortsCommands(engine, port -> {
            probed.add(port);
            return !busy.contains(port);
        });
        for (int id = 1; id <= 3; id++) {
            engine.allocate(new PortRequest("worker-" + id, NodeRole.WORKER, OptionalInt.empty(), OptionalInt.of(id),
                    OptionalInt.empty(), Optional.empty()), port -> true);
        }
        engine.allocate(new PortRequest("sb-primary", NodeRole.SUPER, OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), Optional.empty()), port -> true);
    }

    @Test
    void strategyShowsTheActiveOneItsBundleAndTheSettings() {
        String out = commands.strategy();
        assertTrue(out.contains("active strategy : sequential (bundle io.cqkd.dht.ports.sequential 0.1.0.SNAPSHOT [7]"),
                out);
        assertTrue(out.contains("allocator.target = (strategy=sequential)"), out);
        assertTrue(out.contains("random [io.cqkd.dht.ports.random"), out);
        assertTrue(out.contains("base.port") && out.contains("7000") && out.contains("7990-7999"), out);
    }

    @Test
    void strategyWithNoneActiveSaysSo() {
        PortAllocationEngine bare = new PortAllocationEngine(PortSettings.defaults(), Clock.systemUTC());
        String out = new PortsCommands(bare, p -> true).strategy();
        assertTrue(out.contains("active strategy : none") && out.contains("explicit ports still work"), out);
    }

    @Test
    void listAsTableAndJson() throws Exception {
        String table = commands.list(false);
        assertTrue(table.lines().findFirst().orElseThrow().startsWith("PORT"), table);
        assertTrue(table.contains("7002") && table.contains("worker-3") && table.contains("allocated"), table);
        assertTrue(table.contains("4 port(s)"), table);
        JsonNode json = JSON.readTree(commands.list(true));
        assertEquals(4, json.size());
        assertEquals(5678, json.get(0).get("port").asInt());
        assertEquals(7000, json.get(1).get("port").asInt());
        assertEquals("worker-1", json.get(1).get("node").asText());
        assertEquals(1, json.get(1).get("worker_id").asInt());
        assertEquals("sequential", json.get(1).get("strategy").asText());
        assertEquals("2025-01-01T00:00:00Z", json.get(1).get("allocated_at").asText());
        assertEquals("allocated", json.get(1).get("status").asText());
    }

    @Test
    void statsJsonHasTheSeedKeysPerRange() throws Exception {
        JsonNode json = JSON.readTree(commands.stats(true));
        JsonNode w = json.get("worker");
        assertEquals(1000, w.get("total_ports").asInt());
        assertEquals(3, w.get("used_ports").asInt());
        assertEquals(0.3, w.get("utilization_percent").asDouble());
        assertEquals(987, w.get("available_ports").asInt());
        assertEquals(1, json.get("bootstrap").get("used_ports").asInt());
        assertEquals(100, json.get("special").get("total_ports").asInt());
        String table = commands.stats(false);
        assertTrue(table.contains("worker") && table.contains("0.30%") && table.contains("bootstrap"), table);
    }

    @Test
    void historyAsTableAndJson() throws Exception {
        assertTrue(commands.history(false).contains("allocated"));
        JsonNode json = JSON.readTree(commands.history(true));
        assertEquals(4, json.size());
        assertEquals("allocated", json.get(0).get("event").asText());
        assertEquals(7000, json.get(0).get("port").asInt());
    }

    @Test
    void dryRunReportsTheNextPortWithoutTakingIt() {
        busy.add(7003);
        String out = commands.allocate("worker", "4", "", "", "", true);
        assertTrue(out.contains("dry run: port 7004") && out.contains("1 in use by other processes"), out);
        assertTrue(out.contains("nothing was allocated"), out);
        assertEquals(4, engine.registry().size());
        String boot = commands.allocate("regional", "", "", "", "", true);
        assertTrue(boot.contains("port 5679"), boot);
    }

    @Test
    void dryRunWithTheRandomStrategyStaysInTheRange() {
        engine.strategyBound(new RandomPortAllocator(() -> new SplittableRandom(3)),
                new StrategyInfo("random", "b", 9, 90));
        String out = commands.allocate("special", "", "", "", "", true);
        int port = Integer.parseInt(out.replaceAll("(?s)^dry run: port (\\d+).*$", "$1"));
        assertTrue(port >= 6000 && port <= 6099, out);
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        assertOneLine(assertThrows(IllegalArgumentException.class,
                () -> commands.allocate("worker", "4", "", "", "", false)), "--dry-run");
        assertOneLine(assertThrows(IllegalArgumentException.class,
                () -> commands.allocate("worker", "four", "", "", "", true)), "--worker-id");
        assertOneLine(assertThrows(IllegalArgumentException.class,
                () -> commands.allocate("worker", "0", "", "", "", true)), "--worker-id");
        assertOneLine(assertThrows(IllegalArgumentException.class,
                () -> commands.allocate("wizard", "", "", "", "", true)), "--role");
        assertOneLine(assertThrows(IllegalArgumentException.class,
                () -> commands.allocate("worker", "", "2", "cqkd-worker-1", "", true)), "not both");
        assertOneLine(assertThrows(IllegalArgumentException.class,
                () -> commands.allocate("worker", "", "", "", "70000", true)), "--port");
        // a refusal of the service is one line too
        assertOneLine(assertThrows(IllegalStateException.class,
                () -> commands.allocate("worker", "1", "", "", "", true)), "one port per worker");
    }

    private static void assertOneLine(RuntimeException e, String mentions) {
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
