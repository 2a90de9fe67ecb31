package io.cqkd.dht.ports;

import io.cqkd.dht.api.NodeRole;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * One allocation event.
 *
 * @param time     when it happened
 * @param kind     what happened
 * @param port     the port, or 0 when none was involved (e.g. an exhausted range)
 * @param node     the requesting node
 * @param role     its role
 * @param workerId its worker id, when it has one
 * @param strategy the strategy that chose (or failed to choose) the port
 * @param detail   the reason of a refusal or failure, empty otherwise
 */
public record HistoryEvent(Instant time, Kind kind, int port, String node, NodeRole role, OptionalInt workerId,
                           String strategy, String detail) {

    /** Kinds of allocation events. */
    public enum Kind {
        /** A port was bound and registered. */
        ALLOCATED,
        /** A node released its port. */
        RELEASED,
        /** The policy refused the request (blocked, out of the allowed ranges, one port per worker). */
        REFUSED,
        /** No port could be allocated (range exhausted, port in use, no strategy, bad request). */
        FAILED
    }
}
