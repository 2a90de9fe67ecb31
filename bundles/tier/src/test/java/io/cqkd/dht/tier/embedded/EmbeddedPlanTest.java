package io.cqkd.dht.tier.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedPlanTest {
    private static EmbeddedPlan plan(int workers, int base, int workerBase) {
        return new EmbeddedPlan(2, 4, 8, workers, List.of("east", "west"), "127.0.0.1", base, workerBase, 2000);
    }

    @Test
    void defaultNetworkIs2Supers4Regionals8Locals64WorkersOnTheSeedPorts() {
        Map<String, Map<String, Object>> n = plan(64, 5678, -1).nodes();
        assertEquals(78, n.size());
        assertEquals(List.of("sb-primary", "sb-secondary", "rb-east-1", "rb-east-2", "rb-west-1", "rb-west-2"),
                n.keySet().stream().limit(6).toList());
        assertEquals(5678, n.get("sb-primary").get("port"));
        assertArrayEquals(new String[0], (String[]) n.get("sb-primary").get("bootstrap"));
        assertArrayEquals(new String[] {"127.0.0.1:5678"}, (String[]) n.get("sb-secondary").get("bootstrap"));
        assertEquals(5682, n.get("rb-east-1").get("port"));
        assertArrayEquals(new String[] {"127.0.0.1:5679", "127.0.0.1:5678"}, (String[]) n.get("rb-west-1").get("bootstrap"));
        assertEquals("regional", n.get("rb-west-1").get("role"));
        assertEquals(5698, n.get("lb-001").get("port"));
        assertEquals(5705, n.get("lb-008").get("port"));
        assertEquals("west", n.get("lb-008").get("region"));
        assertArrayEquals(new String[] {"127.0.0.1:5685", "127.0.0.1:5684"}, (String[]) n.get("lb-008").get("bootstrap"));
        assertEquals(50, n.get("lb-008").get("maxConnections"));
        assertEquals(-1, n.get("worker-1").get("port"));
        assertEquals(64, n.get("worker-64").get("workerId"));
        assertArrayEquals(new String[] {"127.0.0.1:5698"}, (String[]) n.get("worker-8").get("bootstrap"));
        assertArrayEquals(new String[] {"127.0.0.1:5699"}, (String[]) n.get("worker-9").get("bootstrap"));
        assertArrayEquals(new String[] {"127.0.0.1:5705"}, (String[]) n.get("worker-64").get("bootstrap"));
        assertEquals("east", n.get("worker-1").get("region"));
        assertTrue(n.values().stream().allMatch(p -> Boolean.TRUE.equals(p.get(EmbeddedPlan.OWNER_PROPERTY))));
    }

    @Test
    void portsShiftWithTheBaseAndWorkersCanBeEphemeralOrExplicit() {
        Map<String, Map<String, Object>> n = plan(3, 40000, 0).nodes();
        assertEquals(40000, n.get("sb-primary").get("port"));
        assertEquals(40004, n.get("rb-east-1").get("port"));
        assertEquals(40020, n.get("lb-001").get("port"));
        assertEquals(0, n.get("worker-3").get("port"));
        assertEquals(7002, plan(3, 5678, 7000).nodes().get("worker-3").get("port"));
    }

    @Test
    void invalidPlansNameEveryProblem() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new EmbeddedPlan(2, 4, 8, -1, List.of("east"), "h", 70000, -2, 5));
        assertTrue(e.getMessage().contains("workers") && e.getMessage().contains("basePort")
                && e.getMessage().contains("workerBasePort") && e.getMessage().contains("tierReportMillis"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new EmbeddedPlan(5, 4, 8, 1, List.of("east"), "h", 5678, -1, 2000).nodes());
    }

    @Test
    void differsComparesOnlyThePlannedKeysArraysByContent() {
        Hashtable<String, Object> have = new Hashtable<>(Map.of("name", "x", "bootstrap", new String[] {"a:1"},
                "service.pid", "p"));
        assertFalse(EmbeddedNetwork.differs(have, Map.of("name", "x", "bootstrap", new String[] {"a:1"})));
        assertTrue(EmbeddedNetwork.differs(have, Map.of("name", "x", "bootstrap", new String[] {"a:2"})));
        assertTrue(EmbeddedNetwork.differs(have, Map.of("port", 1)));
        assertTrue(EmbeddedNetwork.differs(null, Map.of()));
    }
}
