package io.cqkd.dht.failover.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.DetectorContext;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.failover.WatchRelation;
import io.cqkd.dht.api.failover.WatchState;
import io.cqkd.dht.api.failover.WatchedNode;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.failover.FailoverHub;
import io.cqkd.dht.failover.FailoverSettings;
import io.cqkd.dht.failover.promotebackup.PromoteBackupPolicy;
import io.cqkd.dht.tier.failover.FailoverLog;
import io.cqkd.dht.tier.model.Topology;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FailoverCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FailoverHub hub = new FailoverHub(FailoverSettings.from(Map.of()),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private final FailoverCommands commands = new FailoverCommands(hub);

    @Test
    void eventsAsTableAndJson() throws Exception {
        assertEquals("no failover events (0 recorded in total)\n", commands.events(false));
        hub.policyBound(new PromoteBackupPolicy(), "promote-backup", "io.cqkd.dht.failover.promotebackup 0.1.0");
        TierView view = Topology.defaults().initialView(0);
        BootstrapNode failed = view.node("lb-001").orElseThrow();
        FailureSituation s = new FailureSituation("rb-east-1", NodeRole.REGIONAL, "east", WatchRelation.CHILD,
                failed, view, List.of(), Set.of("lb-001"), List.of(), new DetectorContext(0, 1, 2, 3));
        hub.applied(hub.decide(s), 0);

        String table = commands.events(false);
        assertTrue(table.startsWith("TIME"), table);
        assertTrue(table.contains("rb-east-1") && table.contains("promote_backup") && table.contains("lb-002"), table);
        assertTrue(table.endsWith("1 shown, 1 recorded in total\n"), table);

        JsonNode j = JSON.readTree(commands.events(true));
        assertEquals(1, j.get("events_total").asLong());
        JsonNode e = j.get("events").get(0);
        List<String> keys = new java.util.ArrayList<>();
        e.fieldNames().forEachRemaining(keys::add);
        assertEquals(FailoverLog.JSON_KEYS, keys);
        assertEquals("lb-001", e.get("failed_node").asText());
        assertEquals("promote_backup", e.get("action").asText());
        assertEquals("lb-002", e.get("promoted_node").asText());
    }

    @Test
    void policyShowsActivePolicyTargetAndSettings() throws Exception {
        String none = commands.policy(false);
        assertTrue(none.contains("active policy : none (policy.target (policy=promote-backup) matches no policy"),
                none);
        hub.policyBound(new PromoteBackupPolicy(), "promote-backup", "io.cqkd.dht.failover.promotebackup 0.1.0");
        String text = commands.policy(false);
        assertTrue(text.contains("active policy : promote-backup [io.cqkd.dht.failover.promotebackup 0.1.0]"), text);
        assertTrue(text.contains("capacity.factor = 2"), text);
        assertTrue(text.contains("period=1000ms timeout=1000ms suspicion=5000ms missed=3"), text);
        JsonNode j = JSON.readTree(commands.policy(true));
        assertEquals("promote-backup", j.get("active").asText());
        assertEquals(5000, j.get("detector").get("suspicion_ms").asLong());
    }

    @Test
    void statusListsFailedThenSuspected() throws Exception {
        assertEquals("0 watched, 0 suspected, 0 failed\n", commands.status(false));
        hub.stateChanged(new WatchedNode("rb-east-1", "lb-001", NodeRole.LOCAL, "east", WatchRelation.CHILD,
                WatchState.SUSPECTED, Instant.EPOCH, 1));
        hub.stateChanged(new WatchedNode("rb-east-1", "lb-002", NodeRole.LOCAL, "east", WatchRelation.CHILD,
                WatchState.FAILED, Instant.EPOCH, 6));
        String text = commands.status(false);
        String[] lines = text.split("\n");
        assertEquals("2 watched, 1 suspected, 1 failed", lines[0]);
        assertTrue(lines[1].startsWith("STATE"), text);
        assertTrue(lines[2].startsWith("failed") && lines[2].contains("lb-002"), text);
        assertTrue(lines[3].startsWith("suspected") && lines[3].contains("lb-001"), text);
        JsonNode j = JSON.readTree(commands.status(true));
        assertEquals("lb-002", j.get("failed").get(0).get("node").asText());
        assertEquals(1, j.get("suspected").get(0).get("missed_probes").asInt());
    }
}
