package io.cqkd.dht.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    @Test
    void defaultsAreThePeersWorkload() {
        BenchOptions o = BenchOptions.parse();
        assertEquals(1000, o.nodes());
        assertEquals(Topology.FLAT, o.topology());
        assertEquals(2, o.seeds());
        assertEquals(200, o.puts());
        assertEquals(200, o.gets());
        assertEquals(50, o.batchSize());
        assertEquals(200, o.batchIntervalMs());
        assertEquals(10, o.inflight());
        assertEquals(30, o.opTimeoutS());
        assertEquals(120, o.joinTimeoutS());
    }

    @Test
    void aNetworkWithFewerThanTwoJoinersIsRefusedWithTheSmallestThatWorks() {
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> NetworkPlan.of(BenchOptions.parse("--nodes", "3", "--seeds", "2")));
        assertTrue(flat.getMessage().contains("leaves 1 joiner(s)") && flat.getMessage().contains("--nodes 4 or more"),
                flat.getMessage());
        IllegalArgumentException tiered = assertThrows(IllegalArgumentException.class,
                () -> NetworkPlan.of(BenchOptions.parse("--nodes", "45", "--topology", "three-level")));
        assertTrue(tiered.getMessage().contains("44 bootstrap node(s)"), tiered.getMessage());
        assertEquals(2, NetworkPlan.of(BenchOptions.parse("--nodes", "4", "--seeds", "2")).bootstrapNodes().size());
    }

    @Test
    void parsesEveryOptionInBothForms() {
        BenchOptions o = BenchOptions.parse("--nodes", "30", "--topology=flat", "--seeds", "3", "--puts", "5", "--gets=6",
                "--lookups", "7", "--json", "out/r.json", "--seed-random", "9", "--threads", "1", "--k", "8",
                "--batch-size", "10", "--batch-interval-ms", "50", "--join-timeout-s", "20", "--phase-timeout-s", "15",
                "--op-timeout-s", "5", "--inflight", "4", "--no-progress");
        assertEquals(30, o.nodes());
        assertEquals(3, o.seeds());
        assertEquals(6, o.gets());
        assertEquals(Path.of("out/r.json"), o.json());
        assertEquals(9, o.seedRandom());
        assertEquals(8, o.k());
        assertEquals(50, o.batchIntervalMs());
        assertEquals(4, o.inflight());
        assertEquals(false, o.progress());
    }

    @Test
    void helpReturnsNull() {
        assertNull(BenchOptions.parse("--help"));
    }

    @Test
    void refusesNonsenseWithOneLine() {
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--nodes", "0"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--nodes", "x"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--seeds", "5", "--nodes", "4"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--bogus", "1"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--nodes"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--topology", "ring"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--puts", "0"));
    }

    @Test
    void parsesTheTieredTopologies() {
        assertEquals(Topology.TWO_LEVEL, BenchOptions.parse("--topology", "two-level").topology());
        assertEquals(Topology.THREE_LEVEL, BenchOptions.parse("--topology=Three-Level").topology());
    }

    @Test
    void twoLevelWithTooFewNodesSaysSoInOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int rc = Main.run(new String[] {"--topology", "two-level", "--nodes", "12"},
                new PrintStream(new ByteArrayOutputStream()), e);
        assertEquals(2, rc);
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.startsWith("cqkd-bench: --topology two-level needs more than 12 nodes"), msg);
        assertEquals(1, msg.strip().lines().count(), "one line: " + msg);
    }

    @Test
    void invalidOptionsExitWith2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.run(new String[] {"--k", "99"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--k must be 1..64"));
    }
}
