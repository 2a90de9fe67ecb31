package io.cqkd.dht.ports.slot;

import io.cqkd.dht.api.ports.AllocationContext;
import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortAllocator;
import io.cqkd.dht.api.ports.PortRequest;
import java.util.PrimitiveIterator;
import org.osgi.service.component.annotations.Component;

/** Registers {@link SlotPortAllocator} as the {@code strategy=slot} PortAllocator. */
@Component(name = "io.cqkd.dht.ports.slot", service = PortAllocator.class,
        property = PortAllocator.PROP_STRATEGY + "=" + SlotPortAllocator.NAME)
public final class SlotStrategyComponent implements PortAllocator {
    private final SlotPortAllocator delegate = new SlotPortAllocator();

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public PrimitiveIterator.OfInt candidates(PortRequest request, AllocationContext context)
            throws PortAllocationException {
        return delegate.candidates(request, context);
    }
}
