package io.cqkd.dht.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@code distribution/Dockerfile} checked structurally (no Docker engine here): instructions parsed
 * with line continuations, the final stage's user, health check, entry point, exposed ports and
 * paths agree with what the generated manifests expect ({@link ContainerLayout}).
 */
class DockerfileTest {
    record Instruction(String keyword, String args) {
    }

    static List<Instruction> parse(String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (cur.length() == 0 && (t.isEmpty() || t.startsWith("#"))) {
                continue;
            }
            if (cur.length() > 0 && t.startsWith("#")) {
                continue;
            }
            if (t.endsWith("\\")) {
                cur.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            cur.append(t);
            String full = cur.toString().strip();
            cur.setLength(0);
            int sp = full.indexOf(' ');
            out.add(new Instruction(full.substring(0, sp).toUpperCase(Locale.ROOT), full.substring(sp + 1).strip()));
        }
        assertEquals(0, cur.length(), "dangling line continuation");
        return out;
    }

    @Test
    void dockerfileIsSmallNonRootAndHealthChecked() throws IOException {
        List<Instruction> all = parse(Files.readString(TestSupport.repoRoot().resolve("distribution/Dockerfile")));
        for (Instruction i : all) {
            assertTrue(List.of("ARG", "FROM", "COPY", "RUN", "WORKDIR", "ENV", "EXPOSE", "USER", "HEALTHCHECK",
                    "ENTRYPOINT", "CMD").contains(i.keyword()), "known instruction: " + i);
            assertFalse(i.keyword().equals("ADD"), "COPY, not ADD");
        }
        int lastFrom = -1;
        for (int k = 0; k < all.size(); k++) {
            if (all.get(k).keyword().equals("FROM")) {
                lastFrom = k;
            }
        }
        List<Instruction> fin = all.subList(lastFrom, all.size());
        assertEquals("eclipse-temurin:17-jre", fin.get(0).args(), "a JRE base, not a JDK");
        Instruction user = last(fin, "USER");
        assertNotNull(user, "USER in the final stage");
        String uid = user.args().split(":")[0];
        assertTrue(uid.matches("\\d+"), "numeric user (Kubernetes runAsNonRoot): " + uid);
        assertFalse(uid.equals("0"), "not root");
        assertEquals(Long.toString(KubernetesRenderer.RUN_AS), uid, "the manifests' runAsUser");
        assertEquals("[\"" + ContainerLayout.LAUNCHER + "\"]", last(fin, "ENTRYPOINT").args());
        assertEquals(ContainerLayout.HOME, last(fin, "WORKDIR").args());
        Instruction hc = last(fin, "HEALTHCHECK");
        assertNotNull(hc);
        assertTrue(hc.args().endsWith("CMD [\"" + ContainerLayout.HEALTH_COMMAND + "\"]"), hc.args());
        assertTrue(hc.args().contains("--timeout=" + ContainerLayout.HEALTH_TIMEOUT_SECONDS + "s"), hc.args());
        Instruction copy = last(fin, "COPY");
        assertTrue(copy.args().contains("--chown=" + uid + ":"), "files owned by the container user: " + copy);
        assertTrue(copy.args().endsWith(ContainerLayout.HOME + " " + ContainerLayout.HOME), copy.args());
        String expose = last(fin, "EXPOSE").args();
        for (String range : List.of("5678-5761/udp", "7000-7999/udp")) {
            assertTrue(expose.contains(range), "EXPOSE " + range + ": " + expose);
        }
        // the unpack stage replaces the demo network with one environment-configured node
        String unpack = all.subList(0, lastFrom).stream().map(Instruction::args).reduce("", String::concat);
        assertTrue(unpack.contains("useEnvironment=true"), "container node reads the seed environment");
        assertTrue(unpack.contains("allocator.target=(strategy=slot)"), "slot strategy for Swarm and Kubernetes");
        assertTrue(unpack.contains("rm -f /opt/cqkd/config/io.cqkd.dht.node-*.cfg"), "no embedded demo network");
    }

    @Test
    void binScriptRunsTheGenerator() throws IOException {
        Path script = TestSupport.repoRoot().resolve("distribution/src/main/dist/bin/cqkd-deploy");
        assertTrue(Files.isExecutable(script));
        String text = Files.readString(script);
        assertTrue(text.startsWith("#!/usr/bin/env bash\n"));
        assertTrue(text.contains(DeployMain.class.getName()));
        assertFalse(text.contains("\r"));
    }

    private static Instruction last(List<Instruction> list, String keyword) {
        Instruction found = null;
        for (Instruction i : list) {
            if (i.keyword().equals(keyword)) {
                found = i;
            }
        }
        return found;
    }
}
