package io.cqkd.dht.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parsing generated files back, and small fixtures. */
final class TestSupport {
    static final YAMLMapper YAML = new YAMLMapper();

    private TestSupport() {
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> yamlDocuments(String text) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            List<JsonNode> out = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    out.add(n);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The seed's deployment with {@code workers} workers. */
    static Deployment seed(int workers) {
        DeploymentSpec s = DeploymentSpec.seed();
        return Deployment.plan(s.withCounts(s.supers(), s.regionals(), s.locals(), workers));
    }

    /** The largest deployment the port ranges allow. */
    static Deployment largest() {
        DeploymentSpec s = DeploymentSpec.seed();
        return Deployment.plan(s.withCounts(4, 16, 64, 1000));
    }

    /** A small one, below the seed's minimums (needs --force). */
    static Deployment small() {
        return Deployment.plan(DeploymentSpec.seed().withCounts(1, 2, 3, 7).withRegions(List.of("east", "west"))
                .withForce(true));
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("cqkd.repo.root", "../..")).toAbsolutePath().normalize();
    }

    static Map<String, String> opts(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
