package io.cqkd.dht.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated files checked by the real tools, when installed ({@code .ci/setup} installs them):
 * {@code docker-compose config -q} (Debian package docker-compose) for the Compose file and the
 * Swarm stack, and the Kubernetes OpenAPI schema (npm kubernetes-models, offline) for the
 * manifests. Each check first shows that the tool rejects a broken file, so a pass means something.
 * A missing tool skips the test with the reason printed.
 */
class ExternalValidatorsTest {
    @TempDir
    Path tmp;

    @Test
    void dockerComposeAcceptsComposeAndStack() throws Exception {
        String tool = onPath("docker-compose");
        skipUnless(tool != null, "docker-compose not installed (run .ci/setup: apt-get install docker-compose)");
        for (Deployment d : List.of(TestSupport.seed(1000), TestSupport.largest(), TestSupport.small())) {
            Map<String, String> files = ManifestGenerator.render(d, List.of(DeployFormat.COMPOSE, DeployFormat.SWARM));
            Path dir = Files.createTempDirectory(tmp, "c");
            ManifestGenerator.write(dir, files);
            for (String f : files.keySet()) {
                Result r = exec(dir, tool, "-f", f, "config", "-q");
                assertEquals(0, r.rc, "docker-compose config -q " + f + " (" + d.summary() + "): " + r.output);
            }
        }
        Path broken = Files.writeString(tmp.resolve("broken.yml"),
                ComposeRenderer.compose(TestSupport.small()).replace("service_healthy", "service_happy"));
        Result r = exec(tmp, tool, "-f", broken.toString(), "config", "-q");
        assertNotEquals(0, r.rc, "docker-compose must reject a bad depends_on condition");
        assertTrue(r.output.contains("service_happy"), r.output);
    }

    @Test
    void kubernetesSchemaAcceptsManifests() throws Exception {
        String node = onPath("node");
        Path dir = TestSupport.repoRoot().resolve("bundles/deploy/src/test/k8s-schema");
        skipUnless(node != null, "node not installed: Kubernetes schema validation skipped");
        skipUnless(Files.isDirectory(dir.resolve("node_modules/kubernetes-models")),
                "kubernetes-models not installed in " + dir + " (run .ci/setup: npm ci there)");
        for (Deployment d : List.of(TestSupport.seed(1000), TestSupport.largest(), TestSupport.small(), TestSupport.seed(0))) {
            Path out = Files.createTempDirectory(tmp, "k");
            Map<String, String> files = KubernetesRenderer.render(d);
            ManifestGenerator.write(out, files);
            List<String> cmd = new ArrayList<>(List.of(node, dir.resolve("validate.mjs").toString()));
            files.keySet().forEach(f -> cmd.add(out.resolve(f).toString()));
            Result r = exec(dir, cmd.toArray(String[]::new));
            assertEquals(0, r.rc, d.summary() + ":\n" + r.output);
            long docs = r.output.lines().filter(l -> l.startsWith("ok ")).count();
            assertEquals(d.workers().isEmpty() ? 3 * 3 + 1 : 3 * 3 + 2 + 1, docs, r.output);
        }
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), KubernetesRenderer.render(TestSupport.small())
                .get("cqkd-super.yaml").replace("protocol: \"UDP\"", "protocol: \"UPD\""));
        Result r = exec(dir, node, dir.resolve("validate.mjs").toString(), broken.toString());
        assertNotEquals(0, r.rc, "the schema check must reject a bad protocol: " + r.output);
        assertTrue(r.output.contains("INVALID"), r.output);
    }

    private record Result(int rc, String output) {
    }

    private static Result exec(Path dir, String... cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile("cqkd-deploy-tool", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static void skipUnless(boolean ok, String reason) {
        if (!ok) {
            System.out.println("SKIPPED: " + reason);
        }
        Assumptions.assumeTrue(ok, reason);
    }
}
