package io.cqkd.dht.core.engine;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.core.wire.WireContact;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@link WireMapper#fromWire(WireContact)} and {@link WireMapper#toWire(Contact)} remembered, for
 * the nodes of one runtime together. The same contacts travel in answer after answer (a node's
 * neighbours are in most answers of its lookups, and every node answers with its own table), and
 * building each one again was a third of what a 1000-node network allocated: per contact received
 * a {@code NodeId}, an {@code InetAddress}, an {@code InetSocketAddress} (each with its holder) and
 * a {@code Contact}; per contact sent the id and address bytes and a {@code WireContact}.
 *
 * <p>Two direct-mapped tables indexed by the id's hash, each slot one immutable entry: a pure
 * function memoized on its whole input, so a hit returns what the mapper would build (an equal
 * contact, an equal wire form) and a miss calls it. Bounded by the slot count; a contact replaces
 * the entry in its slot. No locks: the event-loop threads share the tables, an entry's fields are
 * final (safely published), and a racing write only loses an entry. Ids chosen to collide only
 * cost hits.
 *
 * <p>The cached {@code WireContact}s are shared by every message that carries them: their arrays
 * are never written after the codec built them (nothing in the engine, codec or validator writes a
 * wire record's arrays).
 */
public final class ContactCache {
    /** Slots per table of a runtime's cache: a 10,000-node network on one JVM fills about two thirds. */
    public static final int DEFAULT_SLOTS = 16384;

    private final Received[] received;
    private final Sent[] sent;
    private final int mask;

    private record Received(WireContact wire, Contact contact) {
    }

    private record Sent(Contact contact, WireContact wire) {
    }

    /**
     * An empty cache.
     *
     * @param slots entries per table, a power of two
     */
    public ContactCache(int slots) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, got " + slots);
        }
        this.received = new Received[slots];
        this.sent = new Sent[slots];
        this.mask = slots - 1;
    }

    /** The contact of a received wire contact, or null when malformed ({@link WireMapper#fromWire(WireContact)}). */
    public Contact fromWire(WireContact w) {
        if (w == null || w.id() == null) {
            return null;
        }
        int slot = slot(Arrays.hashCode(w.id())); // == NodeId.hashCode of a valid id
        Received e = received[slot];
        if (e != null && sameWire(e.wire, w)) {
            return e.contact;
        }
        Contact c = WireMapper.fromWire(w);
        if (c != null) {
            received[slot] = new Received(w, c);
        }
        return c;
    }

    /** The wire form of a contact for a {@code Nodes} answer ({@link WireMapper#toWire(Contact)}). */
    public WireContact toWire(Contact c) {
        int slot = slot(c.id().hashCode());
        Sent e = sent[slot];
        if (e != null && (e.contact == c || e.contact.equals(c))) {
            return e.wire;
        }
        WireContact w = WireMapper.toWire(c);
        sent[slot] = new Sent(c, w);
        return w;
    }

    private int slot(int hash) {
        return (hash ^ (hash >>> 16)) & mask;
    }

    /** Every component equal, arrays by content: the whole input of {@link WireMapper#fromWire(WireContact)}. */
    private static boolean sameWire(WireContact a, WireContact b) {
        return a.port() == b.port() && a.role() == b.role() && Arrays.equals(a.id(), b.id())
                && Arrays.equals(a.ip(), b.ip()) && Objects.equals(a.region(), b.region())
                && Objects.equals(a.caps(), b.caps());
    }
}
