package io.cqkd.dht.tier.shell;

import static io.cqkd.dht.tier.service.TierFakes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.api.tier.HealthSummary;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.api.tier.WorkerRegistration;
import io.cqkd.dht.shell.support.CommandFailure;
import io.cqkd.dht.tier.service.TierFakes;
import io.cqkd.dht.tier.service.TierFakes.FakeTierNode;
import io.cqkd.dht.tier.service.TierRuntime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TierCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BootstrapNode SUPER = node("sb-primary", NodeRole.SUPER, "", "", 5678, 0, 500, true, 900);
    private static final BootstrapNode EAST = node("rb-east-1", NodeRole.REGIONAL, "east", "sb-primary", 5682, 25,
            250, true, 950);
    private static final BootstrapNode LB1 = node("lb-001", NodeRole.LOCAL, "east", "rb-east-1", 5698, 10, 50, true,
            -1);
    private static final WorkerRegistration W1 = new WorkerRegistration("a".repeat(40), "127.0.0.1", 7000, 1000);

    private TierRuntime tier;
    private TierCommands commands;

    @BeforeEach
    void setUp() {
        tier = new TierRuntime("(strategy=test)");
        commands = new TierCommands(tier);
        for (FakeTierNode n : List.of(new FakeTierNode(SUPER, List.of(EAST, LB1), List.of(), 1000),
                new FakeTierNode(EAST, List.of(), List.of(W1), 1000))) {
            tier.bindTierNode(n, n.props());
        }
    }

    @Test
    void healthJsonHasExactlyTheSeedKeys() throws Exception {
        tier.bindFailover(TierFakes.failover(2));
        JsonNode h = JSON.readTree(commands.health(true));
        List<String> keys = new ArrayList<>();
        h.fieldNames().forEachRemaining(keys::add);
        assertEquals(HealthSummary.JSON_KEYS, keys);
        assertEquals(3, h.get("total_bootstrap_nodes").asInt());
        assertEquals(35, h.get("total_connections").asInt());
        assertEquals(2, h.get("failover_events").asInt());
        String text = commands.health(false);
        assertTrue(text.contains("healthy_nodes") && text.contains("regions_coverage"), text);
    }

    @Test
    void nodesTableAndJson() throws Exception {
        String text = commands.nodes(false);
        assertTrue(text.startsWith("NAME"), text);
        assertTrue(text.contains("rb-east-1") && text.contains("127.0.0.1:5682") && text.contains("10.0"), text);
        assertTrue(text.contains("never"), "lb-001 never reported: " + text);
        assertTrue(text.endsWith("3 bootstrap nodes, 3 healthy, 2 running here\n"), text);
        JsonNode rows = JSON.readTree(commands.nodes(true));
        assertEquals(3, rows.size());
        JsonNode east = rows.get(1);
        assertEquals("rb-east-1", east.get("name").asText());
        assertEquals("regional", east.get("level").asText());
        assertEquals("sb-primary", east.get("parent").asText());
        assertEquals(25, east.get("active_sessions").asInt());
        assertEquals(10.0, east.get("utilization_percent").asDouble());
        assertEquals(50, east.get("last_report_age_ms").asLong());
        assertTrue(east.get("local").asBoolean());
        assertTrue(rows.get(2).get("last_report_age_ms").isNull());
    }

    @Test
    void workersOfALocalRegionalAreCompleteOthersCarryTheNote() throws Exception {
        JsonNode east = JSON.readTree(commands.workers(true, "east"));
        assertTrue(east.get("complete").asBoolean());
        assertEquals(1, east.get("count").asInt());
        assertEquals(W1.nodeId(), east.get("workers").get(0).get("node_id").asText());
        assertEquals(7000, east.get("workers").get(0).get("port").asInt());
        assertTrue(commands.workers(false, "east").contains("1 workers registered in region east"));

        String west = commands.workers(false, "west");
        assertTrue(west.contains("0 workers registered in region west"), west);
        assertTrue(west.contains("note: no regional node of region west runs in this container"), west);
        assertFalse(JSON.readTree(commands.workers(true, "west")).get("complete").asBoolean());
    }

    @Test
    void failuresAreOneLine() {
        CommandFailure f = assertThrows(CommandFailure.class, () -> commands.workers(false, " "));
        assertEquals("tier:workers: give a region, e.g. tier:workers east", f.getMessage());
        f = assertThrows(CommandFailure.class, () -> commands.workers(false, "a:b"));
        assertFalse(f.getMessage().contains("\n"));
        assertTrue(f.getMessage().startsWith("tier:workers a:b: "), f.getMessage());
        f = assertThrows(CommandFailure.class, () -> commands.selection("", -1, false));
        assertTrue(f.getMessage().startsWith("tier:selection: expected worker count"), f.getMessage());
        assertEquals(f.getMessage(), f.toString());
    }

    @Test
    void selectionShowsTheStrategyAndItsPicks() throws Exception {
        String none = commands.selection("east", 10, false);
        assertTrue(none.startsWith("strategy: none (no selection strategy matches (strategy=test))"), none);
        tier.bindSelector(new BootstrapSelector() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public List<BootstrapNode> select(SelectionRequest request, TierView view) {
                return view.healthy(NodeRole.REGIONAL, request.region());
            }
        });
        String text = commands.selection("east", 10, false);
        assertTrue(text.startsWith("strategy: test (target (strategy=test))\npicks for region east, 10 expected"
                + " workers: 1\n"), text);
        assertTrue(text.contains("rb-east-1"), text);
        JsonNode j = JSON.readTree(commands.selection("east", 300, true));
        assertEquals("test", j.get("strategy").asText());
        assertEquals("east", j.get("region").asText());
        assertEquals(300, j.get("expected_workers").asInt());
        assertEquals("rb-east-1", j.get("picks").get(0).get("name").asText());
    }
}
