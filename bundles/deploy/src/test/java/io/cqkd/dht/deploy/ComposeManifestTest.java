package io.cqkd.dht.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.TierConfig;
import io.cqkd.dht.tier.model.TierEnvironment;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Parses the generated Compose and Swarm files back and checks them as a whole. */
class ComposeManifestTest {

    static Stream<Deployment> deployments() {
        return Stream.of(TestSupport.seed(1000), TestSupport.largest(), TestSupport.small(), TestSupport.seed(0));
    }

    @ParameterizedTest
    @MethodSource("deployments")
    void composeFileIsConsistent(Deployment d) {
        JsonNode services = TestSupport.yaml(ComposeRenderer.compose(d)).get("services");
        assertEquals(d.bootstrapNodes().size() + d.workers().size(), services.size(), "one service per node");

        Set<Integer> published = new HashSet<>();
        Map<String, Integer> portOf = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode s = e.getValue();
            assertEquals(d.image(), s.get("image").asText());
            assertEquals(1, s.get("ports").size());
            String mapping = s.get("ports").get(0).asText();
            assertTrue(mapping.matches("\\d+:\\d+/udp"), mapping);
            int port = Integer.parseInt(mapping.substring(0, mapping.indexOf(':')));
            assertEquals(mapping, port + ":" + port + "/udp");
            assertTrue(published.add(port), "published port " + port + " used twice on the host");
            assertEquals(port, s.get("environment").get("DHT_PORT").asInt(), e.getKey());
            portOf.put(e.getKey(), port);
            assertEquals(List.of("CMD", ContainerLayout.HEALTH_COMMAND),
                    List.of(s.get("healthcheck").get("test").get(0).asText(), s.get("healthcheck").get("test").get(1).asText()));
            assertNotNull(s.at("/deploy/resources/limits/memory").textValue());
            assertNotNull(s.at("/deploy/resources/reservations/memory").textValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode env = e.getValue().get("environment");
            Map<String, String> envMap = new HashMap<>();
            env.fields().forEachRemaining(f -> envMap.put(f.getKey(), f.getValue().asText()));
            // the runtime's own parser accepts every container's environment
            TierConfig cfg = TierEnvironment.parse(envMap);
            if (env.has("BOOTSTRAP_NODES")) {
                for (String entry : env.get("BOOTSTRAP_NODES").asText().split(",")) {
                    String host = entry.substring(0, entry.indexOf(':'));
                    int port = Integer.parseInt(entry.substring(entry.indexOf(':') + 1));
                    assertEquals(port, portOf.get(host), e.getKey() + ": " + entry + " names an existing service and its port");
                }
            }
            JsonNode deps = e.getValue().get("depends_on");
            if (cfg.level() == NodeRole.SUPER && cfg.bootstrapNodes().isEmpty()) {
                assertNull(deps, "the first super depends on nobody");
                continue;
            }
            assertNotNull(deps, e.getKey() + " has depends_on");
            for (Iterator<Map.Entry<String, JsonNode>> dep = deps.fields(); dep.hasNext(); ) {
                Map.Entry<String, JsonNode> x = dep.next();
                assertTrue(services.has(x.getKey()), x.getKey());
                assertEquals("service_healthy", x.getValue().get("condition").asText());
                String parentLevel = services.get(x.getKey()).get("environment").get("BOOTSTRAP_LEVEL").asText();
                String expected = switch (cfg.level()) {
                    case SUPER -> "super";
                    case REGIONAL -> "super";
                    case LOCAL -> "regional";
                    default -> "local";
                };
                assertEquals(expected, parentLevel, e.getKey() + " depends on its tier parent");
                assertTrue(env.get("BOOTSTRAP_NODES").asText().contains(x.getKey() + ":"), "depends on whom it joins");
            }
        }
        for (Deployment.Worker w : d.workers()) {
            JsonNode env = services.get(w.name()).get("environment");
            assertEquals(Integer.toString(7000 + w.id() - 1), env.get("DHT_PORT").asText());
            assertEquals(Integer.toString(w.id()), env.get("WORKER_ID").asText());
            assertEquals(w.local().name() + ":" + w.local().port(), env.get("BOOTSTRAP_NODES").asText());
            assertFalse(env.has("BOOTSTRAP_LEVEL"), "the core accepts only bootstrap levels there");
        }
        long supers = count(services, "super");
        assertEquals(d.topology().level(NodeRole.SUPER).size(), supers);
        assertEquals(d.topology().level(NodeRole.REGIONAL).size(), count(services, "regional"));
        assertEquals(d.topology().level(NodeRole.LOCAL).size(), count(services, "local"));
    }

    @ParameterizedTest
    @MethodSource("deployments")
    void swarmStackIsConsistent(Deployment d) {
        JsonNode doc = TestSupport.yaml(ComposeRenderer.swarm(d));
        assertEquals("3.8", doc.get("version").asText());
        JsonNode services = doc.get("services");
        assertEquals(d.bootstrapNodes().size() + (d.workers().isEmpty() ? 0 : 1), services.size());
        Set<Integer> published = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode s = e.getValue();
            assertEquals("dnsrr", s.at("/deploy/endpoint_mode").asText(), e.getKey());
            assertNull(s.get("depends_on"), "the stack format has no health conditions");
            assertNull(s.get("container_name"), "swarm ignores container_name");
            assertEquals(ContainerLayout.HEALTH_COMMAND, s.at("/healthcheck/test/1").asText());
            if (s.has("ports")) {
                for (JsonNode p : s.get("ports")) {
                    assertEquals("host", p.get("mode").asText());
                    assertEquals("udp", p.get("protocol").asText());
                    assertTrue(published.add(p.get("published").asInt()), "published port unique per host");
                    assertEquals(s.at("/environment/DHT_PORT").asInt(), p.get("published").asInt());
                }
            }
        }
        if (!d.workers().isEmpty()) {
            JsonNode w = services.get(ComposeRenderer.SWARM_WORKER_SERVICE);
            assertEquals(d.workers().size(), w.at("/deploy/replicas").asInt());
            assertEquals("{{.Task.Slot}}", w.at("/environment/TASK_SLOT").asText());
            assertFalse(w.get("environment").has("DHT_PORT"), "the port comes from the slot strategy");
            assertFalse(w.has("ports"));
            for (String entry : w.at("/environment/BOOTSTRAP_NODES").asText().split(",")) {
                String host = entry.substring(0, entry.indexOf(':'));
                assertEquals("local", services.get(host).at("/environment/BOOTSTRAP_LEVEL").asText());
                assertEquals(entry.substring(entry.indexOf(':') + 1), services.get(host).at("/environment/DHT_PORT").asText());
            }
        }
    }

    private static long count(JsonNode services, String level) {
        long n = 0;
        for (JsonNode s : services) {
            if (level.equals(s.at("/environment/BOOTSTRAP_LEVEL").asText())) {
                n++;
            }
        }
        return n;
    }
}
