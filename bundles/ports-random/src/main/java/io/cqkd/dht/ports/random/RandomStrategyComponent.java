package io.cqkd.dht.ports.random;

import io.cqkd.dht.api.ports.AllocationContext;
import io.cqkd.dht.api.ports.PortAllocator;
import io.cqkd.dht.api.ports.PortRequest;
import java.util.PrimitiveIterator;
import java.util.concurrent.ThreadLocalRandom;
import org.osgi.service.component.annotations.Component;

/** Registers {@link RandomPortAllocator} as the {@code strategy=random} PortAllocator. */
@Component(name = "io.cqkd.dht.ports.random", service = PortAllocator.class,
        property = PortAllocator.PROP_STRATEGY + "=" + RandomPortAllocator.NAME)
public final class RandomStrategyComponent implements PortAllocator {
    private final RandomPortAllocator delegate = new RandomPortAllocator(ThreadLocalRandom::current);

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public PrimitiveIterator.OfInt candidates(PortRequest request, AllocationContext context) {
        return delegate.candidates(request, context);
    }
}
