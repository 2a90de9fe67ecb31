package io.cqkd.dht.api.ports;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Binds the node's socket on a port and holds it. The allocation service calls it for each
 * candidate port in the strategy's order; a port is allocated only when this returns true.
 */
@ConsumerType
@FunctionalInterface
public interface PortBinder {
    /** Tries to bind and keep the port; false when it is taken (no exception for that case). */
    boolean tryBind(int port);
}
