package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeId;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One entry of a bootstrap node's connection history.
 *
 * @param atMillis when it happened (engine milliseconds)
 * @param kind     connect or disconnect
 * @param reason   why
 * @param peer     the peer's node id
 * @param address  the peer's address
 */
public record ConnectionEvent(long atMillis, Kind kind, Reason reason, NodeId peer, InetSocketAddress address) {
    /** Session start or end. */
    public enum Kind {
        /** A session was admitted. */
        CONNECT,
        /** A session ended. */
        DISCONNECT
    }

    /** Why the event happened. */
    public enum Reason {
        /** Admitted by a join exchange. */
        JOINED,
        /** The peer said it leaves. */
        LEFT,
        /** The peer's lease lapsed without renewal. */
        LEASE_EXPIRED
    }

    /** Rejects nulls. */
    public ConnectionEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(address, "address");
    }
}
