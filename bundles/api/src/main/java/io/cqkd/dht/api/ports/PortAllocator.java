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
     * The ports to try for {@code request} within {@code context.range()}, best first. The
     * iterator may be lazy; every port it yields lies in the range, and it should yield each port
     * of the range at most once (the service stops after one pass over the range). When the
     * service fails to bind a candidate it asks for the next one at once: a strategy must not
     * sleep or back off.
     *
     * @throws PortAllocationException when the request lacks what this strategy needs (the
     *         message names what is missing)
     */
    PrimitiveIterator.OfInt candidates(PortRequest request, AllocationContext context) throws PortAllocationException;
}
