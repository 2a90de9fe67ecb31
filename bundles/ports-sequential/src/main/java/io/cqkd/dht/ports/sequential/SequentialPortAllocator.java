package io.cqkd.dht.ports.sequential;

import io.cqkd.dht.api.ports.AllocationContext;
import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortAllocator;
import io.cqkd.dht.api.ports.PortRequest;
import java.util.PrimitiveIterator;

/**
 * The seed's sequential rule: worker {@code N} starts at {@code base + (N - 1)}, where the
 * allocation service sets {@code base = BASE_PORT + PORT_OFFSET} for workers (so WORKER_ID 5 with
 * the defaults gives 7004). A request without a worker id starts at the base (for bootstrap and
 * special nodes: the first port of their range).
 *
 * <p>When the start port cannot be bound (another container on the host holds it) the walk goes on
 * to the next port, then the next, wrapping once around the range: the "next free port by the
 * strategy's rule", without any backoff. A start index past the range's end wraps into the range.
 *
 * <p>Plain Java, stateless and thread-safe.
 */
public final class SequentialPortAllocator implements PortAllocator {
    /** The strategy's name, also its {@code strategy} service property. */
    public static final String NAME = "sequential";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PrimitiveIterator.OfInt candidates(PortRequest request, AllocationContext context)
            throws PortAllocationException {
        long index = 0;
        if (request.workerId().isPresent()) {
            int workerId = request.workerId().getAsInt();
            if (workerId < 1) {
                throw new PortAllocationException("sequential strategy: WORKER_ID is 1-based, got " + workerId
                        + " for node " + request.nodeName());
            }
            index = workerId - 1L;
        }
        return context.walkFrom(index);
    }
}
