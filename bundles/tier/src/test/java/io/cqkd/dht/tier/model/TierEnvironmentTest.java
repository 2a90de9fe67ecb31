package io.cqkd.dht.tier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TierEnvironmentTest {
    @Test
    void regionalFromTheSeedsVariables() {
        TierConfig c = TierEnvironment.parse(Map.of("BOOTSTRAP_LEVEL", "regional", "REGION", "East",
                "BOOTSTRAP_NODES", "sb-primary:5678, 10.0.0.2:5679,[::1]:5680", "NODE_ID", "rb-east-1",
                "DHT_PORT", "5682"));
        assertEquals(NodeRole.REGIONAL, c.level());
        assertEquals("east", c.region());
        assertEquals(List.of(new HostPort("sb-primary", 5678), new HostPort("10.0.0.2", 5679), new HostPort("::1", 5680)),
                c.bootstrapNodes());
        assertEquals("[::1]:5680", c.bootstrapNodes().get(2).toString());
        assertEquals(250, c.maxConnections());
        assertEquals(Optional.of("rb-east-1"), c.nodeId());
        assertEquals(OptionalInt.of(5682), c.dhtPort());
        assertTrue(c.warnings().isEmpty());
    }

    @Test
    void defaultsByLevel() {
        TierConfig s = TierEnvironment.parse(Map.of("BOOTSTRAP_LEVEL", "SUPER", "REGION", "east"));
        assertEquals(500, s.maxConnections());
        assertEquals("", s.region());
        assertEquals(1, s.warnings().size());
        assertEquals(50, TierEnvironment.parse(Map.of("BOOTSTRAP_LEVEL", "local", "REGION", "west",
                "BOOTSTRAP_NODES", "rb-west-1:5684")).maxConnections());
        TierConfig w = TierEnvironment.parse(Map.of("BOOTSTRAP_NODES", "h:5678", "MAX_CONNECTIONS", "9"));
        assertEquals(NodeRole.WORKER, w.level());
        assertEquals(0, w.maxConnections());
        assertTrue(w.warnings().get(0).contains("MAX_CONNECTIONS"));
        assertEquals(1000, TierEnvironment.parse(Map.of("BOOTSTRAP_LEVEL", "super", "MAX_CONNECTIONS", "1000"))
                .maxConnections());
    }

    @Test
    void everyProblemIsReportedWithItsVariable() {
        TierConfigException e = assertThrows(TierConfigException.class, () -> TierEnvironment.parse(Map.of(
                "BOOTSTRAP_LEVEL", "mega", "BOOTSTRAP_NODES", "h:0,nohost,::1:5", "MAX_CONNECTIONS", "x",
                "NODE_ID", "bad id", "DHT_PORT", "70000")));
        List<String> p = e.problems();
        assertTrue(p.get(0).startsWith("BOOTSTRAP_LEVEL='mega': unknown role"), p.get(0));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("BOOTSTRAP_NODES: 'h:0'")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("BOOTSTRAP_NODES: 'nohost'")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("[addr]:port")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("NODE_ID='bad id'")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("DHT_PORT='70000'")), p.toString());
        assertTrue(e.getMessage().startsWith("invalid tier environment: "));
    }

    @Test
    void requiredVariables() {
        assertProblem(Map.of("BOOTSTRAP_LEVEL", "regional", "BOOTSTRAP_NODES", "h:1"), "REGION is required when BOOTSTRAP_LEVEL=regional");
        assertProblem(Map.of("BOOTSTRAP_LEVEL", "local", "REGION", "east"), "BOOTSTRAP_NODES is required when BOOTSTRAP_LEVEL=local");
        assertProblem(Map.of("BOOTSTRAP_NODES", " , "), "BOOTSTRAP_NODES is required when BOOTSTRAP_LEVEL=worker");
        assertProblem(Map.of("BOOTSTRAP_LEVEL", "super", "MAX_CONNECTIONS", "0"), "MAX_CONNECTIONS='0'");
        assertProblem(Map.of("BOOTSTRAP_LEVEL", "local", "REGION", "east:1", "BOOTSTRAP_NODES", "h:1"), "REGION='east:1'");
        // a super needs no BOOTSTRAP_NODES (the first one of the tier)
        assertEquals(List.of(), TierEnvironment.parse(Map.of("BOOTSTRAP_LEVEL", "super")).bootstrapNodes());
    }

    private static void assertProblem(Map<String, String> env, String fragment) {
        TierConfigException e = assertThrows(TierConfigException.class, () -> TierEnvironment.parse(env));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(fragment)), e.problems().toString());
    }
}
