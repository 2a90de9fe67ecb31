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
        NodeId id = idOf(peer.id());
        if (id == null) {
            return null;
        }
        NodeRecord record = recordOf(peer.role(), peer.region(), peer.caps());
        return record == null ? null : new Contact(id, source, record);
    }

    /** A contact for a {@code Nodes} response. */
    public static WireContact toWire(Contact c) {
        NodeRecord r = c.record();
        return new WireContact(c.id().toBytes(), c.address().getAddress().getAddress(), c.address().getPort(),
                r.role(), r.region(), sortedCaps(r));
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
        NodeId id = idOf(w.id());
        if (id == null || w.ip() == null || (w.ip().length != 4 && w.ip().length != 16)
                || w.port() < 1 || w.port() > 65535) {
            return null;
        }
        NodeRecord record = recordOf(w.role(), w.region(), w.caps());
        if (record == null) {
            return null;
        }
        try {
            InetAddress ip = InetAddress.getByAddress(w.ip());
            if (ip.isAnyLocalAddress() || ip.isMulticastAddress()) {
                return null;
            }
            return new Contact(id, new InetSocketAddress(ip, w.port()), record);
        } catch (UnknownHostException e) {
            return null;
        }
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
