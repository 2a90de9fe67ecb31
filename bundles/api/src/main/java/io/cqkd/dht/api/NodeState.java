package io.cqkd.dht.api;

/** Life cycle of a node. */
public enum NodeState {
    /** Configured, waiting for a port (no port-allocation strategy available yet). */
    WAITING_FOR_PORT,
    /** Socket bound, contacting bootstrap nodes. */
    JOINING,
    /** Joined: the routing table holds at least k/2 contacts, or the node is the first of its network. */
    READY,
    /** Stopped; the service is about to be unregistered. */
    STOPPED,
    /** Could not start; {@link NodeStatus#detail()} says why. */
    FAILED
}
