package io.cqkd.dht.ports.random;

import io.cqkd.dht.api.ports.AllocationContext;
import io.cqkd.dht.api.ports.PortAllocator;
import io.cqkd.dht.api.ports.PortRange;
import io.cqkd.dht.api.ports.PortRequest;
import java.util.BitSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PrimitiveIterator;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Uniform over the free ports of the range (the ports the container has not registered or
 * blocked): every free port is equally likely first, and a collision with another process (the
 * bind fails) simply draws the next one, never a port already tried. Ignores worker ids, slots
 * and pod names.
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
        return new Draws(context, random.get());
    }

    /**
     * Draws free ports without replacement. While free ports are plentiful it samples the range
     * and rejects unavailable or already drawn ports (O(1) per candidate); after
     * {@link #REJECTIONS} misses in a row it lists the remaining free ports once and shuffles them
     * lazily (Fisher-Yates). Both phases pick uniformly among the free ports not yet drawn.
     */
    private static final class Draws implements PrimitiveIterator.OfInt {
        private static final int REJECTIONS = 32;
        private final AllocationContext context;
        private final PortRange range;
        private final RandomGenerator rng;
        private final BitSet drawn;
        private int[] rest;
        private int restCount;
        private int restNext;
        private int prepared = -1;

        Draws(AllocationContext context, RandomGenerator rng) {
            this.context = context;
            this.range = context.range();
            this.rng = rng;
            this.drawn = new BitSet(range.size());
        }

        @Override
        public boolean hasNext() {
            if (prepared < 0) {
                prepared = draw();
            }
            return prepared >= 0;
        }

        @Override
        public int nextInt() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int port = prepared;
            prepared = -1;
            drawn.set(port - range.first());
            return port;
        }

        private int draw() {
            if (rest == null) {
                for (int i = 0; i < REJECTIONS; i++) {
                    int port = range.first() + rng.nextInt(range.size());
                    if (!drawn.get(port - range.first()) && !context.unavailable().test(port)) {
                        return port;
                    }
                }
                rest = new int[range.size()];
                for (int port = range.first(); port <= range.last(); port++) {
                    if (!drawn.get(port - range.first()) && !context.unavailable().test(port)) {
                        rest[restCount++] = port;
                    }
                }
            }
            if (restNext >= restCount) {
                return -1;
            }
            int pick = restNext + rng.nextInt(restCount - restNext);
            int port = rest[pick];
            rest[pick] = rest[restNext];
            rest[restNext++] = port;
            return port;
        }
    }
}
