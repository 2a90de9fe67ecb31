package io.cqkd.dht.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.engine.EngineConfig;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {
    private static final String HEX = "00112233445566778899aabbccddeeff00112233";

    @Test
    void defaultsMatchTheEngineDefaults() {
        NodeSettings s = NodeSettings.parse(Configs.node(), "w1", Map.of());
        assertEquals("w1", s.name());
        assertEquals(NodeRole.WORKER, s.record().role());
        assertEquals(-1, s.port());
        assertTrue(s.nodeId().isEmpty());
        assertTrue(s.bootstrap().isEmpty());
        assertEquals(EngineConfig.defaults(), s.engine());
        assertEquals("", s.clusterKey());
        assertTrue(s.bindHost().isAnyLocalAddress());
    }

    @Test
    void configuredValuesAreParsed() {
        NodeSettings s = NodeSettings.parse(Configs.node("name", "sb-primary", "role", "SUPER", "region", "eu",
                "capabilities", new String[] {"qkd, alice", "bob"}, "port", 5678, "nodeId", HEX.toUpperCase(),
                "bootstrap", new String[] {"10.0.0.1:5678, sb2.example:5679", "[::1]:7000"}, "k", 8, "alpha", 2,
                "bindHost", "127.0.0.1", "workerId", 3), "x", Map.of());
        assertEquals("sb-primary", s.name());
        assertEquals(NodeRole.SUPER, s.record().role());
        assertEquals(Set.of("qkd", "alice", "bob"), s.record().capabilities());
        assertEquals(5678, s.port());
        assertEquals(NodeId.ofHex(HEX), s.nodeId().orElseThrow());
        assertEquals(List.of(new NodeSettings.HostPort("10.0.0.1", 5678), new NodeSettings.HostPort("sb2.example", 5679),
                new NodeSettings.HostPort("::1", 7000)), s.bootstrap());
        assertEquals(8, s.engine().k());
        assertEquals(2, s.engine().alpha());
        assertEquals(OptionalInt.of(3), s.workerId());
        assertEquals(NodeId.ofKey("alice-node"),
                NodeSettings.parse(Configs.node("nodeId", "alice-node"), "x", Map.of()).nodeId().orElseThrow());
    }

    @Test
    void environmentOverridesOnlyWhenEnabled() {
        Map<String, String> env = Map.of("DHT_PORT", "7001", "NODE_ID", "worker-17", "BOOTSTRAP_NODES",
                "sb-primary:5678,rb-east-1:5680", "BOOTSTRAP_LEVEL", "regional", "REGION", "east", "WORKER_ID", "17",
                "MAX_CONNECTIONS", "500");
        NodeSettings off = NodeSettings.parse(Configs.node("port", 9000), "n", env);
        assertEquals(9000, off.port());
        assertTrue(off.fromEnvironment().isEmpty());

        NodeSettings on = NodeSettings.parse(Configs.node("port", 9000, "useEnvironment", true), "n", env);
        assertEquals(7001, on.port());
        assertEquals(NodeId.ofKey("worker-17"), on.nodeId().orElseThrow());
        assertEquals(List.of(new NodeSettings.HostPort("sb-primary", 5678), new NodeSettings.HostPort("rb-east-1", 5680)),
                on.bootstrap());
        assertEquals(NodeRole.REGIONAL, on.record().role());
        assertEquals("east", on.record().region());
        assertEquals(OptionalInt.of(17), on.workerId());
        assertEquals(500, on.maxConnections());
        assertEquals(NodeSettings.ENV_VARS, on.fromEnvironment());
        // empty variables are ignored
        assertEquals(9000, NodeSettings.parse(Configs.node("port", 9000, "useEnvironment", true), "n",
                Map.of("DHT_PORT", " ")).port());
        assertEquals(NodeId.ofHex(HEX), NodeSettings.parse(Configs.node("useEnvironment", true), "n",
                Map.of("NODE_ID", HEX)).nodeId().orElseThrow());
    }

    @Test
    void invalidValuesGiveOneLineReasons() {
        Object[][] bad = {
                {Map.of("DHT_PORT", "70000"), "DHT_PORT"},
                {Map.of("DHT_PORT", "abc"), "DHT_PORT"},
                {Map.of("BOOTSTRAP_LEVEL", "worker"), "BOOTSTRAP_LEVEL"},
                {Map.of("BOOTSTRAP_NODES", "host-without-port"), "bootstrap"},
                {Map.of("BOOTSTRAP_NODES", "h:0"), "bootstrap"},
                {Map.of("WORKER_ID", "0"), "WORKER_ID"},
                {Map.of("MAX_CONNECTIONS", "-5"), "MAX_CONNECTIONS"},
                {Map.of("REGION", "r".repeat(40)), "region"},
        };
        for (Object[] b : bad) {
            @SuppressWarnings("unchecked")
            Map<String, String> env = (Map<String, String>) b[0];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NodeSettings.parse(Configs.node("useEnvironment", true), "n", env), env.toString());
            assertTrue(e.getMessage().contains((String) b[1]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertThrows(IllegalArgumentException.class, () -> NodeSettings.parse(Configs.node("role", "king"), "n", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> NodeSettings.parse(Configs.node("port", -2), "n", Map.of()));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> NodeSettings.parse(Configs.node("k", 10, "alpha", 11), "n", Map.of())).getMessage().contains("alpha"));
        assertThrows(IllegalArgumentException.class, () -> NodeSettings.parse(Configs.node(), "bad name!", Map.of()));
    }

    @Test
    void restartDecisions() {
        NodeSettings a = NodeSettings.parse(Configs.node("port", 7000), "n", Map.of());
        assertFalse(a.needsRestart(NodeSettings.parse(Configs.node("port", 7000, "maxConnections", 9), "n", Map.of())));
        NodeSettings k = NodeSettings.parse(Configs.node("port", 7000, "k", 10), "n", Map.of());
        assertTrue(a.needsRestart(k));
        assertFalse(a.needsRebind(k));
        NodeSettings p = NodeSettings.parse(Configs.node("port", 7001), "n", Map.of());
        assertTrue(a.needsRestart(p));
        assertTrue(a.needsRebind(p));
        assertFalse(a.toString().contains("secret"));
        assertFalse(NodeSettings.parse(Configs.node("clusterKey", "secret-secret-secret"), "n", Map.of()).toString()
                .contains("secret-secret"));
    }
}
