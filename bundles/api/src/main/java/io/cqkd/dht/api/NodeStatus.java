package io.cqkd.dht.api;

import java.util.Map;

/**
 * A snapshot of a node for operators.
 *
 * @param name             configuration name of the node
 * @param id               node id
 * @param role             role
 * @param region           region ("" for none)
 * @param host             bound address
 * @param port             bound UDP port (0 before binding)
 * @param state            life-cycle state
 * @param detail           one line on the state (why it is waiting or failed), "" when nothing to say
 * @param routingTableSize contacts in the routing table
 * @param storedValues     values (including tombstones) held for the network
 * @param uptimeMillis     time since the node started
 * @param counters         traffic and error counters (datagrams in/out, dropped by reason, timeouts ...)
 */
public record NodeStatus(String name, NodeId id, NodeRole role, String region, String host, int port,
                         NodeState state, String detail, int routingTableSize, int storedValues,
                         long uptimeMillis, Map<String, Long> counters) {
    /** Defensive copy. */
    public NodeStatus {
        counters = Map.copyOf(counters);
    }
}
