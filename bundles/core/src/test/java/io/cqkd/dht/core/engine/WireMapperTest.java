package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

/** The contact conversions between the wire and the engine. */
class WireMapperTest {
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    @Test
    void everyFieldOfAWireContactIsRead() {
        byte[] id = NodeId.random(new Random(1)).toBytes();
        Contact plain = WireMapper.fromWire(new WireContact(id, LOOPBACK, 4000, NodeRole.WORKER, null, null));
        assertEquals(NodeId.of(id), plain.id());
        assertEquals(new InetSocketAddress("127.0.0.1", 4000), plain.address());
        assertEquals(NodeRecord.WORKER, plain.record(), "null region and capabilities read as empty");
        List<WireContact> variants = List.of(
                new WireContact(id, new byte[] {127, 0, 0, 2}, 4000, NodeRole.WORKER, "", List.of()),
                new WireContact(id, LOOPBACK, 4001, NodeRole.LOCAL, "", List.of()),
                new WireContact(id, LOOPBACK, 4000, NodeRole.WORKER, "eu", List.of("gpu", "ssd")));
        for (WireContact v : variants) {
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
    void malformedContactsAreRefused() {
        byte[] id = NodeId.random(new Random(3)).toBytes();
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
    void aSenderIsItsPeerRecordAtTheAddressItSentFrom() throws Exception {
        byte[] id = NodeId.random(new Random(4)).toBytes();
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), 4100);
        Contact sender = WireMapper.contactOf(new Peer(id, NodeRole.REGIONAL, "eu", List.of()), at);
        assertEquals(new Contact(NodeId.of(id), at, new NodeRecord(NodeRole.REGIONAL, "eu", Set.of())), sender);
        assertNull(WireMapper.contactOf(new Peer(new byte[21], NodeRole.WORKER, "", List.of()), at));
        assertNull(WireMapper.contactOf(new Peer(id, null, "", List.of()), at));
    }

    @Test
    void aWrittenContactCarriesEveryFieldWithCapabilitiesSorted() {
        Random r = new Random(5);
        for (int i = 0; i < 100; i++) {
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
            assertEquals(c, WireMapper.fromWire(w));
        }
    }
}
