package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.WireContact;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The contact conversions, and that the caches behind them never answer with a different contact. */
class WireMapperTest {
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    @Test
    void aContactReadTwiceIsTheSameObjectAndAnyDifferenceMakesANewOne() {
        byte[] id = NodeId.random(new Random(1)).toBytes();
        WireContact w = new WireContact(id, LOOPBACK, 4000, NodeRole.WORKER, "", List.of());
        Contact first = WireMapper.fromWire(w);
        assertEquals(NodeId.of(id), first.id());
        assertEquals(new InetSocketAddress("127.0.0.1", 4000), first.address());
        assertEquals(NodeRecord.WORKER, first.record());
        assertSame(first, WireMapper.fromWire(new WireContact(id.clone(), LOOPBACK.clone(), 4000, NodeRole.WORKER,
                null, null)), "equal fields (null region and caps read as empty): the contact read before");

        byte[] otherId = id.clone();
        otherId[19] ^= 1;
        List<WireContact> variants = List.of(
                new WireContact(otherId, LOOPBACK, 4000, NodeRole.WORKER, "", List.of()),
                new WireContact(id, new byte[] {127, 0, 0, 2}, 4000, NodeRole.WORKER, "", List.of()),
                new WireContact(id, LOOPBACK, 4001, NodeRole.WORKER, "", List.of()),
                new WireContact(id, LOOPBACK, 4000, NodeRole.LOCAL, "", List.of()),
                new WireContact(id, LOOPBACK, 4000, NodeRole.WORKER, "eu", List.of()),
                new WireContact(id, LOOPBACK, 4000, NodeRole.WORKER, "", List.of("gpu")),
                new WireContact(id, LOOPBACK, 4000, NodeRole.WORKER, "", List.of()));
        for (WireContact v : variants) {
            Contact base = WireMapper.fromWire(w); // the slot holds the base contact again
            assertSame(base, WireMapper.fromWire(w));
            Contact c = WireMapper.fromWire(v);
            assertEquals(NodeId.of(v.id()), c.id());
            assertArrayEquals(v.ip(), c.address().getAddress().getAddress());
            assertEquals(v.port(), c.address().getPort());
            assertEquals(v.role(), c.record().role());
            assertEquals(v.region(), c.record().region());
            assertEquals(Set.copyOf(v.caps()), c.record().capabilities());
        }
    }

    @Test
    void theArraysOfAWireContactCanChangeAfterItWasRead() {
        byte[] id = NodeId.random(new Random(2)).toBytes();
        byte[] ip = {10, 0, 0, 7};
        Contact read = WireMapper.fromWire(new WireContact(id, ip, 5000, NodeRole.WORKER, "", List.of()));
        id[0] ^= 1;
        ip[3] = 8;
        Contact again = WireMapper.fromWire(new WireContact(id, ip, 5000, NodeRole.WORKER, "", List.of()));
        assertNotEquals(read, again);
        assertEquals(NodeId.of(id), again.id());
        assertEquals("10.0.0.8", again.address().getAddress().getHostAddress());
    }

    @Test
    void malformedContactsAreRefusedWhateverWasReadBefore() {
        byte[] id = NodeId.random(new Random(3)).toBytes();
        WireMapper.fromWire(new WireContact(id, LOOPBACK, 4000, NodeRole.WORKER, "", List.of()));
        assertNull(WireMapper.fromWire(new WireContact(new byte[19], LOOPBACK, 4000, NodeRole.WORKER, "", List.of())));
        assertNull(WireMapper.fromWire(new WireContact(id, new byte[5], 4000, NodeRole.WORKER, "", List.of())));
        assertNull(WireMapper.fromWire(new WireContact(id, LOOPBACK, 0, NodeRole.WORKER, "", List.of())));
        assertNull(WireMapper.fromWire(new WireContact(id, LOOPBACK, 65536, NodeRole.WORKER, "", List.of())));
        assertNull(WireMapper.fromWire(new WireContact(id, LOOPBACK, 4000, null, "", List.of())));
        assertNull(WireMapper.fromWire(new WireContact(id, new byte[4], 4000, NodeRole.WORKER, "", List.of())),
                "the any-local address");
        assertNull(WireMapper.fromWire(new WireContact(id, LOOPBACK, 4000, NodeRole.WORKER,
                "r".repeat(NodeRecord.MAX_REGION_LENGTH + 1), List.of())));
    }

    @Test
    void aSenderIsTheContactReadBeforeOnlyAtTheSameAddressAndRecord() throws Exception {
        byte[] id = NodeId.random(new Random(4)).toBytes();
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), 4100);
        Contact read = WireMapper.fromWire(new WireContact(id, LOOPBACK, 4100, NodeRole.WORKER, "", List.of()));
        assertSame(read, WireMapper.contactOf(new Peer(id, NodeRole.WORKER, "", List.of()), at));
        Contact moved = WireMapper.contactOf(new Peer(id, NodeRole.WORKER, "", List.of()),
                new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), 4101));
        assertEquals(4101, moved.address().getPort());
        Contact promoted = WireMapper.contactOf(new Peer(id, NodeRole.REGIONAL, "eu", List.of()), at);
        assertEquals(new NodeRecord(NodeRole.REGIONAL, "eu", Set.of()), promoted.record());
        assertNull(WireMapper.contactOf(new Peer(new byte[21], NodeRole.WORKER, "", List.of()), at));
    }

    @Test
    void aWrittenContactIsItsOwnWireFormEvenAfterTheSlotWasReused() {
        Random r = new Random(5);
        for (int i = 0; i < 50_000; i++) { // far more contacts than slots: every slot is overwritten
            int port = 1 + r.nextInt(65535);
            NodeRecord record = i % 7 == 0 ? new NodeRecord(NodeRole.LOCAL, "eu", Set.of("b", "a")) : NodeRecord.WORKER;
            Contact c = new Contact(NodeId.random(r), new InetSocketAddress("127.0.0.1", port), record);
            WireContact w = WireMapper.toWire(c);
            assertArrayEquals(c.id().toBytes(), w.id());
            assertArrayEquals(LOOPBACK, w.ip());
            assertEquals(port, w.port());
            assertEquals(record.role(), w.role());
            assertEquals(record.region(), w.region());
            assertEquals(record.capabilities().stream().sorted().toList(), w.caps());
            assertSame(w, WireMapper.toWire(new Contact(c.id(), c.address(), c.record())), "an equal contact");
        }
    }
}
