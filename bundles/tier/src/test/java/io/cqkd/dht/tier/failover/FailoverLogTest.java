package io.cqkd.dht.tier.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.FailoverAction;
import io.cqkd.dht.api.failover.FailoverEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverLogTest {
    static FailoverEvent event(int i) {
        return new FailoverEvent(Instant.ofEpochMilli(1_700_000_000_000L + i), "rb-east-1", "lb-00" + (i % 10),
                NodeRole.LOCAL, "east", FailoverAction.PROMOTE_BACKUP, Optional.of("lb-009"), 12, "promote-backup",
                "role primary, capacity 50->100");
    }

    @Test
    void keepsTheLastEventsAndCountsAll() {
        FailoverLog log = new FailoverLog(3);
        for (int i = 0; i < 5; i++) {
            log.record(event(i));
        }
        assertEquals(5, log.count());
        assertEquals(List.of(event(2), event(3), event(4)), log.events());
        log.setLimit(2);
        assertEquals(List.of(event(3), event(4)), log.events());
        assertEquals(5, log.count(), "dropping old events keeps the count");
    }

    @Test
    void limitIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new FailoverLog(0));
        assertThrows(IllegalArgumentException.class, () -> new FailoverLog(FailoverLog.MAX_LIMIT + 1));
    }

    @Test
    void logLineIsOneStructuredLine() {
        String line = new FailoverLog(10).record(event(1));
        assertEquals("event=tier.failover observer=rb-east-1 failed_node=lb-001 level=local region=east "
                + "action=promote_backup promoted_node=lb-009 sessions_moved=12 policy=promote-backup "
                + "detail=\"role primary, capacity 50->100\"", line);
        FailoverEvent hostile = new FailoverEvent(Instant.EPOCH, "a\nb", "x\"y", NodeRole.SUPER, "",
                FailoverAction.MARK_FAILED, Optional.empty(), 0, "", "line1\nline2");
        String l = FailoverLog.logLine(hostile);
        assertTrue(!l.contains("\n"), l);
        assertTrue(l.contains("observer=\"a\\nb\" failed_node=\"x\\\"y\""), l);
        assertTrue(l.contains("region=\"\" ") && l.contains("promoted_node=- "), l);
    }

    @Test
    void jsonMapHasTheDocumentedKeys() {
        assertEquals(FailoverLog.JSON_KEYS, List.copyOf(FailoverLog.asMap(event(1)).keySet()));
        assertEquals("2023-11-14T22:13:20.001Z", FailoverLog.asMap(event(1)).get("time"));
    }
}
