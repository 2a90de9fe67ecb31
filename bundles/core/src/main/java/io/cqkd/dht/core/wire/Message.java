package io.cqkd.dht.core.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.cqkd.dht.api.NodeRole;

/**
 * A protocol message. Every message carries a transaction id (random, chosen by the requester,
 * echoed by the responder) and the sender's id and record; the sender's address is the UDP
 * source address, never a field.
 *
 * <p>The Jackson annotations name the type ids of the wire format. The codec
 * ({@code codec.MessageCbor}) writes and reads the same CBOR by hand; its tests check it
 * byte for byte against databind driven by these annotations.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "t")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Message.Ping.class, name = "p"),
        @JsonSubTypes.Type(value = Message.Pong.class, name = "P"),
        @JsonSubTypes.Type(value = Message.FindNode.class, name = "f"),
        @JsonSubTypes.Type(value = Message.Nodes.class, name = "N"),
        @JsonSubTypes.Type(value = Message.FindValue.class, name = "v"),
        @JsonSubTypes.Type(value = Message.ValueFound.class, name = "V"),
        @JsonSubTypes.Type(value = Message.Store.class, name = "s"),
        @JsonSubTypes.Type(value = Message.StoreAck.class, name = "S"),
        @JsonSubTypes.Type(value = Message.ErrorReply.class, name = "E"),
        // bootstrap tier (SPEC 3.3): see docs/tier.md "Protocol"
        @JsonSubTypes.Type(value = Message.Join.class, name = "j"),
        @JsonSubTypes.Type(value = Message.JoinReply.class, name = "J"),
        @JsonSubTypes.Type(value = Message.Renew.class, name = "r"),
        @JsonSubTypes.Type(value = Message.Leave.class, name = "l"),
        @JsonSubTypes.Type(value = Message.TierAck.class, name = "A"),
        @JsonSubTypes.Type(value = Message.LoadReport.class, name = "o"),
        @JsonSubTypes.Type(value = Message.ReferralRequest.class, name = "q"),
        @JsonSubTypes.Type(value = Message.Referral.class, name = "Q"),
        @JsonSubTypes.Type(value = Message.RegisterWorkers.class, name = "w"),
        // failover (docs/failover.md "What the tier agent does"): PROMOTE / RESTORE orders
        @JsonSubTypes.Type(value = Message.CapacityOrder.class, name = "c")
})
public sealed interface Message permits Message.Request, Message.Response {
    /** Transaction id: random per request, echoed in the response. */
    long txid();

    /** The sender's id and record. */
    Peer from();

    /** A message that expects a response. */
    sealed interface Request extends Message permits Ping, FindNode, FindValue, Store, TierRequest {
    }

    /**
     * A request of the bootstrap tier: handled by the node's tier extension (when it has none, it
     * answers {@link ErrorCode#UNSUPPORTED}).
     */
    sealed interface TierRequest extends Request permits Join, Renew, Leave, LoadReport, ReferralRequest,
            RegisterWorkers, CapacityOrder {
    }

    /** A response to a request with the same txid from the address the request went to. */
    sealed interface Response extends Message permits Pong, Nodes, ValueFound, StoreAck, ErrorReply, JoinReply,
            TierAck, Referral {
    }

    /** Liveness check. */
    record Ping(long txid, Peer from) implements Request {
    }

    /** Answer to a {@link Ping}; tells the requester the address it was seen from. */
    record Pong(long txid, Peer from, byte[] observedIp, int observedPort) implements Response {
    }

    /** Asks for the k contacts closest to {@code target} (20 bytes). */
    record FindNode(long txid, Peer from, byte[] target) implements Request {
    }

    /** The closest contacts known to the responder (at most k). */
    record Nodes(long txid, Peer from, java.util.List<WireContact> nodes) implements Response {
    }

    /** Asks for the value under {@code key} (20-byte key id); answered by {@link ValueFound} or {@link Nodes}. */
    record FindValue(long txid, Peer from, byte[] key) implements Request {
    }

    /** The value (or tombstone) held by the responder. */
    record ValueFound(long txid, Peer from, WireValue value) implements Response {
    }

    /** Asks the receiver to hold {@code value} under {@code key} (20-byte key id). */
    record Store(long txid, Peer from, byte[] key, WireValue value) implements Request {
    }

    /** Answer to a {@link Store}: stored, or refused with a reason code (e.g. {@code full}, {@code stale}). */
    record StoreAck(long txid, Peer from, boolean stored, String reason) implements Response {
    }

    /** A request was refused (rate limited, malformed semantics); {@code code} is an {@link ErrorCode} name. */
    record ErrorReply(long txid, Peer from, String code) implements Response {
    }

    // ---- bootstrap tier ----

    /**
     * Asks a bootstrap node for a session (the seed's "connection").
     *
     * @param region          the joiner's region, "" for none
     * @param expectedWorkers the deployment's expected worker count (0 = unknown)
     */
    record Join(long txid, Peer from, String region, int expectedWorkers) implements TierRequest {
    }

    /**
     * Answer to a {@link Join}: {@code admitted} (with {@code leaseMillis}), {@code referred}
     * (to {@code nodes}, best first, never empty) or {@code refused} ({@code reason} is an
     * {@code AdmissionDecision.Reason} name, {@code detail} one operator line).
     */
    record JoinReply(long txid, Peer from, String outcome, long leaseMillis, java.util.List<WireBootstrapNode> nodes,
                     String reason, String detail) implements Response {
        /** {@link #outcome()} values, one per {@code AdmissionDecision} kind. */
        public static final String ADMITTED = "admitted";
        /** See {@link #ADMITTED}. */
        public static final String REFERRED = "referred";
        /** See {@link #ADMITTED}. */
        public static final String REFUSED = "refused";
    }

    /** Extends the sender's session; answered by {@link TierAck} ({@code ok=false}: join again). */
    record Renew(long txid, Peer from) implements TierRequest {
    }

    /** Ends the sender's session; answered by {@link TierAck}. */
    record Leave(long txid, Peer from) implements TierRequest {
    }

    /** Answer to {@link Renew}, {@link Leave}, {@link RegisterWorkers} (and a refused {@link LoadReport}). */
    record TierAck(long txid, Peer from, boolean ok, String reason) implements Response {
    }

    /**
     * A bootstrap node's load, sent to its parent (and by a super to its peer supers)
     * periodically; the address is the datagram's source. Answered by a {@link Referral} of what
     * the receiver knows (the reporter's siblings), or by a {@link TierAck} with {@code ok=false}
     * when the receiver does not expect reports from the sender.
     */
    record LoadReport(long txid, Peer from, String name, NodeRole level, String region, String parent,
                      int activeSessions, int capacity, boolean healthy) implements TierRequest {
    }

    /**
     * Asks what the receiver knows of the tier: itself plus up to {@code max} healthy nodes with
     * room per level, least-loaded first, of {@code level} ("" = every level) in {@code region}
     * ("" = any). Answered by {@link Referral}.
     */
    record ReferralRequest(long txid, Peer from, String level, String region, int max) implements TierRequest {
    }

    /**
     * Bootstrap nodes the responder knows.
     *
     * @param responder the responder's own name in the tier, "" when it is no bootstrap node
     */
    record Referral(long txid, Peer from, String responder, java.util.List<WireBootstrapNode> nodes)
            implements Response {
    }

    /**
     * A local node tells its regional about the workers it admitted or renewed ({@code live=true})
     * and those that left or lapsed ({@code live=false}), gathered for a fraction of a second so
     * that a join wave costs the regional one datagram per batch, not one per worker. At most
     * {@code MessageValidator.MAX_WORKERS} per message. Answered by {@link TierAck}.
     */
    record RegisterWorkers(long txid, Peer from, String region, java.util.List<WireWorker> workers)
            implements TierRequest {
    }

    /**
     * A parent's failover order to a backup bootstrap node: a PROMOTE ({@code takesPlaceOf} names
     * the failed node the backup replaces as primary; {@code capacity} is its raised capacity) or
     * a RESTORE ({@code takesPlaceOf} empty; {@code capacity} is its capacity before the
     * promotion). The backup sets its own capacity; answered by {@link TierAck}.
     */
    record CapacityOrder(long txid, Peer from, String backup, int capacity, String takesPlaceOf)
            implements TierRequest {
        /** True for a PROMOTE, false for a RESTORE. */
        public boolean promotion() {
            return takesPlaceOf != null && !takesPlaceOf.isEmpty();
        }
    }
}
