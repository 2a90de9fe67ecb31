package io.cqkd.dht.core.engine;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.WireContact;
import io.cqkd.dht.core.wire.WireValue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Conversions between wire records and engine types, validating every field. A method that
 * returns null means "malformed": the caller drops the message and counts it. Never throws on
 * hostile input.
 */
public final class WireMapper {
    private WireMapper() {
    }

    /** Our own {@link Peer}, sent with every message. */
    public static Peer peerOf(NodeId id, NodeRecord record) {
        return new Peer(id.toBytes(), record.role(), record.region(), sortedCaps(record));
    }

    /** The id of a peer, or null when it is not 20 bytes. */
    public static NodeId idOf(byte[] id) {
        return id != null && id.length == NodeId.BYTES ? NodeId.of(id) : null;
    }

    /** The record of a peer, or null when a field is out of bounds. */
    public static NodeRecord recordOf(io.cqkd.dht.api.NodeRole role, String region, List<String> caps) {
        if (role == null || (region != null && region.length() > NodeRecord.MAX_REGION_LENGTH)) {
            return null;
        }
        if (caps == null || caps.isEmpty()) {
            String r = region == null ? "" : region;
            return role == NodeRecord.WORKER.role() && r.isEmpty() ? NodeRecord.WORKER : new NodeRecord(role, r, Set.of());
        }
        {
            if (caps.size() > NodeRecord.MAX_CAPABILITIES) {
                return null;
            }
            Set<String> set = new HashSet<>();
            for (String c : caps) {
                if (c == null || c.isEmpty() || c.length() > NodeRecord.MAX_CAPABILITY_LENGTH) {
                    return null;
                }
                set.add(c);
            }
            return new NodeRecord(role, region, set);
        }
    }

    /** The contact of a message sender seen at {@code source}, or null when malformed. */
    public static Contact contactOf(Peer peer, InetSocketAddress source) {
        if (peer == null || source == null || source.isUnresolved()) {
            return null;
        }
        byte[] rawId = peer.id();
        if (rawId == null || rawId.length != NodeId.BYTES) {
            return null;
        }
        ReadContact seen = READ[slot(Arrays.hashCode(rawId))];
        if (seen != null && seen.contact().address().equals(source) && Arrays.equals(seen.id(), rawId)
                && sameRecord(seen.contact().record(), peer.role(), peer.region(), peer.caps())) {
            return seen.contact();
        }
        NodeRecord record = recordOf(peer.role(), peer.region(), peer.caps());
        return record == null ? null : new Contact(NodeId.of(rawId), source, record);
    }

    /**
     * A contact for a {@code Nodes} response. The same contact is answered again and again, so its
     * wire form is kept (by contact, see {@link #WRITTEN}) and shared: treat it as read-only.
     */
    public static WireContact toWire(Contact c) {
        int i = slot(c.hashCode());
        WrittenContact written = WRITTEN[i];
        if (written != null && written.contact().equals(c)) {
            return written.wire();
        }
        NodeRecord r = c.record();
        WireContact wire = new WireContact(c.id().toBytes(), c.address().getAddress().getAddress(),
                c.address().getPort(), r.role(), r.region(), sortedCaps(r));
        WRITTEN[i] = new WrittenContact(c, wire);
        return wire;
    }

    private static List<String> sortedCaps(NodeRecord r) {
        if (r.capabilities().isEmpty()) {
            return List.of(); // most contacts: no copy, no iterator
        }
        List<String> caps = new ArrayList<>(r.capabilities());
        caps.sort(null);
        return List.copyOf(caps);
    }

    /** A contact from a {@code Nodes} response, or null when malformed. */
    public static Contact fromWire(WireContact w) {
        if (w == null) {
            return null;
        }
        byte[] rawId = w.id();
        if (rawId == null || rawId.length != NodeId.BYTES || w.ip() == null
                || (w.ip().length != 4 && w.ip().length != 16) || w.port() < 1 || w.port() > 65535) {
            return null;
        }
        int i = slot(Arrays.hashCode(rawId));
        ReadContact seen = READ[i];
        if (seen != null && seen.contact().address().getPort() == w.port() && Arrays.equals(seen.id(), rawId)
                && Arrays.equals(seen.ip(), w.ip()) && sameRecord(seen.contact().record(), w.role(), w.region(), w.caps())) {
            return seen.contact(); // every field equal to a contact read and checked before
        }
        NodeId id = NodeId.of(rawId);
        NodeRecord record = recordOf(w.role(), w.region(), w.caps());
        if (record == null) {
            return null;
        }
        try {
            InetAddress ip = InetAddress.getByAddress(w.ip());
            if (ip.isAnyLocalAddress() || ip.isMulticastAddress()) {
                return null;
            }
            Contact c = new Contact(id, new InetSocketAddress(ip, w.port()), record);
            READ[i] = new ReadContact(c, Arrays.copyOf(rawId, rawId.length), Arrays.copyOf(w.ip(), w.ip().length));
            return c;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** True when role, region and (no) capabilities are those of {@code r}. */
    private static boolean sameRecord(NodeRecord r, io.cqkd.dht.api.NodeRole role, String region, List<String> caps) {
        return r.role() == role && r.capabilities().isEmpty() && (caps == null || caps.isEmpty())
                && r.region().equals(region == null ? "" : region);
    }

    // Contacts recently read from and written to the wire, JVM-wide (one slot per id or contact
    // hash, the newest wins). A node meets the same contacts in answer after answer: a 20-contact
    // answer read without them made ~240 objects (ids, addresses, contacts), written ~60. Racy by
    // design: entries are immutable, so a lost or torn update costs a miss, never a wrong contact.

    private static final int SLOTS = 1 << 14;
    private static final ReadContact[] READ = new ReadContact[SLOTS];
    private static final WrittenContact[] WRITTEN = new WrittenContact[SLOTS];

    /** A contact read from the wire and the id and IP bytes it was read from. */
    private record ReadContact(Contact contact, byte[] id, byte[] ip) {
    }

    /** A contact and its wire form. */
    private record WrittenContact(Contact contact, WireContact wire) {
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }

    /** A value for the wire at engine time {@code now}. */
    public static WireValue toWire(StoredValue v, long now) {
        return new WireValue(v.key(), v.json(), v.version(), v.ttlMillis(now), v.publisher().toBytes(), v.tombstone());
    }

    /**
     * A value received under {@code keyId} at engine time {@code now}, or null when malformed: key
     * empty, too long or not hashing to {@code keyId}; JSON too large or (for a tombstone) not
     * empty; TTL outside (0, MAX_TTL]; publisher not 20 bytes; negative version. The JSON syntax
     * itself is checked with {@code validation}.
     */
    public static StoredValue fromWire(NodeId keyId, WireValue w, long now, Validation validation) {
        if (w == null || keyId == null || w.key() == null || w.json() == null) {
            return null;
        }
        if (w.key().isEmpty() || Validation.utf8Length(w.key()) > DhtLimits.MAX_KEY_BYTES
                || !NodeId.ofKey(w.key()).equals(keyId)) {
            return null;
        }
        if (w.ttlMillis() <= 0 || w.ttlMillis() > DhtLimits.MAX_TTL.toMillis() || w.version() < 0) {
            return null;
        }
        NodeId publisher = idOf(w.publisher());
        if (publisher == null) {
            return null;
        }
        if (w.tombstone()) {
            if (!w.json().isEmpty()) {
                return null;
            }
        } else if (!validation.isValidJson(w.json())) {
            return null;
        }
        return new StoredValue(w.key(), keyId, w.json(), w.version(), now + w.ttlMillis(), publisher, w.tombstone());
    }
}
