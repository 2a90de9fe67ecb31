package io.cqkd.dht.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortRange;
import io.cqkd.dht.api.ports.PortRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PortSettingsTest {
    private static PortRequest request(NodeRole role) {
        return new PortRequest("n", role, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty());
    }

    @Test
    void defaultsAreTheSeedsWithTheWideBootstrapRange() {
        PortSettings s = PortSettings.defaults();
        assertEquals("(strategy=sequential)", s.allocatorTarget());
        assertEquals("sequential", s.targetStrategyName());
        assertEquals(7000, s.basePort());
        assertEquals(0, s.portOffset());
        assertFalse(s.legacyMode());
        assertEquals(7000, s.legacyPort());
        assertEquals(new PortRange(7000, 7999), s.rangeFor(NodeRole.WORKER));
        for (NodeRole r : List.of(NodeRole.SUPER, NodeRole.REGIONAL, NodeRole.LOCAL)) {
            assertEquals(new PortRange(5678, 5761), s.rangeFor(r));
        }
        assertEquals(new PortRange(6000, 6099), s.rangeFor(NodeRole.SPECIAL));
        assertEquals(3, s.allowedRanges().size());
        assertTrue(s.onePortPerWorker());
        assertEquals(1000, s.historySize());
        assertTrue(s.warnings().isEmpty(), s.warnings().toString());
        assertEquals("default", s.sources().get(PortSettings.BASE_PORT));
    }

    @Test
    void configValuesAsStringsOrTypes() {
        PortSettings s = PortSettings.from(Map.of(PortSettings.BASE_PORT, "7100", PortSettings.PORT_OFFSET, 5,
                PortSettings.LEGACY_PORT_MODE, "true", PortSettings.RANGE_WORKER, "7100-7299",
                PortSettings.ALLOCATOR_TARGET, "(strategy=random)", PortSettings.HISTORY_SIZE, 10L), Map.of());
        assertEquals(7100, s.basePort());
        assertEquals(5, s.portOffset());
        assertTrue(s.legacyMode());
        assertEquals(new PortRange(7100, 7299), s.rangeFor(NodeRole.WORKER));
        assertEquals("random", s.targetStrategyName());
        assertEquals(10, s.historySize());
        assertEquals(7105, s.baseFor(NodeRole.WORKER));
        assertEquals(5678, s.baseFor(NodeRole.SUPER));
        assertEquals("config", s.sources().get(PortSettings.BASE_PORT));
    }

    @Test
    void environmentOverridesConfiguration() {
        PortSettings s = PortSettings.from(Map.of(PortSettings.BASE_PORT, "7100"),
                Map.of("BASE_PORT", "7200", "PORT_OFFSET", "3", "LEGACY_PORT_MODE", "true"));
        assertEquals(7200, s.basePort());
        assertEquals(3, s.portOffset());
        assertTrue(s.legacyMode());
        assertEquals("env BASE_PORT", s.sources().get(PortSettings.BASE_PORT));
        assertEquals("env LEGACY_PORT_MODE", s.sources().get(PortSettings.LEGACY_PORT_MODE));
    }

    @Test
    void invalidValuesFallBackWithAWarning() {
        PortSettings s = PortSettings.from(Map.of(PortSettings.BASE_PORT, "seventy", PortSettings.RANGE_WORKER,
                "7999-7000", PortSettings.HISTORY_SIZE, "0", PortSettings.ALLOCATOR_TARGET, "random",
                PortSettings.BLOCKED_PORTS, "7100,x"), Map.of("PORT_OFFSET", "lots", "LEGACY_PORT_MODE", "maybe"));
        assertEquals(7000, s.basePort());
        assertEquals(0, s.portOffset());
        assertFalse(s.legacyMode());
        assertEquals(new PortRange(7000, 7999), s.rangeFor(NodeRole.WORKER));
        assertEquals(1000, s.historySize());
        assertEquals("(strategy=sequential)", s.allocatorTarget());
        assertEquals(List.of(new PortRange(7100, 7100)), s.blocked());
        assertEquals(7, s.warnings().size(), s.warnings().toString());
    }

    @Test
    void blockedAndAllowedAcceptArraysAndCommaLists() {
        PortSettings s = PortSettings.from(Map.of(PortSettings.BLOCKED_PORTS, new String[] {"7100, 7200-7210", "7300"},
                PortSettings.ALLOWED_RANGES, List.of("7000-7999", "9000")), Map.of());
        assertEquals(3, s.blocked().size());
        assertEquals(2, s.allowedRanges().size());
        assertTrue(s.refusal(7205).contains("blocked"), s.refusal(7205));
        assertNull(s.refusal(9000));
        assertTrue(s.refusal(5678).contains("out of the allowed ranges 7000-7999, 9000-9000"), s.refusal(5678));
        assertNull(s.refusal(7004));
    }

    @Test
    void overlappingRangesAreWarnedAbout() {
        PortSettings s = PortSettings.from(Map.of(PortSettings.RANGE_SPECIAL, "7990-8010"), Map.of());
        assertTrue(s.warnings().stream().anyMatch(w -> w.contains("overlaps")), s.warnings().toString());
    }

    @Test
    void environmentFillsWorkerIdForWorkersOnlyAndSlotAndPodForAll() throws Exception {
        PortSettings s = PortSettings.from(Map.of(), Map.of("WORKER_ID", "5", "TASK_SLOT", "3", "POD_NAME",
                "cqkd-worker-17"));
        PortRequest w = s.withEnvironment(request(NodeRole.WORKER));
        assertEquals(OptionalInt.of(5), w.workerId());
        assertEquals(OptionalInt.of(3), w.slot());
        assertEquals(Optional.of("cqkd-worker-17"), w.podName());
        assertTrue(s.withEnvironment(request(NodeRole.SUPER)).workerId().isEmpty());
        PortRequest given = new PortRequest("n", NodeRole.WORKER, OptionalInt.empty(), OptionalInt.of(9),
                OptionalInt.empty(), Optional.empty());
        assertEquals(OptionalInt.of(9), s.withEnvironment(given).workerId());
    }

    @Test
    void badWorkerIdInTheEnvironmentFailsTheAllocationLoudly() {
        PortSettings s = PortSettings.from(Map.of(), Map.of("WORKER_ID", "five"));
        PortAllocationException e = assertThrows(PortAllocationException.class,
                () -> s.withEnvironment(request(NodeRole.WORKER)));
        assertTrue(e.getMessage().contains("WORKER_ID='five'"), e.getMessage());
    }
}
