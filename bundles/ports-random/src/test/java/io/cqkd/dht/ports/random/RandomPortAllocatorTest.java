package io.cqkd.dht.ports.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.ports.AllocationContext;
import io.cqkd.dht.api.ports.PortRange;
import io.cqkd.dht.api.ports.PortRequest;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PrimitiveIterator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RandomPortAllocatorTest {
    private static final PortRequest REQUEST = new PortRequest("w", NodeRole.WORKER, OptionalInt.empty(),
            OptionalInt.of(1), OptionalInt.empty(), Optional.empty());
    private static final PortRange RANGE = new PortRange(7000, 7009);

    @Test
    void yieldsEveryFreePortOnceAndSkipsUnavailableOnes() {
        RandomPortAllocator strategy = new RandomPortAllocator(() -> new SplittableRandom(1));
        PrimitiveIterator.OfInt it = strategy.candidates(REQUEST, new AllocationContext(RANGE, 7000, p -> p % 2 == 0));
        int[] got = IntStream.generate(it::nextInt).limit(5).sorted().toArray();
        assertFalse(it.hasNext());
        assertArrayEquals(new int[] {7001, 7003, 7005, 7007, 7009}, got);
    }

    @Test
    void firstCandidateIsUniformOverFreePorts() {
        RandomPortAllocator strategy = new RandomPortAllocator(new SplittableRandom(42)::split);
        int[] counts = new int[10];
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            counts[strategy.candidates(REQUEST, new AllocationContext(RANGE, 7000, p -> false)).nextInt() - 7000]++;
        }
        for (int c : counts) {
            // expected 2000 each; 5 sigma is about 212
            assertTrue(Math.abs(c - draws / 10) < 250, () -> "not uniform: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void noFreePortMeansNoCandidate() {
        RandomPortAllocator strategy = new RandomPortAllocator(() -> new SplittableRandom(3));
        assertFalse(strategy.candidates(REQUEST, new AllocationContext(RANGE, 7000, p -> true)).hasNext());
    }

    @Test
    void sameSeedSameOrder() {
        int[] a = IntStream.generate(new RandomPortAllocator(() -> new SplittableRandom(9))
                .candidates(REQUEST, new AllocationContext(RANGE, 7000, p -> false))::nextInt).limit(10).toArray();
        int[] b = IntStream.generate(new RandomPortAllocator(() -> new SplittableRandom(9))
                .candidates(REQUEST, new AllocationContext(RANGE, 7000, p -> false))::nextInt).limit(10).toArray();
        assertArrayEquals(a, b);
        assertEquals(10, IntStream.of(a).distinct().count());
    }
}
