package io.cqkd.dht.tier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChildLoadTableTest {
    static LoadReport report(String name, NodeRole level, String region, int active, int capacity, boolean healthy) {
        return new LoadReport(name, Optional.empty(), level, region, "parent",
                InetSocketAddress.createUnresolved("127.0.0.1", 5700), active, capacity, healthy);
    }

    static List<String> names(List<BootstrapNode> nodes) {
        return nodes.stream().map(BootstrapNode::name).toList();
    }

    @Test
    void leastLoadedHealthyChildrenOfALevelAndRegion() {
        ChildLoadTable t = new ChildLoadTable(10_000, 3);
        t.record(report("lb-001", NodeRole.LOCAL, "east", 40, 50, true), 0);
        t.record(report("lb-002", NodeRole.LOCAL, "east", 10, 50, true), 0);
        t.record(report("lb-003", NodeRole.LOCAL, "east", 5, 50, false), 0);   // says unhealthy
        t.record(report("lb-004", NodeRole.LOCAL, "east", 50, 50, true), 0);   // full
        t.record(report("lb-005", NodeRole.LOCAL, "west", 0, 50, true), 0);    // other region
        t.record(report("rb-east-1", NodeRole.REGIONAL, "east", 0, 250, true), 0);
        assertEquals(List.of("lb-002", "lb-001"), names(t.leastLoaded(NodeRole.LOCAL, "east", 5, 1)));
        assertEquals(List.of("lb-005", "lb-002"), names(t.leastLoaded(NodeRole.LOCAL, "", 2, 1)));
    }

    @Test
    void aChildWhoseReportIsOlderThanNPeriodsIsUnhealthy() {
        ChildLoadTable t = new ChildLoadTable(10_000, 3);
        t.record(report("lb-001", NodeRole.LOCAL, "east", 1, 50, true), 0);
        assertTrue(t.isHealthy("lb-001", 30_000));
        assertFalse(t.isHealthy("lb-001", 30_001));
        assertTrue(t.leastLoaded(NodeRole.LOCAL, "east", 5, 30_001).isEmpty());
        assertFalse(t.node("lb-001", 30_001).orElseThrow().healthy());
        t.record(report("lb-001", NodeRole.LOCAL, "east", 1, 50, true), 30_002);
        assertTrue(t.isHealthy("lb-001", 30_002));
        assertFalse(t.isHealthy("unknown", 0));
    }

    @Test
    void referralsSinceTheLastReportCountAsLoadUntilTheNextReport() {
        ChildLoadTable t = new ChildLoadTable(10_000, 3);
        t.record(report("lb-001", NodeRole.LOCAL, "east", 10, 50, true), 0);
        t.record(report("lb-002", NodeRole.LOCAL, "east", 12, 50, true), 0);
        assertEquals("lb-001", t.leastLoaded(NodeRole.LOCAL, "east", 1, 1).get(0).name());
        for (int i = 0; i < 3; i++) {
            t.noteReferral("lb-001");
        }
        assertEquals(13, t.node("lb-001", 1).orElseThrow().activeSessions());
        assertEquals("lb-002", t.leastLoaded(NodeRole.LOCAL, "east", 1, 1).get(0).name());
        t.record(report("lb-001", NodeRole.LOCAL, "east", 11, 50, true), 2);
        assertEquals(11, t.node("lb-001", 2).orElseThrow().activeSessions());
        assertFalse(t.noteReferral("nobody"));
    }

    @Test
    void boundedNumberOfReporters() {
        ChildLoadTable t = new ChildLoadTable(1_000, 1);
        for (int i = 0; i < ChildLoadTable.MAX_ENTRIES; i++) {
            assertTrue(t.record(report("n" + i, NodeRole.LOCAL, "east", 0, 50, true), 0));
        }
        assertFalse(t.record(report("one-too-many", NodeRole.LOCAL, "east", 0, 50, true), 0));
        assertTrue(t.record(report("n0", NodeRole.LOCAL, "east", 1, 50, true), 0), "known reporters still update");
        assertTrue(t.forget("n1"));
        assertTrue(t.record(report("one-too-many", NodeRole.LOCAL, "east", 0, 50, true), 0));
        assertEquals(ChildLoadTable.MAX_ENTRIES, t.size());
    }
}
