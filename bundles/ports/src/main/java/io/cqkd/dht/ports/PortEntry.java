package io.cqkd.dht.ports;

import io.cqkd.dht.api.NodeRole;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * One port in the container's registry.
 *
 * @param port        the port
 * @param node        owner node (its configuration name)
 * @param role        owner's role
 * @param workerId    owner's worker id, when it has one
 * @param strategy    what chose the port: a strategy name, {@code explicit} or {@code legacy}
 * @param allocatedAt when the port was reserved, then (status ALLOCATED) when the bind succeeded
 * @param status      {@link Status#BINDING} while the node's bind is in progress, then {@link Status#ALLOCATED}
 */
public record PortEntry(int port, String node, NodeRole role, OptionalInt workerId, String strategy,
                        Instant allocatedAt, Status status) {

    /** Life of a registry entry; a released port leaves the registry (the history keeps it). */
    public enum Status {
        /** Reserved in the registry; the node is binding its socket. */
        BINDING,
        /** The node's socket is bound and held. */
        ALLOCATED
    }
}
