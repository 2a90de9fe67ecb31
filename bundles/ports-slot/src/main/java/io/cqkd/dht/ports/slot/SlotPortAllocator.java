package io.cqkd.dht.ports.slot;

import io.cqkd.dht.api.ports.AllocationContext;
import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortAllocator;
import io.cqkd.dht.api.ports.PortRequest;
import java.util.PrimitiveIterator;

/**
 * Maps the container's orchestrator index into the range:
 * <ul>
 *   <li>a Docker Swarm task slot ({@code {{.Task.Slot}}}, 1-based): index {@code slot - 1};</li>
 *   <li>otherwise a Kubernetes StatefulSet pod name ({@code cqkd-worker-17}, 0-based): index = the
 *       ordinal parsed by {@link PodOrdinal}.</li>
 * </ul>
 * The first candidate is {@code base + index} (base = BASE_PORT + PORT_OFFSET for workers, the
 * range's first port otherwise), wrapped into the range; so Swarm slot 1 and pod
 * {@code cqkd-worker-0} both get 7000, never port 1 as the seed's "slot as DHT_PORT" did. Then the
 * walk goes on port by port like the sequential strategy when the port is taken.
 *
 * <p>Plain Java, stateless and thread-safe.
 */
public final class SlotPortAllocator implements PortAllocator {
    /** The strategy's name, also its {@code strategy} service property. */
    public static final String NAME = "slot";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PrimitiveIterator.OfInt candidates(PortRequest request, AllocationContext context)
            throws PortAllocationException {
        return context.walkFrom(index(request));
    }

    /** The 0-based index of the request: from the slot when given, else from the pod name. */
    static long index(PortRequest request) throws PortAllocationException {
        if (request.slot().isPresent()) {
            int slot = request.slot().getAsInt();
            if (slot < 1) {
                throw new PortAllocationException("slot strategy: a Swarm task slot is 1-based, got " + slot
                        + " for node " + request.nodeName());
            }
            return slot - 1L;
        }
        if (request.podName().isPresent()) {
            return PodOrdinal.parse(request.podName().get());
        }
        throw new PortAllocationException("slot strategy needs a Docker Swarm task slot (TASK_SLOT) or a "
                + "Kubernetes StatefulSet pod name (POD_NAME) for node " + request.nodeName() + "; it got neither");
    }
}
