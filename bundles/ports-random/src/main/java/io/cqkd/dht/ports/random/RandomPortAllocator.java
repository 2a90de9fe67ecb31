package io.cqkd.dht.ports.random;

import io.cqkd.dht.api.ports.AllocationContext;
import io.cqkd.dht.api.ports.PortAllocator;
import io.cqkd.dht.api.ports.PortRange;
import io.cqkd.dht.api.ports.PortRequest;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PrimitiveIterator;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Uniform over the free ports of the range: the ports the container has not registered or blocked
 * are shuffled lazily (Fisher-Yates, one swap per candidate), so every free port is equally likely
 * first and a collision with another process (the bind fails) simply draws the next one, never a
 * port already tried. Ignores worker ids, slots and pod names.
 *
 * <p>Plain Java and thread-safe as long as the random source supplier is (the default draws from
 * {@link java.util.concurrent.ThreadLocalRandom}); tests pass a seeded generator.
 */
public final class RandomPortAllocator implements PortAllocator {
    /** The strategy's name, also its {@code strategy} service property. */
    public static final String NAME = "random";

    private final Supplier<? extends RandomGenerator> random;

    /** A strategy that draws from {@code random.get()} on every allocation. */
    public RandomPortAllocator(Supplier<? extends RandomGenerator> random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PrimitiveIterator.OfInt candidates(PortRequest request, AllocationContext context) {
        PortRange range = context.range();
        int[] free = new int[range.size()];
        int count = 0;
        for (int port = range.first(); port <= range.last(); port++) {
            if (!context.unavailable().test(port)) {
                free[count++] = port;
            }
        }
        return new Shuffle(free, count, random.get());
    }

    /** Lazy Fisher-Yates over the first {@code count} entries of {@code ports}. */
    private static final class Shuffle implements PrimitiveIterator.OfInt {
        private final int[] ports;
        private final int count;
        private final RandomGenerator rng;
        private int next;

        Shuffle(int[] ports, int count, RandomGenerator rng) {
            this.ports = ports;
            this.count = count;
            this.rng = rng;
        }

        @Override
        public boolean hasNext() {
            return next < count;
        }

        @Override
        public int nextInt() {
            if (next >= count) {
                throw new NoSuchElementException();
            }
            int pick = next + rng.nextInt(count - next);
            int port = ports[pick];
            ports[pick] = ports[next];
            ports[next++] = port;
            return port;
        }
    }
}
