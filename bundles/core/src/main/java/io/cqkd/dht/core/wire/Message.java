package io.cqkd.dht.core.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A protocol message. Every message carries a transaction id (random, chosen by the requester,
 * echoed by the responder) and the sender's id and record; the sender's address is the UDP
 * source address, never a field.
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
        @JsonSubTypes.Type(value = Message.ErrorReply.class, name = "E")
})
public sealed interface Message permits Message.Request, Message.Response {
    /** Transaction id: random per request, echoed in the response. */
    long txid();

    /** The sender's id and record. */
    Peer from();

    /** A message that expects a response. */
    sealed interface Request extends Message permits Ping, FindNode, FindValue, Store {
    }

    /** A response to a request with the same txid from the address the request went to. */
    sealed interface Response extends Message permits Pong, Nodes, ValueFound, StoreAck, ErrorReply {
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
}
