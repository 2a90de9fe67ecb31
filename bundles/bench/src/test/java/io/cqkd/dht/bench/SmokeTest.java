package io.cqkd.dht.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the command works end to end: 30 real nodes on loopback UDP, flat, a few seconds. Not a
 * benchmark: only the report's shape and the success of every operation are asserted.
 */
class SmokeTest {
    @Test
    @Timeout(120)
    void thirtyNodesFlatJoinPutGetLookup(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("smoke.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"--nodes", "30", "--seeds", "2", "--puts", "10", "--gets", "10", "--lookups", "10",
                "--batch-size", "10", "--batch-interval-ms", "100", "--join-timeout-s", "60", "--phase-timeout-s", "60",
                "--threads", "1", "--no-progress", "--json", json.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, "stdout: " + stdout + "\nstderr: " + err.toString(StandardCharsets.UTF_8));
        assertTrue(stdout.startsWith("cqkd-bench: 30 nodes, topology flat"), stdout);

        JsonNode j = new ObjectMapper().readTree(json.toFile());
        ReportTest.assertShape(j);
        assertEquals(30, j.get("nodes").asInt());
        assertEquals("flat", j.get("topology").asText());
        assertEquals(2, j.get("bootstrap_nodes").asInt());
        assertEquals(30, j.at("/join/ready").asInt(), stdout);
        assertEquals(0, j.at("/join/not_ready").asInt(), stdout);
        assertEquals(10, j.at("/puts/ok").asInt(), stdout);
        assertEquals(10, j.at("/gets/ok").asInt(), stdout);
        assertEquals(10, j.at("/lookups/count").asInt(), stdout);
        assertTrue(j.at("/bootstrap_load/max_inbound_datagrams").asLong() > 0, "seed counters were read");
        assertTrue(j.at("/puts/inbound_by_type/store").asLong() >= 10, "every put stored somewhere: " + j.at("/puts"));
        assertTrue(j.at("/gets/inbound_by_type/find_value").asLong() > 0, "the gets' requests: " + j.at("/gets"));
        assertTrue(j.get("cpu_s").asDouble() > 0);
        assertTrue(j.get("peak_rss_mb").asDouble() > 0);
    }

    @Test
    @Timeout(120)
    void fortyNodesTwoLevelEveryWorkerAdmittedByARegional(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("two.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"--nodes", "40", "--topology", "two-level", "--puts", "5", "--gets", "5",
                "--lookups", "5", "--batch-size", "10", "--batch-interval-ms", "100", "--join-timeout-s", "60",
                "--phase-timeout-s", "60", "--threads", "1", "--no-progress", "--json", json.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, "stdout: " + stdout + "\nstderr: " + err.toString(StandardCharsets.UTF_8));
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        ReportTest.assertShape(j);
        assertEquals("two-level", j.get("topology").asText());
        assertEquals(12, j.get("bootstrap_nodes").asInt());
        assertEquals(40, j.at("/join/ready").asInt(), stdout);
        assertEquals(0, j.at("/bootstrap_load/over_capacity_events").asLong(), stdout);
        assertTrue(j.at("/bootstrap_load/max_sessions_peak").asLong() >= 3, "28 workers admitted over 8 regionals: " + stdout);
    }
}
