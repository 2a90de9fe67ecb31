package io.cqkd.dht.tier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.HealthSummary;
import io.cqkd.dht.api.tier.WorkerRegistration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthAndJsonTest {
    @Test
    void summaryOverKnownNodes() {
        List<BootstrapNode> nodes = new ArrayList<>();
        nodes.add(AdmissionTest.node("sb-primary", NodeRole.SUPER, "", 100, 500, true));
        nodes.add(AdmissionTest.node("sb-secondary", NodeRole.SUPER, "", 400, 500, false));
        nodes.add(AdmissionTest.node("rb-east-1", NodeRole.REGIONAL, "east", 50, 250, true));
        nodes.add(AdmissionTest.node("rb-west-1", NodeRole.REGIONAL, "west", 0, 250, false));
        nodes.add(AdmissionTest.node("lb-001", NodeRole.LOCAL, "north", 25, 50, true));
        HealthSummary h = Health.summarize(nodes, 2);
        assertEquals(new HealthSummary(5, 3, 175, 800, 21.88, 2, 2), h);
        assertEquals(new HealthSummary(0, 0, 0, 0, 0.0, 0, 0), Health.summarize(List.of(), 0));
    }

    @Test
    void healthJsonHasExactlyTheSeedsKeys() throws Exception {
        String json = TierJson.health(new HealthSummary(44, 43, 1200, 6100, 19.67, 4, 1));
        JsonNode n = new ObjectMapper().readTree(json);
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("total_bootstrap_nodes", "healthy_nodes", "total_connections", "total_capacity",
                "utilization_percent", "regions_coverage", "failover_events"), keys);
        assertEquals(HealthSummary.JSON_KEYS, keys);
        assertEquals(19.67, n.get("utilization_percent").asDouble());
        assertEquals(1200, n.get("total_connections").asLong());
    }

    @Test
    void workerRegistrationKeyAndJson() throws Exception {
        String id = "a".repeat(40);
        WorkerRegistration w = new WorkerRegistration(id, "10.0.0.7", 7004, 1_700_000_000_000L);
        assertEquals("region:east:worker:" + id, w.key("east"));
        assertEquals("region:east:worker:" + id, WorkerRegistration.key("east", id));
        String json = TierJson.worker(w);
        assertEquals("{\"node_id\":\"" + id + "\",\"address\":\"10.0.0.7\",\"port\":7004,\"registered_at\":1700000000000}", json);
        assertEquals(w, TierJson.parseWorker(json));
        assertEquals(w, TierJson.parseWorker("{\"extra\":1," + json.substring(1)));
    }

    @Test
    void badWorkerJsonIsRejectedWithTheFieldNamed() {
        assertMessage("not json", "not JSON");
        assertMessage("[1]", "JSON object");
        assertMessage("{\"node_id\":\"x\",\"address\":\"h\",\"port\":\"7000\",\"registered_at\":1}", "'port'");
        assertMessage("{\"node_id\":\"x\",\"address\":\"h\",\"port\":70000,\"registered_at\":1}", "port out of range");
        assertMessage("{\"address\":\"h\",\"port\":7000,\"registered_at\":1}", "'node_id'");
        assertMessage("{\"node_id\":\"x\",\"address\":\"h\",\"port\":7000}", "'registered_at'");
        assertMessage("{\"node_id\":\"a:b\",\"address\":\"h\",\"port\":7000,\"registered_at\":1}", "without ':'");
        assertThrows(IllegalArgumentException.class, () -> WorkerRegistration.key("", "x"));
    }

    private static void assertMessage(String json, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TierJson.parseWorker(json));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
