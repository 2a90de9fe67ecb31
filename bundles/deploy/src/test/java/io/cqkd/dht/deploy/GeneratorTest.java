package io.cqkd.dht.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratorTest {
    @TempDir
    Path tmp;

    private static final String[] ALL = {"--workers", "100", "--format", "compose,swarm,k8s"};

    @Test
    void sameInputSameBytes() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, run(a, ALL));
        assertEquals(0, run(b, ALL));
        List<String> names = list(a);
        assertEquals(List.of("cqkd-local.yaml", "cqkd-regional.yaml", "cqkd-super.yaml", "cqkd-worker.yaml",
                "docker-compose.yml", "docker-stack.yml", "kustomization.yaml"), names);
        assertEquals(names, list(b));
        for (String n : names) {
            byte[] x = Files.readAllBytes(a.resolve(n));
            assertArrayEquals(x, Files.readAllBytes(b.resolve(n)), n);
            String text = new String(x, StandardCharsets.UTF_8);
            assertFalse(text.contains("\r"), n);
            assertFalse(text.matches("(?s).*20\\d\\d-\\d\\d-\\d\\d.*"), n + " has no timestamp");
        }
        // regenerating into the same directory replaces the files with identical ones
        byte[] before = Files.readAllBytes(a.resolve("docker-compose.yml"));
        assertEquals(0, run(a, ALL));
        assertArrayEquals(before, Files.readAllBytes(a.resolve("docker-compose.yml")));
        assertEquals(names, list(a), "no temporary directory left behind");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("a", "b"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--supers 0", "--supers 5", "--regionals 17", "--locals 65", "--workers 1001",
        "--supers 1", "--regions east,East", "--image Bad:Name", "--format helm", "--limits worker=1M",
        "--limits super=512M/0.5 --reservations super=1G", "--supers x", "--bogus 1", "--regions east,,west"})
    void invalidInputWritesNothing(String options) throws IOException {
        Path out = tmp.resolve("out");
        String[] args = Stream.concat(Stream.of(options.split(" ")), Stream.of("--out", out.toString()))
                .toArray(String[]::new);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = DeployMain.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), args);
        assertEquals(2, rc);
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.startsWith("cqkd-deploy: "), msg);
        assertEquals(1, msg.lines().count(), "one line: " + msg);
        assertFalse(Files.exists(out), "nothing written");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.count(), "no temporary directory either");
        }
    }

    @Test
    void invalidInputLeavesAnExistingDirectoryAlone() throws IOException {
        Path out = tmp.resolve("out");
        assertEquals(0, run(out, "--workers", "10"));
        byte[] before = Files.readAllBytes(out.resolve("docker-compose.yml"));
        assertEquals(2, run(out, "--workers", "10", "--supers", "9"));
        assertArrayEquals(before, Files.readAllBytes(out.resolve("docker-compose.yml")));
        assertEquals(List.of("docker-compose.yml"), list(out));
    }

    @Test
    void outMustBeADirectory() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertEquals(1, run(file, "--workers", "1"));
        assertEquals("x", Files.readString(file));
    }

    @Test
    void topologyFile() throws IOException {
        Path topo = Files.writeString(tmp.resolve("t.yaml"), String.join("\n",
                "supers: 2",
                "regionals: 8",
                "locals: 32",
                "workers: 64",
                "regions: [east, west]",
                "image: registry.example/cqkd:1.0",
                "resources:",
                "  super: {limits: {memory: 1G, cpus: 1}, reservations: {memory: 512M, cpus: 0.5}}",
                "  worker: {limits: {memory: 192M}}",
                ""));
        DeployRequest r = DeployOptions.request(TestSupport.opts("topology", topo.toString(), "out", "x", "format", "k8s"));
        Deployment d = Deployment.plan(r.spec());
        assertEquals(2 + 8 + 32, d.bootstrapNodes().size());
        assertEquals(64, d.workers().size());
        assertEquals(List.of("east", "west"), d.topology().regions());
        assertEquals(new ResourceSpec(1024, 1000, 512, 500), d.resources(NodeRole.SUPER));
        assertEquals(new ResourceSpec(192, 0, 128, 0), d.resources(NodeRole.WORKER));
        assertEquals(ResourceSpec.LOCAL_DEFAULT, d.resources(NodeRole.LOCAL));
        assertEquals(List.of(DeployFormat.K8S), r.formats());
        // same as the options
        DeployRequest o = DeployOptions.request(TestSupport.opts("supers", "2", "regionals", "8", "locals", "32",
                "workers", "64", "regions", "east,west", "image", "registry.example/cqkd:1.0",
                "limits", "super=1G/1,worker=192M", "reservations", "super=512M/0.5", "out", "x", "format", "k8s"));
        assertEquals(r, o);
    }

    @Test
    void topologyFileErrorsNameTheKey() throws IOException {
        Path topo = Files.writeString(tmp.resolve("t.yaml"), "supers: 2\nworkerz: 3\n");
        DeployException e = assertThrows(DeployException.class,
                () -> DeployOptions.request(TestSupport.opts("topology", topo.toString(), "out", "x")));
        assertTrue(e.getMessage().contains("unknown key 'workerz'"), e.getMessage());
        Path topo2 = Files.writeString(tmp.resolve("t2.yaml"), "supers: two\n");
        e = assertThrows(DeployException.class,
                () -> DeployOptions.request(TestSupport.opts("topology", topo2.toString(), "out", "x")));
        assertTrue(e.getMessage().contains("'supers' must be an integer"), e.getMessage());
        e = assertThrows(DeployException.class,
                () -> DeployOptions.request(TestSupport.opts("topology", topo.toString(), "supers", "3", "out", "x")));
        assertEquals("give --topology or --supers, not both", e.getMessage());
        e = assertThrows(DeployException.class,
                () -> DeployOptions.request(TestSupport.opts("topology", tmp.resolve("missing.yaml").toString(), "out", "x")));
        assertTrue(e.getMessage().startsWith("cannot read topology file"), e.getMessage());
    }

    @Test
    void resourceTexts() {
        assertEquals(512, ResourceSpec.parseMemoryMiB("m", "512M"));
        assertEquals(2048, ResourceSpec.parseMemoryMiB("m", "2Gi"));
        assertEquals(500, ResourceSpec.parseCpuMilli("c", "0.5"));
        assertEquals(250, ResourceSpec.parseCpuMilli("c", "250m"));
        assertEquals(2000, ResourceSpec.parseCpuMilli("c", "2"));
        assertEquals("0.25", ResourceSpec.cpus(250));
        assertEquals("2", ResourceSpec.cpus(2000));
        assertThrows(DeployException.class, () -> ResourceSpec.parseMemoryMiB("m", "512"));
        assertThrows(DeployException.class, () -> ResourceSpec.parseCpuMilli("c", "0"));
        assertThrows(DeployException.class, () -> ResourceSpec.parseCpuMilli("c", "0.0001"));
    }

    @Test
    void helpAndRequiredOut() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, DeployMain.run(new PrintStream(out), new PrintStream(new ByteArrayOutputStream()), "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: cqkd-deploy"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, DeployMain.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), "--workers", "3"));
        assertEquals("cqkd-deploy: --out DIR is required", err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void gogoCommandUsesTheSameGenerator() throws IOException {
        var cmd = new io.cqkd.dht.deploy.shell.DeployCommands();
        Path out = tmp.resolve("gogo");
        String text = cmd.generate("", "", "", "12", "", "", "", "", "", false, "swarm", out.toString());
        assertTrue(text.contains("12 workers"), text);
        Path cli = tmp.resolve("cli");
        assertEquals(0, run(cli, "--workers", "12", "--format", "swarm"));
        assertArrayEquals(Files.readAllBytes(cli.resolve("docker-stack.yml")), Files.readAllBytes(out.resolve("docker-stack.yml")));
        assertThrows(IllegalArgumentException.class,
                () -> cmd.generate("0", "", "", "", "", "", "", "", "", false, "", tmp.resolve("g2").toString()));
        assertFalse(Files.exists(tmp.resolve("g2")));
    }

    private static int run(Path out, String... args) {
        String[] all = Stream.concat(Stream.of(args), Stream.of("--out", out.toString())).toArray(String[]::new);
        return DeployMain.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), all);
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
