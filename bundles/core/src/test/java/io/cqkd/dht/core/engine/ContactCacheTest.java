package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.wire.WireContact;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ContactCacheTest {
    private final SplittableRandom random = new SplittableRandom(7);

    private WireContact wire(int port) {
        return new WireContact(NodeId.random(random).toBytes(), new byte[] {127, 0, 0, 9}, port, NodeRole.WORKER, "",
                List.of());
    }

    /** The same contact in a fresh record with fresh arrays, as the decoder builds it for every answer. */
    private static WireContact copy(WireContact w) {
        return new WireContact(w.id().clone(), w.ip().clone(), w.port(), w.role(), w.region(),
                new ArrayList<>(w.caps()));
    }

    @Test
    void aContactReceivedAgainIsTheOneBuiltTheFirstTime() {
        ContactCache cache = new ContactCache(64);
        WireContact w = wire(4001);
        Contact first = cache.fromWire(w);
        assertEquals(WireMapper.fromWire(w), first);
        assertSame(first, cache.fromWire(copy(w)));
    }

    @Test
    void aWireContactThatDiffersInAnyComponentIsMappedAfresh() {
        ContactCache cache = new ContactCache(64);
        WireContact w = new WireContact(NodeId.random(random).toBytes(), new byte[] {127, 0, 0, 9}, 4001,
                NodeRole.WORKER, "eu", List.of("gpu"));
        cache.fromWire(w);
        List<UnaryOperator<WireContact>> changes = List.of(
                c -> new WireContact(c.id(), new byte[] {127, 0, 0, 10}, c.port(), c.role(), c.region(), c.caps()),
                c -> new WireContact(c.id(), c.ip(), 4002, c.role(), c.region(), c.caps()),
                c -> new WireContact(c.id(), c.ip(), c.port(), NodeRole.SPECIAL, c.region(), c.caps()),
                c -> new WireContact(c.id(), c.ip(), c.port(), c.role(), "us", c.caps()),
                c -> new WireContact(c.id(), c.ip(), c.port(), c.role(), c.region(), List.of("gpu", "ssd")),
                c -> {
                    byte[] id = c.id().clone();
                    id[19] ^= 1;
                    return new WireContact(id, c.ip(), c.port(), c.role(), c.region(), c.caps());
                });
        for (UnaryOperator<WireContact> change : changes) {
            WireContact changed = change.apply(copy(w));
            assertEquals(WireMapper.fromWire(changed), cache.fromWire(changed));
            assertEquals(WireMapper.fromWire(w), cache.fromWire(copy(w)), "the original maps as before");
        }
    }

    @Test
    void aMalformedContactIsRefusedEveryTimeAndNeverCached() {
        ContactCache cache = new ContactCache(64);
        WireContact portZero = wire(0);
        assertNull(cache.fromWire(portZero));
        assertNull(cache.fromWire(copy(portZero)));
        WireContact shortId = new WireContact(new byte[] {1, 2, 3}, new byte[] {127, 0, 0, 9}, 4001, NodeRole.WORKER,
                "", List.of());
        assertNull(cache.fromWire(shortId));
        assertNull(cache.fromWire(null));
        assertNull(cache.fromWire(new WireContact(null, new byte[] {127, 0, 0, 9}, 4001, NodeRole.WORKER, "",
                List.of())));
    }

    @Test
    void aContactSentAgainTakesTheWireFormBuiltTheFirstTime() throws Exception {
        ContactCache cache = new ContactCache(64);
        Contact c = new Contact(NodeId.random(random), new InetSocketAddress(InetAddress.getByName("127.0.0.5"), 4100),
                new NodeRecord(NodeRole.WORKER, "eu", Set.of("ssd", "gpu")));
        WireContact w = cache.toWire(c);
        WireContact expected = WireMapper.toWire(c);
        assertEquals(List.of(expected.port(), expected.role(), expected.region(), expected.caps()),
                List.of(w.port(), w.role(), w.region(), w.caps()));
        assertEquals(Arrays.toString(expected.id()) + Arrays.toString(expected.ip()),
                Arrays.toString(w.id()) + Arrays.toString(w.ip()));
        assertSame(w, cache.toWire(c));
        assertSame(w, cache.toWire(new Contact(c.id(), c.address(), c.record())), "an equal contact");
        Contact moved = new Contact(c.id(), new InetSocketAddress(c.address().getAddress(), 4101), c.record());
        assertEquals(4101, cache.toWire(moved).port(), "same id, other endpoint: not the cached form");
    }

    @Test
    void contactsThatShareASlotAreStillMappedRight() {
        ContactCache cache = new ContactCache(1); // every contact in the one slot
        List<WireContact> wires = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            wires.add(wire(5000 + i));
        }
        for (int round = 0; round < 3; round++) {
            for (WireContact w : wires) {
                Contact c = cache.fromWire(copy(w));
                assertEquals(WireMapper.fromWire(w), c);
                assertEquals(w.port(), cache.toWire(c).port());
                assertEquals(Arrays.toString(w.id()), Arrays.toString(cache.toWire(c).id()));
            }
        }
        Contact a = cache.fromWire(wires.get(0));
        cache.fromWire(wires.get(1));
        assertNotSame(a, cache.fromWire(copy(wires.get(0))), "the slot went to the other contact");
    }

    @Test
    void theSlotCountMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new ContactCache(0));
        assertThrows(IllegalArgumentException.class, () -> new ContactCache(48));
    }
}
