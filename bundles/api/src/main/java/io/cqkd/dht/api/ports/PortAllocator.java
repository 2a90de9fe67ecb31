package io.cqkd.dht.api.ports;

import java.util.PrimitiveIterator;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A port-allocation strategy (sequential, slot, random). Strategies only propose: they return
 * the ports to try, in order; the allocation service binds them. Registered with the service
 * property {@code strategy=<name>} so configuration can select one with a target filter.
 */
@ConsumerType
public interface PortAllocator {
    /** Service property naming the strategy. */
    String PROP_STRATEGY = "strategy";

    /** The strategy's name ({@code sequential}, {@code slot}, {@code random}). */
    String name();

    /**
     * The ports to try for {@code request} within {@code range}, best first. The iterator may be
     * lazy; every port it yields lies in the range.
     *
     * @throws PortAllocationException when the request lacks what this strategy needs
     */
    PrimitiveIterator.OfInt candidates(PortRequest request, PortRange range) throws PortAllocationException;
}
