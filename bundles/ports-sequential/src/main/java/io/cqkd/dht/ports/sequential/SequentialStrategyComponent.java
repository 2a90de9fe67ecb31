package io.cqkd.dht.ports.sequential;

import io.cqkd.dht.api.ports.AllocationContext;
import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortAllocator;
import io.cqkd.dht.api.ports.PortRequest;
import java.util.PrimitiveIterator;
import org.osgi.service.component.annotations.Component;

/** Registers {@link SequentialPortAllocator} as the {@code strategy=sequential} PortAllocator. */
@Component(name = "io.cqkd.dht.ports.sequential", service = PortAllocator.class,
        property = PortAllocator.PROP_STRATEGY + "=" + SequentialPortAllocator.NAME)
public final class SequentialStrategyComponent implements PortAllocator {
    private final SequentialPortAllocator delegate = new SequentialPortAllocator();

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
