package io.cqkd.dht.ports.sequential;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.ports.AllocationContext;
import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortRange;
import io.cqkd.dht.api.ports.PortRequest;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PrimitiveIterator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SequentialPortAllocatorTest {
    private static final PortRange WORKERS = new PortRange(7000, 7999);
    private final SequentialPortAllocator strategy = new SequentialPortAllocator();

    private static PortRequest worker(int id) {
        return new PortRequest("worker-" + id, NodeRole.WORKER, OptionalInt.empty(), OptionalInt.of(id),
                OptionalInt.empty(), Optional.empty());
    }

    private static int[] take(PrimitiveIterator.OfInt it, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = it.nextInt();
        }
        return out;
    }

    @Test
    void workerFiveGets7004WithTheSeedDefaults() throws Exception {
        assertEquals(7004, strategy.candidates(worker(5), new AllocationContext(WORKERS, 7000, p -> false)).nextInt());
    }

    @Test
    void basePortAndOffsetShiftTheStart() throws Exception {
        // BASE_PORT 7100 + (3 - 1) + PORT_OFFSET 10 = 7112
        assertEquals(7112, strategy.candidates(worker(3), new AllocationContext(WORKERS, 7110, p -> false)).nextInt());
    }

    @Test
    void takenPortMovesToTheNextOneAndWrapsAroundTheRange() throws Exception {
        PortRange small = new PortRange(7000, 7004);
        assertArrayEquals(new int[] {7003, 7004, 7000, 7001, 7002},
                take(strategy.candidates(worker(4), new AllocationContext(small, 7000, p -> false)), 5));
    }

    @Test
    void onePassCoversEveryPortOnce() throws Exception {
        PrimitiveIterator.OfInt it = strategy.candidates(worker(777), new AllocationContext(WORKERS, 7000, p -> false));
        int[] ports = take(it, 1000);
        assertTrue(!it.hasNext());
        assertArrayEquals(IntStream.rangeClosed(7000, 7999).toArray(), IntStream.of(ports).sorted().toArray());
    }

    @Test
    void workerIdPastTheRangeWrapsIntoIt() throws Exception {
        assertEquals(7000, strategy.candidates(worker(1001), new AllocationContext(WORKERS, 7000, p -> false)).nextInt());
    }

    @Test
    void noWorkerIdStartsAtTheBase() throws Exception {
        PortRequest bootstrap = new PortRequest("sb-primary", NodeRole.SUPER, OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), Optional.empty());
        assertEquals(5678, strategy.candidates(bootstrap,
                new AllocationContext(new PortRange(5678, 5761), 5678, p -> false)).nextInt());
    }

    @Test
    void workerIdZeroIsRefused() {
        PortAllocationException e = assertThrows(PortAllocationException.class,
                () -> strategy.candidates(worker(0), new AllocationContext(WORKERS, 7000, p -> false)));
        assertTrue(e.getMessage().contains("1-based"), e.getMessage());
    }
}
