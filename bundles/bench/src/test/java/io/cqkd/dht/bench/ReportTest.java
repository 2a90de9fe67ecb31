package io.cqkd.dht.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    /** The keys issue 6 requires, as paths. */
    static final List<String> REQUIRED = List.of("nodes", "topology", "bootstrap_nodes",
            "join/wall_s", "join/ready", "join/not_ready", "join/node_ready_ms_p50", "join/node_ready_ms_p99",
            "bootstrap_load/max_inbound_datagrams", "bootstrap_load/mean_inbound_datagrams",
            "bootstrap_load/max_sessions_peak", "bootstrap_load/over_capacity_events",
            "puts/ok", "puts/ms_p50", "puts/ms_p99", "gets/ok", "gets/ms_p50", "gets/ms_p99",
            "lookups/count", "lookups/correct", "lookups/hops_p50", "lookups/ms_p50", "lookups/ms_p99",
            "cpu_s", "peak_rss_mb", "heap_used_mb_per_1000_nodes", "jvm", "cores");

    static void assertShape(JsonNode j) {
        for (String path : REQUIRED) {
            JsonNode n = j;
            for (String part : path.split("/")) {
                assertTrue(n.has(part), "missing key " + path + " in " + j);
                n = n.get(part);
            }
        }
    }

    static Results sample() {
        Results r = new Results();
        r.nodes = 10;
        r.topology = "flat";
        r.bootstrapNodes = 2;
        r.k = 20;
        r.readyThreshold = 10;
        r.joinWallS = 1.23456;
        r.ready = 10;
        r.nodeReadyMs.add(5);
        r.nodeReadyMs.add(15);
        r.bootstrapInboundJoin.addAll(List.of(100L, 60L));
        r.bootstrapInboundOps.addAll(List.of(10L, 20L));
        r.puts.attempted = 3;
        r.puts.ok = 3;
        r.puts.ms.add(2);
        r.gets.attempted = 3;
        r.gets.ok = 2;
        r.gets.failTimeout = 1;
        r.gets.ms.add(1);
        r.lookups.attempted = 4;
        r.lookupsCorrect = 4;
        r.lookupHops.add(2);
        r.cpuS = 1.5;
        r.peakRssMb = 99;
        r.jvm = "test";
        r.cores = 2;
        return r;
    }

    @Test
    void jsonHasEveryRequiredKeyAndTheFigures() {
        JsonNode j = Report.toJson(sample());
        assertShape(j);
        assertEquals(1.235, j.at("/join/wall_s").asDouble(), 1e-9, "rounded to ms");
        assertEquals(110, j.at("/bootstrap_load/max_inbound_datagrams").asLong(), "join + ops of the busiest");
        assertEquals(95.0, j.at("/bootstrap_load/mean_inbound_datagrams").asDouble(), 1e-9);
        assertTrue(j.at("/bootstrap_load/max_sessions_peak").isNull(), "flat seeds have no sessions");
        assertEquals(2, j.at("/gets/ok").asInt());
        assertEquals(1, j.at("/gets/fail_timeout").asInt());
        assertEquals(4, j.at("/lookups/count").asInt());
        assertEquals(15.0, j.at("/join/node_ready_ms_p99").asDouble(), 1e-9);
    }

    @Test
    void missingFiguresAreNullNotNaN() {
        JsonNode j = Report.toJson(new Results());
        assertShape(j);
        assertTrue(j.at("/join/wall_s").isNull());
        assertTrue(j.at("/puts/ms_p50").isNull());
        assertTrue(j.at("/cpu_s").isNull());
    }

    @Test
    void writesAFileThatParsesBack(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sub/report.json");
        Report.write(sample(), f);
        assertShape(new ObjectMapper().readTree(Files.readString(f)));
    }

    @Test
    void textSummaryHasOneLinePerSection() {
        String t = Report.text(sample());
        assertTrue(t.contains("join     wall 1.23 s"), t);
        assertTrue(t.contains("get      2/3 ok (timeout 1"), t);
        assertTrue(t.contains("lookup   4/4 correct"), t);
        assertTrue(t.contains("inbound datagrams join [100, 60] = 160, ops 30"), t);
    }
}
