package io.cqkd.dht.core.engine;

import io.cqkd.dht.core.wire.Message;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-node traffic and error counters, written by the engine and the transport, read by the
 * shell. Thread-safe and allocation-free on the hot path.
 *
 * <p>One {@link AtomicLongArray} slot per counter (~250 bytes per node) rather than one
 * {@code LongAdder} each (~1 KB per node with the map): a node's counters are written by its own
 * event-loop thread, so the adders' striping against contention never paid off, and a container
 * runs thousands of nodes.
 */
public final class Counters {
    /** What is counted. Names are shown in lower case in {@code dht:status}. */
    public enum Counter {
        DATAGRAMS_IN, DATAGRAMS_OUT, BYTES_IN, BYTES_OUT,
        REQUESTS_IN, RESPONSES_IN,
        DROPPED_OVERSIZED, DROPPED_MALFORMED, DROPPED_BAD_MAC, DROPPED_STALE_TIMESTAMP,
        /**
         * Datagrams of another envelope version (a node of a release with another wire format: the
         * two cannot talk, so a network is upgraded as a whole; see docs/deployment.md).
         */
        DROPPED_WRONG_VERSION,
        DROPPED_RATE_LIMITED, DROPPED_UNKNOWN_TXID, DROPPED_WRONG_SENDER, DROPPED_SEND_FAILED,
        RPC_TIMEOUTS, RPC_RETRIES,
        LOOKUPS, STORES_ACCEPTED, STORES_REFUSED, VALUES_EXPIRED, EVICTIONS,
        /** Requests this node sent (first attempts; retries are {@link #RPC_RETRIES}). */
        REQUESTS_OUT,
        /** Requests not sent because too many were outstanding, or lookups refused for the same reason. */
        RPC_OVERLOADED,
        /** Published values re-stored by their publisher. */
        VALUES_REPUBLISHED,
        /** Held values re-sent to the current k closest by the replication job or to a new close contact. */
        VALUES_REPLICATED,
        /** Lookups started to refresh idle buckets. */
        BUCKET_REFRESHES,
        /**
         * New ids at an endpoint held by another id that did not get into the routing table (one id
         * per ip:port): superseded by a later id while the holder was pinged, or refused because the
         * holder answered.
         */
        ENDPOINT_CLAIMS_REFUSED,
        /** Bootstrap rechecks sent (one request to one bootstrap address, see EngineConfig#bootstrapRecheckMillis). */
        BOOTSTRAP_RECHECKS,
        /** Self lookups started because a bootstrap recheck named close nodes this node did not know. */
        PARTITION_HEALS,
        /**
         * Data lookups of a bootstrap node that knew fewer than k workers and went through the other
         * bootstrap nodes as guides (see Lookup).
         */
        LOOKUPS_GUIDED
    }

    /**
     * The kind of a decoded message, for {@link #inboundByType()}: which part of the protocol a
     * node's inbound traffic comes from (Kademlia requests and answers, tier requests and answers).
     * Names are shown in lower case ({@code find_node}, {@code load_report}...).
     */
    public enum MessageType {
        PING(Message.Ping.class), PONG(Message.Pong.class),
        FIND_NODE(Message.FindNode.class), NODES(Message.Nodes.class),
        FIND_VALUE(Message.FindValue.class), VALUE_FOUND(Message.ValueFound.class),
        STORE(Message.Store.class), STORE_ACK(Message.StoreAck.class),
        ERROR_REPLY(Message.ErrorReply.class),
        JOIN(Message.Join.class), JOIN_REPLY(Message.JoinReply.class),
        RENEW(Message.Renew.class), LEAVE(Message.Leave.class), TIER_ACK(Message.TierAck.class),
        LOAD_REPORT(Message.LoadReport.class), REFERRAL_REQUEST(Message.ReferralRequest.class),
        REFERRAL(Message.Referral.class), REGISTER_WORKERS(Message.RegisterWorkers.class),
        CAPACITY_ORDER(Message.CapacityOrder.class);

        private final Class<? extends Message> type;

        MessageType(Class<? extends Message> type) {
            this.type = type;
        }

        private static final ClassValue<MessageType> BY_CLASS = new ClassValue<>() {
            @Override
            protected MessageType computeValue(Class<?> c) {
                for (MessageType t : values()) {
                    if (t.type == c) {
                        return t;
                    }
                }
                return null;
            }
        };

        /** The name in reports: lower case ({@code find_node}). */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The kind of {@code m}; null for null. */
        public static MessageType of(Message m) {
            return m == null ? null : BY_CLASS.get(m.getClass());
        }
    }

    private static final Counter[] ALL = Counter.values();
    private static final MessageType[] TYPES = MessageType.values();

    private final AtomicLongArray values = new AtomicLongArray(ALL.length);
    private final AtomicLongArray inbound = new AtomicLongArray(TYPES.length);

    /** All counters at zero. */
    public Counters() {
    }

    /** Adds one. */
    public void increment(Counter c) {
        values.getAndIncrement(c.ordinal());
    }

    /** Adds {@code n}. */
    public void add(Counter c, long n) {
        values.getAndAdd(c.ordinal(), n);
    }

    /** Current value. */
    public long get(Counter c) {
        return values.get(c.ordinal());
    }

    /** Counts one decoded, authenticated inbound message by its kind (the transport calls it). */
    public void received(Message m) {
        MessageType t = MessageType.of(m);
        if (t != null) {
            inbound.getAndIncrement(t.ordinal());
        }
    }

    /** Decoded inbound messages of kind {@code t} so far. */
    public long received(MessageType t) {
        return inbound.get(t.ordinal());
    }

    /**
     * Decoded, authenticated inbound messages by kind (lower-case name, in protocol order), kinds
     * never received left out. Together they make up {@link Counter#DATAGRAMS_IN} less the
     * datagrams dropped before or at decoding (oversized, malformed, bad MAC, stale).
     */
    public Map<String, Long> inboundByType() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (MessageType t : TYPES) {
            long v = inbound.get(t.ordinal());
            if (v != 0) {
                m.put(t.label(), v);
            }
        }
        return m;
    }

    /** All counters by lower-case name, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        for (Counter c : ALL) {
            m.put(c.name().toLowerCase(java.util.Locale.ROOT), values.get(c.ordinal()));
        }
        return m;
    }
}
