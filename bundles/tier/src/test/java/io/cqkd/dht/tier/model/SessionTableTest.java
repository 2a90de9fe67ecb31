package io.cqkd.dht.tier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeId;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTableTest {
    static NodeId peer(int i) {
        return NodeId.ofKey("peer-" + i);
    }

    static InetSocketAddress addr(int i) {
        return new InetSocketAddress("127.0.0.1", 7000 + i);
    }

    @Test
    void neverAdmitsAboveCapacityButRenewsExistingSessions() {
        SessionTable t = new SessionTable(3, 10_000, 100);
        for (int i = 0; i < 3; i++) {
            assertTrue(t.tryAdmit(peer(i), addr(i), 0).isPresent());
        }
        assertTrue(t.tryAdmit(peer(3), addr(3), 1).isEmpty());
        assertTrue(t.isFull(1));
        // a peer that already has a session is renewed, not counted twice
        SessionTable.Session renewed = t.tryAdmit(peer(1), addr(1), 5_000).orElseThrow();
        assertEquals(0, renewed.admittedMillis());
        assertEquals(15_000, renewed.expiresMillis());
        assertEquals(3, t.active(5_000));
        assertEquals(3, t.peak());
        assertEquals(1L, t.counters().get("refused_full"));
    }

    @Test
    void leasesLapseUnderTheCallersClock() {
        SessionTable t = new SessionTable(10, 1_000, 100);
        t.tryAdmit(peer(1), addr(1), 0);
        t.tryAdmit(peer(2), addr(2), 500);
        assertEquals(2, t.active(999));
        assertTrue(t.renew(peer(1), 999)); // now lapses at 1999
        List<SessionTable.Session> gone = t.expire(1_500);
        assertEquals(List.of(peer(2)), gone.stream().map(SessionTable.Session::peer).toList());
        assertEquals(1, t.active(1_998));
        assertEquals(0, t.active(1_999));
        assertFalse(t.renew(peer(1), 2_000), "a lapsed session cannot be renewed, the peer must join again");
        assertEquals(2L, t.counters().get("expired"));
    }

    @Test
    void leaveFreesASlot() {
        SessionTable t = new SessionTable(1, 1_000, 100);
        t.tryAdmit(peer(1), addr(1), 0);
        assertTrue(t.tryAdmit(peer(2), addr(2), 0).isEmpty());
        assertTrue(t.leave(peer(1), 10));
        assertFalse(t.leave(peer(1), 11));
        assertTrue(t.tryAdmit(peer(2), addr(2), 12).isPresent());
    }

    @Test
    void expiryFreesASlotForANewPeer() {
        SessionTable t = new SessionTable(1, 1_000, 100);
        t.tryAdmit(peer(1), addr(1), 0);
        assertTrue(t.tryAdmit(peer(2), addr(2), 999).isEmpty());
        assertTrue(t.tryAdmit(peer(2), addr(2), 1_000).isPresent());
    }

    @Test
    void historyIsBoundedAndRecordsWhoWhenAndWhy() {
        SessionTable t = new SessionTable(100, 1_000, 5);
        for (int i = 0; i < 4; i++) {
            t.tryAdmit(peer(i), addr(i), i);
        }
        t.leave(peer(0), 10);
        t.expire(2_000); // peers 1..3 lapse
        List<ConnectionEvent> h = t.history();
        assertEquals(5, h.size());
        // oldest dropped: the first three connects are gone
        assertEquals(ConnectionEvent.Kind.CONNECT, h.get(0).kind());
        assertEquals(peer(3), h.get(0).peer());
        assertEquals(new ConnectionEvent(10, ConnectionEvent.Kind.DISCONNECT, ConnectionEvent.Reason.LEFT, peer(0), addr(0)),
                h.get(1));
        assertTrue(h.subList(2, 5).stream().allMatch(e -> e.reason() == ConnectionEvent.Reason.LEASE_EXPIRED
                && e.atMillis() == 2_000));
    }

    @Test
    void loweringCapacityKeepsSessionsAndBlocksNewOnes() {
        SessionTable t = new SessionTable(3, 1_000, 10);
        for (int i = 0; i < 3; i++) {
            t.tryAdmit(peer(i), addr(i), 0);
        }
        t.setCapacity(2);
        assertEquals(3, t.active(1));
        t.leave(peer(0), 1);
        assertTrue(t.tryAdmit(peer(9), addr(9), 2).isEmpty());
        t.setCapacity(4); // e.g. a promoted backup, capacity doubled
        assertTrue(t.tryAdmit(peer(9), addr(9), 3).isPresent());
    }
}
