package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.core.sim.SimScheduler;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Storage under the virtual clock. */
class ValueStoreTest {
    final SimScheduler clock = new SimScheduler();
    final NodeId publisher = NodeId.random(new SplittableRandom(9));

    StoredValue value(String key, String json, long version, long ttl) {
        return new StoredValue(key, NodeId.ofKey(key), json, version, clock.nowMillis() + ttl, publisher, false);
    }

    StoredValue tombstone(String key, long version, long ttl) {
        return new StoredValue(key, NodeId.ofKey(key), "", version, clock.nowMillis() + ttl, publisher, true);
    }

    @Test
    void expiresWithItsTtl() {
        ValueStore s = new ValueStore(10);
        assertEquals(ValueStore.Outcome.STORED, s.store(value("a", "1", 1, 1_000), clock.nowMillis()));
        clock.runFor(999);
        assertTrue(s.get(NodeId.ofKey("a"), clock.nowMillis()).isPresent());
        clock.runFor(1);
        assertFalse(s.get(NodeId.ofKey("a"), clock.nowMillis()).isPresent(), "gone at its expiry");
        assertEquals(0, s.size());
    }

    @Test
    void newerVersionWinsOlderIsStaleSameVersionExtends() {
        ValueStore s = new ValueStore(10);
        NodeId id = NodeId.ofKey("k");
        s.store(value("k", "\"v2\"", 2, 1_000), 0);
        assertEquals(ValueStore.Outcome.STALE, s.store(value("k", "\"v1\"", 1, 5_000), 0));
        assertEquals("\"v2\"", s.get(id, 0).orElseThrow().json());
        assertEquals(ValueStore.Outcome.REFRESHED, s.store(value("k", "\"v2\"", 2, 3_000), 0));
        assertEquals(3_000, s.get(id, 0).orElseThrow().expiresAtMillis(), "same version, later expiry kept");
        assertEquals(ValueStore.Outcome.STORED, s.store(value("k", "\"v3\"", 3, 1_000), 0));
        assertEquals("\"v3\"", s.get(id, 0).orElseThrow().json());
    }

    @Test
    void tombstoneWinsWhenNewerAndExpiresToo() {
        ValueStore s = new ValueStore(10);
        NodeId id = NodeId.ofKey("k");
        s.store(value("k", "1", 5, 10_000), 0);
        assertEquals(ValueStore.Outcome.STALE, s.store(tombstone("k", 4, 10_000), 0), "older tombstone refused");
        assertEquals(ValueStore.Outcome.STORED, s.store(tombstone("k", 6, 2_000), 0));
        assertTrue(s.get(id, 0).orElseThrow().tombstone());
        assertEquals(ValueStore.Outcome.STALE, s.store(value("k", "1", 5, 10_000), 0), "the old value cannot come back");
        clock.runFor(2_000);
        assertFalse(s.get(id, clock.nowMillis()).isPresent(), "the tombstone expired");
        assertEquals(ValueStore.Outcome.STORED, s.store(value("k", "2", 7, 1_000), clock.nowMillis()));
    }

    @Test
    void boundedButExpiredEntriesMakeRoom() {
        ValueStore s = new ValueStore(3);
        s.store(value("a", "1", 1, 100), 0);
        s.store(value("b", "1", 1, 10_000), 0);
        s.store(value("c", "1", 1, 10_000), 0);
        assertEquals(ValueStore.Outcome.FULL, s.store(value("d", "1", 1, 10_000), 0));
        assertEquals(ValueStore.Outcome.STORED, s.store(value("b", "2", 2, 10_000), 0), "updates still accepted when full");
        assertEquals(ValueStore.Outcome.STORED, s.store(value("d", "1", 1, 10_000), 100), "after a expired");
        assertEquals(3, s.size());
    }

    @Test
    void expiredOnArrivalIsRefused() {
        ValueStore s = new ValueStore(3);
        assertEquals(ValueStore.Outcome.STALE, s.store(value("a", "1", 1, 0), 0));
    }
}
