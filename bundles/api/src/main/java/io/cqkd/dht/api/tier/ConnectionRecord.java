package io.cqkd.dht.api.tier;

import java.util.Objects;

/**
 * One entry of a bootstrap node's connection history (the seed's connect / disconnect log).
 *
 * @param atMillis engine time of the event
 * @param connect  true for a connect (session admitted), false for a disconnect
 * @param reason   joined, left or lease_expired
 * @param peer     the peer's node id (hex)
 * @param address  the peer's host:port
 */
public record ConnectionRecord(long atMillis, boolean connect, String reason, String peer, String address) {
    /** Rejects nulls. */
    public ConnectionRecord {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(address, "address");
    }
}
