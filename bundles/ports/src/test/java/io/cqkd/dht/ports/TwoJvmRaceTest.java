package io.cqkd.dht.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two containers on one host start at the same moment with the same WORKER_IDs: two JVMs, each
 * allocating 200 worker ports through real UDP bind-and-hold on 127.0.0.1 in the same range. No
 * port may end up in both, and all 400 allocations must succeed, without backoff.
 */
class TwoJvmRaceTest {
    private static final int PER_JVM = 200;
    private static final int RANGE_SIZE = 500;

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "random"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoJvmsSameWorkerIdsNeverShareAPort(String strategy) throws Exception {
        int first = findFreeRange(RANGE_SIZE);
        int last = first + RANGE_SIZE - 1;
        List<Jvm> jvms = List.of(new Jvm(first, last, strategy), new Jvm(first, last, strategy));
        try {
            for (Jvm jvm : jvms) {
                jvm.expect("READY");
            }
            long start = System.nanoTime();
            for (Jvm jvm : jvms) {
                jvm.send("GO");
            }
            for (Jvm jvm : jvms) {
                jvm.collect();
            }
            long wallMillis = (System.nanoTime() - start) / 1_000_000;

            Set<Integer> a = new HashSet<>(jvms.get(0).ports);
            Set<Integer> b = new HashSet<>(jvms.get(1).ports);
            System.out.printf("race %s range %d-%d: jvm A %d ok in %d us (%d binds lost to B), "
                    + "jvm B %d ok in %d us (%d binds lost to A), wall %d ms%n", strategy, first, last, a.size(),
                    jvms.get(0).micros, jvms.get(0).collisions, b.size(), jvms.get(1).micros, jvms.get(1).collisions,
                    wallMillis);
            assertEquals(List.of(), jvms.get(0).failures);
            assertEquals(List.of(), jvms.get(1).failures);
            assertEquals(PER_JVM, jvms.get(0).ports.size());
            assertEquals(PER_JVM, jvms.get(1).ports.size());
            assertEquals(PER_JVM, a.size(), "a JVM got a port twice");
            assertEquals(PER_JVM, b.size(), "a JVM got a port twice");
            Set<Integer> both = new HashSet<>(a);
            both.retainAll(b);
            assertEquals(Set.of(), both, "ports allocated in both JVMs");
            Set<Integer> all = new HashSet<>(a);
            all.addAll(b);
            assertEquals(2 * PER_JVM, all.size());
            assertTrue(all.stream().allMatch(p -> p >= first && p <= last), "ports outside the range");
        } finally {
            for (Jvm jvm : jvms) {
                jvm.close();
            }
        }
    }

    /** A range of {@code size} ports, all bindable on 127.0.0.1 right now, below the ephemeral range. */
    private static int findFreeRange(int size) throws IOException {
        int low = 20_000;
        int high = 32_000 - size;
        for (int attempt = 0; attempt < 20; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(low, high);
            boolean free = true;
            for (int p = first; p < first + size && free; p++) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(new InetSocketAddress("127.0.0.1", p));
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IOException("no free range of " + size + " UDP ports found on 127.0.0.1 in " + low + "-" + high);
    }

    /** One child JVM running {@link RaceMain}. */
    private static final class Jvm implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final OutputStream in;
        final List<Integer> ports = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        long micros;
        int collisions;

        Jvm(int first, int last, String strategy) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            process = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", cp,
                    RaceMain.class.getName(), Integer.toString(first), Integer.toString(last),
                    Integer.toString(PER_JVM), strategy)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = process.getOutputStream();
        }

        void expect(String line) throws IOException {
            String got = out.readLine();
            if (!line.equals(got)) {
                throw new IOException("child said '" + got + "', expected " + line);
            }
        }

        void send(String line) throws IOException {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        void collect() throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                String[] parts = line.split(" ", 3);
                switch (parts[0]) {
                    case "PORT" -> ports.add(Integer.parseInt(parts[2]));
                    case "FAIL" -> failures.add(line);
                    case "DONE" -> {
                        micros = Long.parseLong(line.split(" ")[3]);
                        collisions = Integer.parseInt(line.split(" ")[4]);
                        return;
                    }
                    default -> throw new IOException("unexpected line from child: " + line);
                }
            }
            throw new IOException("child ended before DONE, exit " + process.exitValue());
        }

        @Override
        public void close() throws Exception {
            try {
                send("EXIT");
                in.close();
            } catch (IOException ignored) {
                // the child is already gone; waitFor/destroy below handle it
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("race child did not exit");
            }
        }
    }
}
