package io.cqkd.dht.api.ports;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PrimitiveIterator;
import java.util.function.IntPredicate;

/**
 * What a {@link PortAllocator} may know about the container when it proposes ports.
 *
 * @param range     the port range of the request's role; every proposed port must lie in it
 * @param base      the port at index 0 of index-based strategies (sequential, slot): the
 *                  configured base port plus offset for workers, the range's first port for
 *                  other roles; it may lie outside the range, strategies wrap indices into it
 * @param unavailable true for ports this container cannot hand out (registered to a node or
 *                  blocked by policy); a snapshot hint, the allocation service re-checks every
 *                  candidate and a strategy may still propose such ports
 */
public record AllocationContext(PortRange range, int base, IntPredicate unavailable) {
    /** Rejects nulls. */
    public AllocationContext {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(unavailable, "unavailable");
    }

    /**
     * Maps a 0-based index onto the range, starting at {@link #base()} and wrapping around the
     * range's end: {@code first + floorMod(base + index - first, size)}.
     */
    public int portAt(long index) {
        long offset = Math.floorMod((long) base + index - range.first(), (long) range.size());
        return (int) (range.first() + offset);
    }

    /**
     * One pass over the whole range in port order, starting at {@code portAt(startIndex)} and
     * wrapping after the range's last port: the walk of the index-based strategies, where a
     * candidate that cannot be bound is followed immediately by the next port.
     */
    public PrimitiveIterator.OfInt walkFrom(long startIndex) {
        int first = portAt(startIndex);
        int size = range.size();
        return new PrimitiveIterator.OfInt() {
            private int step;

            @Override
            public boolean hasNext() {
                return step < size;
            }

            @Override
            public int nextInt() {
                if (step >= size) {
                    throw new NoSuchElementException();
                }
                int port = first + step++;
                return port > range.last() ? port - size : port;
            }
        };
    }
}
