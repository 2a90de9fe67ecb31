package io.cqkd.dht.core.wire.codec;

import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.core.wire.ErrorCode;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.WireBootstrapNode;
import io.cqkd.dht.core.wire.WireContact;
import io.cqkd.dht.core.wire.WireValue;
import io.cqkd.dht.core.wire.WireWorker;
import io.cqkd.dht.core.wire.codec.DecodeException.Reason;
import java.util.List;

/**
 * Bounds checks on decoded (and outgoing) messages: every array has its exact length, every
 * string and list its documented maximum, every enum-like string a known value. Semantic checks
 * (does a key id match SHA-1 of the key, is a version newer) are the engine's.
 */
public final class MessageValidator {
    /** Most contacts in one {@link Message.Nodes} (k may be configured up to this). */
    public static final int MAX_CONTACTS = 64;
    /** Longest {@link Message.StoreAck#reason()}. */
    public static final int MAX_REASON_LENGTH = 64;
    /** Most bootstrap nodes in one {@link Message.Referral} or {@link Message.JoinReply}. */
    public static final int MAX_BOOTSTRAP_NODES = 64;
    /**
     * Workers per {@link Message.RegisterWorkers} at most: 64 entries of a 16-byte address encode
     * to about 4.5 KB, well within {@code DhtLimits.MAX_DATAGRAM_BYTES}.
     */
    public static final int MAX_WORKERS = 64;
    /** Longest bootstrap node name (and parent name). */
    public static final int MAX_NAME_LENGTH = 64;
    /** Longest {@link Message.JoinReply#detail()}. */
    public static final int MAX_DETAIL_LENGTH = 200;
    /** Largest session count or capacity carried. */
    public static final int MAX_SESSIONS = 1_000_000;
    /** Longest lease a join reply may grant. */
    public static final long MAX_LEASE_MILLIS = 24L * 3600 * 1000;

    private MessageValidator() {
    }

    /** Throws {@link DecodeException} ({@link Reason#INVALID_FIELD}) at the first bound broken. */
    public static void validate(Message m) throws DecodeException {
        if (m == null) {
            throw invalid("null message");
        }
        peer(m.from());
        if (m instanceof Message.Ping) {
            return;
        } else if (m instanceof Message.Pong p) {
            ip(p.observedIp());
            if (p.observedPort() < 0 || p.observedPort() > 65535) {
                throw invalid("observed port out of range");
            }
        } else if (m instanceof Message.FindNode f) {
            id(f.target(), "target");
        } else if (m instanceof Message.Nodes n) {
            List<WireContact> nodes = n.nodes();
            if (nodes == null) {
                throw invalid("missing nodes");
            }
            if (nodes.size() > MAX_CONTACTS) {
                throw invalid("too many contacts");
            }
            for (int i = 0; i < nodes.size(); i++) { // indexed: C1 does not remove an iterator's allocation
                contact(nodes.get(i));
            }
        } else if (m instanceof Message.FindValue f) {
            id(f.key(), "key");
        } else if (m instanceof Message.ValueFound v) {
            value(v.value());
        } else if (m instanceof Message.Store s) {
            id(s.key(), "key");
            value(s.value());
        } else if (m instanceof Message.StoreAck a) {
            if (a.reason() != null && a.reason().length() > MAX_REASON_LENGTH) {
                throw invalid("reason too long");
            }
            if (a.reason() != null) {
                text(a.reason());
            }
        } else if (m instanceof Message.ErrorReply e) {
            if (e.code() == null || !isErrorCode(e.code())) {
                throw invalid("unknown error code");
            }
        } else if (m instanceof Message.TierRequest || m instanceof Message.JoinReply || m instanceof Message.TierAck
                || m instanceof Message.Referral) {
            tier(m);
        } else {
            throw invalid("unknown message class");
        }
    }

