package io.cqkd.dht.tier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.WorkerRegistration;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LoadStatsAndRegistryTest {
    @Test
    void seedPeriods() {
        assertEquals(Duration.ofSeconds(30), LoadStats.defaultPeriod(NodeRole.SUPER));
        assertEquals(Duration.ofSeconds(60), LoadStats.defaultPeriod(NodeRole.REGIONAL));
        assertEquals(Duration.ofSeconds(60), LoadStats.defaultPeriod(NodeRole.LOCAL));
    }

    @Test
    void loadStatsEventIsOneStructuredLine() {
        SessionTable t = new SessionTable(500, 60_000, 10);
        for (int i = 0; i < 12; i++) {
            t.tryAdmit(NodeId.ofKey("w" + i), new InetSocketAddress("127.0.0.1", 7000 + i), 0);
        }
        t.leave(NodeId.ofKey("w0"), 1);
        LoadStatsEvent e = LoadStats.event("sb-primary", NodeRole.SUPER, "", t, OptionalInt.empty(), 2);
        assertEquals("event=tier.load_stats node=sb-primary level=super region=\"\" active=11 max=500 peak=12 "
                + "utilization_percent=2.2 admitted=12 refused_full=0 left=1 expired=0", e.toLogLine());
        LoadStatsEvent r = LoadStats.event("rb-east-1", NodeRole.REGIONAL, "east", new SessionTable(250),
                OptionalInt.of(7), 0);
        assertEquals(7, r.fields().get("registered_workers"));
        assertEquals("event=x k=\"a b=\\\"c\\\"\"", new LoadStatsEvent("x", Map.of("k", "a b=\"c\"")).toLogLine());
    }

    @Test
    void periodicScheduleUnderAManualClock() {
        PeriodicSchedule s = new PeriodicSchedule(30_000, 0);
        assertFalse(s.poll(29_999));
        assertTrue(s.poll(30_000));
        assertFalse(s.poll(30_001));
        assertEquals(60_000, s.nextDueMillis());
        assertTrue(s.poll(200_000)); // after a pause: once, not four times
        assertFalse(s.poll(200_001));
        assertEquals(230_000, s.nextDueMillis());
    }

    @Test
    void workerRegistryKeepsRegisteredAtAndExpiresSilentWorkers() {
        WorkerRegistry reg = new WorkerRegistry("east", 1_000, 2);
        assertEquals(WorkerRegistry.Change.ADDED, reg.register("b1", "10.0.0.1", 7000, 0, 1_000_000));
        assertEquals(WorkerRegistry.Change.ADDED, reg.register("a2", "10.0.0.2", 7001, 0, 1_000_001));
        assertEquals(WorkerRegistry.Change.REJECTED_FULL, reg.register("c3", "10.0.0.3", 7002, 0, 1_000_002));
        assertEquals(WorkerRegistry.Change.REFRESHED, reg.register("b1", "10.0.0.1", 7000, 900, 1_000_900));
        assertEquals(WorkerRegistry.Change.UPDATED, reg.register("a2", "10.0.0.2", 7005, 100, 1_000_100));
        assertEquals(List.of("a2", "b1"), reg.workers().stream().map(WorkerRegistration::nodeId).toList());
        assertEquals(1_000_001, reg.workers().get(0).registeredAt(), "registered_at survives refreshes");
        List<WorkerRegistration> gone = reg.expire(1_101);
        assertEquals(List.of("a2"), gone.stream().map(WorkerRegistration::nodeId).toList());
        assertEquals("region:east:worker:a2", gone.get(0).key(reg.region()));
        assertEquals(1, reg.size());
        assertTrue(reg.remove("b1").isPresent());
        assertEquals(0, reg.size());
    }
}
