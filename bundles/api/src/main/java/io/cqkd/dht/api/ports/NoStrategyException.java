package io.cqkd.dht.api.ports;

/**
 * No port-allocation strategy is active, so a port that is not explicit cannot be allocated now.
 * A node may wait and retry when a {@link PortAllocator} service appears; explicit ports still
 * work meanwhile. The message names the strategy filter that matched nothing.
 */
public class NoStrategyException extends PortAllocationException {
    private static final long serialVersionUID = 1L;

    /** A failure naming the missing strategy. */
    public NoStrategyException(String message) {
        super(message);
    }
}