    private static void tier(Message m) throws DecodeException {
        if (m instanceof Message.Join j) {
            region(j.region());
            if (j.expectedWorkers() < 0 || j.expectedWorkers() > MAX_SESSIONS) {
                throw invalid("expected workers out of range");
            }
        } else if (m instanceof Message.Renew || m instanceof Message.Leave) {
            return;
        } else if (m instanceof Message.JoinReply r) {
            String o = r.outcome();
            if (!Message.JoinReply.ADMITTED.equals(o) && !Message.JoinReply.REFERRED.equals(o)
                    && !Message.JoinReply.REFUSED.equals(o)) {
                throw invalid("unknown join outcome");
            }
            if (r.leaseMillis() < 0 || r.leaseMillis() > MAX_LEASE_MILLIS
                    || (Message.JoinReply.ADMITTED.equals(o) && r.leaseMillis() == 0)) {
                throw invalid("lease out of range");
            }
            bootstrapNodes(r.nodes());
            if (Message.JoinReply.REFERRED.equals(o) && r.nodes().isEmpty()) {
                throw invalid("referral without nodes");
            }
            shortText(r.reason(), MAX_REASON_LENGTH, "reason");
            shortText(r.detail(), MAX_DETAIL_LENGTH, "detail");
        } else if (m instanceof Message.TierAck a) {
            shortText(a.reason(), MAX_REASON_LENGTH, "reason");
        } else if (m instanceof Message.LoadReport r) {
            name(r.name(), false);
            bootstrapLevel(r.level());
            region(r.region());
            name(r.parent(), true);
            sessions(r.activeSessions(), r.capacity());
        } else if (m instanceof Message.ReferralRequest q) {
            String level = q.level();
            if (level == null || !(level.isEmpty() || level.equals("super") || level.equals("regional")
                    || level.equals("local"))) {
                throw invalid("unknown level");
            }
            region(q.region());
            if (q.max() < 0 || q.max() > MAX_BOOTSTRAP_NODES) {
                throw invalid("max out of range");
            }
        } else if (m instanceof Message.Referral r) {
            name(r.responder(), true);
            bootstrapNodes(r.nodes());
        } else if (m instanceof Message.RegisterWorkers r) {
            region(r.region());
            if (r.workers() == null || r.workers().isEmpty()) {
                throw invalid("missing workers");
            }
            if (r.workers().size() > MAX_WORKERS) {
                throw invalid("too many workers");
            }
            for (WireWorker w : r.workers()) {
                worker(w);
            }
        } else if (m instanceof Message.CapacityOrder o) {
            name(o.backup(), false);
            name(o.takesPlaceOf(), true);
            if (o.capacity() < 0 || o.capacity() > MAX_SESSIONS) {
                throw invalid("capacity out of range");
            }
        } else {
            throw invalid("unknown message class");
        }
    }

    private static void bootstrapNodes(List<WireBootstrapNode> nodes) throws DecodeException {
        if (nodes == null) {
            throw invalid("missing bootstrap nodes");
        }
        if (nodes.size() > MAX_BOOTSTRAP_NODES) {
            throw invalid("too many bootstrap nodes");
        }
        for (WireBootstrapNode n : nodes) {
            if (n == null) {
                throw invalid("null bootstrap node");
            }
            name(n.name(), false);
            if (n.id() == null || (n.id().length != 0 && n.id().length != NodeId.BYTES)) {
                throw invalid("bootstrap node id is not empty or " + NodeId.BYTES + " bytes");
            }
            bootstrapLevel(n.level());
            region(n.region());
            name(n.parent(), true);
            ip(n.ip());
            port(n.port(), "bootstrap node");
            sessions(n.activeSessions(), n.capacity());
        }
    }

    private static void bootstrapLevel(io.cqkd.dht.api.NodeRole level) throws DecodeException {
        if (level == null || !level.isBootstrap()) {
            throw invalid("not a bootstrap level");
        }
    }

    private static void sessions(int active, int capacity) throws DecodeException {
        if (active < 0 || active > MAX_SESSIONS || capacity < 0 || capacity > MAX_SESSIONS) {
            throw invalid("sessions or capacity out of range");
        }
    }

