package io.cqkd.dht.ports;

import java.util.ArrayDeque;
import java.util.List;

/** The last {@code capacity} allocation events, oldest first; older ones are dropped. */
final class AllocationHistory {
    private final ArrayDeque<HistoryEvent> events = new ArrayDeque<>();
    private int capacity;
    private long dropped;

    AllocationHistory(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(HistoryEvent event) {
        events.addLast(event);
        trim();
    }

    synchronized void resize(int newCapacity) {
        capacity = newCapacity;
        trim();
    }

    private void trim() {
        while (events.size() > capacity) {
            events.removeFirst();
            dropped++;
        }
    }

    synchronized List<HistoryEvent> snapshot() {
        return List.copyOf(events);
    }

    /** Events dropped because the history was full. */
    synchronized long dropped() {
        return dropped;
    }
}
