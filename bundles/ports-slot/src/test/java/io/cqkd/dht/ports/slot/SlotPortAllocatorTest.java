package io.cqkd.dht.ports.slot;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SlotPortAllocatorTest {
    private static final AllocationContext WORKERS = new AllocationContext(new PortRange(7000, 7999), 7000, p -> false);
    private final SlotPortAllocator strategy = new SlotPortAllocator();

    private static PortRequest request(OptionalInt slot, Optional<String> pod) {
        return new PortRequest("n", NodeRole.WORKER, OptionalInt.empty(), OptionalInt.empty(), slot, pod);
    }

    private int first(OptionalInt slot, Optional<String> pod) throws PortAllocationException {
        return strategy.candidates(request(slot, pod), WORKERS).nextInt();
    }

    @Test
    void swarmSlotIsOneBasedAndLandsInTheRangeNotOnPortOne() throws Exception {
        assertEquals(7000, first(OptionalInt.of(1), Optional.empty()));
        assertEquals(7004, first(OptionalInt.of(5), Optional.empty()));
        assertEquals(7999, first(OptionalInt.of(1000), Optional.empty()));
    }

    @Test
    void statefulSetOrdinalIsZeroBased() throws Exception {
        assertEquals(7017, first(OptionalInt.empty(), Optional.of("cqkd-worker-17")));
        assertEquals(7000, first(OptionalInt.empty(), Optional.of("cqkd-worker-0")));
    }

    @Test
    void slotWinsOverPodName() throws Exception {
        assertEquals(7001, first(OptionalInt.of(2), Optional.of("cqkd-worker-17")));
    }

    @Test
    void indexPastTheRangeWrapsAndTakenPortsWalkOn() throws Exception {
        AllocationContext small = new AllocationContext(new PortRange(6000, 6009), 6000, p -> false);
        PrimitiveIterator.OfInt it = strategy.candidates(request(OptionalInt.of(12), Optional.empty()), small);
        assertEquals(6001, it.nextInt());
        assertEquals(6002, it.nextInt());
    }

    @Test
    void neitherSlotNorPodIsAClearError() {
        PortAllocationException e = assertThrows(PortAllocationException.class,
                () -> first(OptionalInt.empty(), Optional.empty()));
        assertTrue(e.getMessage().contains("TASK_SLOT") && e.getMessage().contains("POD_NAME"), e.getMessage());
    }

    @Test
    void slotZeroIsRefused() {
        assertThrows(PortAllocationException.class, () -> first(OptionalInt.of(0), Optional.empty()));
    }

    @ParameterizedTest
    @CsvSource({"cqkd-worker-17,17", "cqkd-worker-0,0", "web-3,3", "a-b-c-42,42", "cqkd-worker-007,7",
            "'  cqkd-worker-5 ',5", "cqkd-worker-999999,999999"})
    void podOrdinals(String pod, int ordinal) throws Exception {
        assertEquals(ordinal, PodOrdinal.parse(pod));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "cqkdworker", "cqkd-worker-", "-17", "cqkd-worker--1", "cqkd-worker-1a",
            "cqkd-worker-+1", "cqkd-worker-1000000", "cqkd-worker-99999999999999999999", "cqkd-worker-١٢"})
    void badPodNamesAreRefusedWithTheName(String pod) {
        PortAllocationException e = assertThrows(PortAllocationException.class, () -> PodOrdinal.parse(pod));
        assertTrue(e.getMessage().contains("pod name"), e.getMessage());
    }

    @Test
    void nullPodNameIsRefused() {
        assertThrows(PortAllocationException.class, () -> PodOrdinal.parse(null));
    }
}