    /** Names: 1-64 of A-Z a-z 0-9 . _ ~ - ("" allowed when {@code optional}). */
    private static void name(String name, boolean optional) throws DecodeException {
        if (name == null || name.length() > MAX_NAME_LENGTH || (!optional && name.isEmpty())) {
            throw invalid("name missing or too long");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '~' || c == '-')) {
                throw invalid("name with a character outside A-Z a-z 0-9 . _ ~ -");
            }
        }
    }

    private static void region(String region) throws DecodeException {
        if (region == null || region.length() > NodeRecord.MAX_REGION_LENGTH) {
            throw invalid("region missing or too long");
        }
        text(region);
    }

    private static void shortText(String s, int max, String what) throws DecodeException {
        if (s == null || s.length() > max) {
            throw invalid(what + " missing or too long");
        }
        text(s);
    }

    /** values() copies its array on every call. */
    private static final ErrorCode[] ERROR_CODES = ErrorCode.values();

    private static boolean isErrorCode(String code) {
        for (ErrorCode c : ERROR_CODES) {
            if (c.name().equals(code)) {
                return true;
            }
        }
        return false;
    }

    private static void peer(Peer p) throws DecodeException {
        if (p == null) {
            throw invalid("missing sender");
        }
        id(p.id(), "sender id");
        if (p.role() == null) {
            throw invalid("missing role");
        }
        record(p.region(), p.caps());
    }

    private static void contact(WireContact c) throws DecodeException {
        if (c == null) {
            throw invalid("null contact");
        }
        id(c.id(), "contact id");
        ip(c.ip());
        port(c.port(), "contact");
        if (c.role() == null) {
            throw invalid("missing contact role");
        }
        record(c.region(), c.caps());
    }

    private static void record(String region, List<String> caps) throws DecodeException {
        if (region == null || region.length() > NodeRecord.MAX_REGION_LENGTH) {
            throw invalid("region missing or too long");
        }
        text(region);
        if (caps == null || caps.size() > NodeRecord.MAX_CAPABILITIES) {
            throw invalid("capabilities missing or too many");
        }
        for (int i = 0; i < caps.size(); i++) {
            String cap = caps.get(i);
            if (cap == null || cap.isEmpty() || cap.length() > NodeRecord.MAX_CAPABILITY_LENGTH) {
                throw invalid("capability empty or too long");
            }
            text(cap);
        }
    }

    private static void value(WireValue v) throws DecodeException {
        if (v == null) {
            throw invalid("missing value");
        }
        if (v.key() == null || v.key().isEmpty() || utf8Length(v.key()) > DhtLimits.MAX_KEY_BYTES) {
            throw invalid("value key empty or too long");
        }
        if (v.json() == null || utf8Length(v.json()) > DhtLimits.MAX_VALUE_BYTES) {
            throw invalid("value missing or too large");
        }
        text(v.key());
        text(v.json());
        if (!v.tombstone() && v.json().isEmpty()) {
            throw invalid("empty value");
        }
        if (v.ttlMillis() <= 0 || v.ttlMillis() > DhtLimits.MAX_TTL.toMillis()) {
            throw invalid("ttl out of range");
        }
        id(v.publisher(), "publisher");
    }

    private static void id(byte[] id, String what) throws DecodeException {
        if (id == null || id.length != NodeId.BYTES) {
            throw invalid(what + " is not " + NodeId.BYTES + " bytes");
        }
    }

    private static void worker(WireWorker w) throws DecodeException {
        if (w == null) {
            throw invalid("null worker");
        }
        id(w.worker(), "worker id");
        ip(w.ip());
        port(w.port(), "worker");
    }

    /** A UDP port to reach {@code what} at: 1-65535. */
    private static void port(int port, String what) throws DecodeException {
        if (port < 1 || port > 65535) {
            throw invalid(what + " port out of range");
        }
    }

    private static void ip(byte[] ip) throws DecodeException {
        if (ip == null || (ip.length != 4 && ip.length != 16)) {
            throw invalid("address is not 4 or 16 bytes");
        }
    }

    /**
     * Rejects text that cannot be encoded again: an unpaired surrogate (which a lenient UTF-8
     * decoder can produce from CESU-8 bytes) would make every later message carrying it fail to
     * encode, so one hostile datagram could poison a node's replies.
     */
    static void text(String s) throws DecodeException {
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw invalid("text with an unpaired surrogate");
                }
            }
        }
    }

    /** UTF-8 length without allocating; stops counting once past any limit we check. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static DecodeException invalid(String detail) {
        return new DecodeException(Reason.INVALID_FIELD, detail);
    }
}
