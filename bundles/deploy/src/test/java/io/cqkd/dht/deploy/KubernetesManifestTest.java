package io.cqkd.dht.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.TierEnvironment;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Parses the generated Kubernetes manifests back and checks them as a whole. */
class KubernetesManifestTest {

    static Stream<Deployment> deployments() {
        return ComposeManifestTest.deployments();
    }

    @ParameterizedTest
    @MethodSource("deployments")
    void manifestsAreConsistent(Deployment d) {
        Map<String, String> files = KubernetesRenderer.render(d);
        Map<String, JsonNode> objects = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (f.getKey().equals(KubernetesRenderer.KUSTOMIZATION)) {
                JsonNode k = TestSupport.yaml(f.getValue());
                List<String> listed = new java.util.ArrayList<>();
                k.get("resources").forEach(r -> listed.add(r.asText()));
                assertEquals(files.keySet().stream().filter(n -> !n.equals(KubernetesRenderer.KUSTOMIZATION)).toList(),
                        listed);
                continue;
            }
            for (JsonNode o : TestSupport.yamlDocuments(f.getValue())) {
                objects.put(o.get("kind").asText() + "/" + o.at("/metadata/name").asText(), o);
            }
        }
        // pod DNS name -> DHT_PORT, from every bootstrap pod's per-ordinal settings
        Map<String, Integer> podPorts = new HashMap<>();
        for (NodeRole level : List.of(NodeRole.SUPER, NodeRole.REGIONAL, NodeRole.LOCAL)) {
            String name = "cqkd-" + level.configName();
            JsonNode set = objects.get("StatefulSet/" + name);
            JsonNode svc = objects.get("Service/" + name);
            JsonNode cm = objects.get("ConfigMap/" + name + "-env");
            assertNotNull(set);
            assertNotNull(svc);
            assertNotNull(cm);
            int replicas = set.at("/spec/replicas").asInt();
            assertEquals(d.topology().level(level).size(), replicas, "replicas match the count");
            assertEquals(name, set.at("/spec/serviceName").asText());
            assertEquals("None", svc.at("/spec/clusterIP").asText());
            assertTrue(svc.at("/spec/publishNotReadyAddresses").asBoolean());
            assertEquals(set.at("/spec/selector/matchLabels"), svc.at("/spec/selector"));
            assertEquals(replicas, cm.get("data").size(), "one settings file per ordinal");
            JsonNode c = set.at("/spec/template/spec/containers/0");
            checkContainer(c);
            Set<Integer> declared = new HashSet<>();
            for (JsonNode p : c.get("ports")) {
                assertEquals("UDP", p.get("protocol").asText());
                assertTrue(declared.add(p.get("containerPort").asInt()), "ports unique per pod");
            }
            for (int i = 0; i < replicas; i++) {
                Map<String, String> env = envFile(cm.at("/data/" + i + ".env").asText());
                TierEnvironment.parse(env);
                assertEquals(level.configName(), env.get("BOOTSTRAP_LEVEL"));
                int port = Integer.parseInt(env.get("DHT_PORT"));
                assertTrue(declared.contains(port), "the pod's port is declared");
                assertEquals(d.topology().level(level).get(i).name(), env.get("NODE_ID"), "ordinal i is the i-th node");
                podPorts.put(name + "-" + i + "." + name, port);
            }
            assertTrue(c.get("command").get(2).asText().contains("${POD_NAME##*-}.env"));
        }
        for (JsonNode cm : objects.values()) {
            if (!cm.get("kind").asText().equals("ConfigMap")) {
                continue;
            }
            cm.get("data").forEach(f -> {
                String nodes = envFile(f.asText()).get("BOOTSTRAP_NODES");
                if (nodes != null) {
                    checkBootstrapList(nodes, podPorts);
                }
            });
        }
        if (!d.workers().isEmpty()) {
            JsonNode set = objects.get("StatefulSet/cqkd-worker");
            assertNotNull(objects.get("Service/cqkd-worker"));
            assertEquals(d.workers().size(), set.at("/spec/replicas").asInt());
            assertEquals("Parallel", set.at("/spec/podManagementPolicy").asText());
            JsonNode c = set.at("/spec/template/spec/containers/0");
            checkContainer(c);
            Map<String, String> env = new HashMap<>();
            c.get("env").forEach(e -> env.put(e.get("name").asText(), e.has("value") ? e.get("value").asText() : null));
            assertFalse(env.containsKey("DHT_PORT"), "the port comes from the slot strategy");
            checkBootstrapList(env.get("BOOTSTRAP_NODES"), podPorts);
        } else {
            assertFalse(files.containsKey("cqkd-worker.yaml"));
        }
    }

    private static void checkContainer(JsonNode c) {
        assertEquals("metadata.name", c.at("/env/0/valueFrom/fieldRef/fieldPath").asText());
        assertEquals("POD_NAME", c.at("/env/0/name").asText());
        assertEquals(ContainerLayout.HEALTH_COMMAND, c.at("/readinessProbe/exec/command/0").asText());
        assertEquals(ContainerLayout.HEALTH_COMMAND, c.at("/livenessProbe/exec/command/0").asText());
        assertTrue(c.at("/resources/limits/memory").asText().endsWith("Mi"));
        assertTrue(c.at("/resources/requests/memory").asText().endsWith("Mi"));
    }

    private static void checkBootstrapList(String nodes, Map<String, Integer> podPorts) {
        String[] entries = nodes.split(",");
        assertTrue(entries.length <= TierEnvironment.MAX_BOOTSTRAP_NODES);
        for (String entry : entries) {
            String host = entry.substring(0, entry.indexOf(':'));
            assertEquals(podPorts.get(host), Integer.valueOf(entry.substring(entry.indexOf(':') + 1)),
                    entry + " names an existing pod and its port");
        }
    }

    private static Map<String, String> envFile(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                assertTrue(line.matches("[A-Z_]+=[A-Za-z0-9.:,_-]+"), "shell-safe KEY=value: " + line);
                m.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return m;
    }
}
