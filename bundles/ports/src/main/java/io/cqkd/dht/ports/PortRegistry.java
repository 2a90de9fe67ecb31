package io.cqkd.dht.ports;

import io.cqkd.dht.api.ports.PortAllocationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The container's port registry. Reservations are atomic (one lock around the checks and the
 * insert) so two threads of this container never try the same port, and the ownership rules
 * (one port per node, one port per worker id) cannot be raced; the socket bind itself happens
 * outside the lock. Reads of single ports are lock-free.
 */
final class PortRegistry {
    private final Map<Integer, PortEntry> byPort = new ConcurrentHashMap<>();
    /** Guarded by {@code this}. */
    private final Map<String, Integer> portByNode = new HashMap<>();
    /** Guarded by {@code this}. */
    private final Map<Integer, Integer> portByWorker = new HashMap<>();

    /** True when a node of this container holds or is binding {@code port}. */
    boolean isHeld(int port) {
        return byPort.containsKey(port);
    }

    /** The entry of {@code port}, or null. */
    PortEntry get(int port) {
        return byPort.get(port);
    }

    /**
     * Checks that the owner may take another port, without reserving anything.
     *
     * @throws PortAllocationException naming the rule and the port the owner already holds
     */
    synchronized void checkOwner(PortEntry candidate, boolean onePortPerWorker) throws PortAllocationException {
        Integer nodePort = portByNode.get(candidate.node());
        if (nodePort != null) {
            throw new PortAllocationException("node " + candidate.node() + " already holds port " + nodePort
                    + " in this container; it must close its lease before taking another port");
        }
        if (onePortPerWorker && candidate.workerId().isPresent()) {
            Integer workerPort = portByWorker.get(candidate.workerId().getAsInt());
            if (workerPort != null) {
                PortEntry holder = byPort.get(workerPort);
                throw new PortAllocationException("policy allows one port per worker: worker "
                        + candidate.workerId().getAsInt() + " already holds port " + workerPort
                        + (holder == null ? "" : " (node " + holder.node() + ")"));
            }
        }
    }

    /**
     * Reserves {@code candidate.port()} with status BINDING.
     *
     * @return the reserved entry, or null when the port is already held in this container
     * @throws PortAllocationException when the owner may not take a port (see {@link #checkOwner})
     */
    synchronized PortEntry reserve(PortEntry candidate, boolean onePortPerWorker) throws PortAllocationException {
        checkOwner(candidate, onePortPerWorker);
        if (byPort.containsKey(candidate.port())) {
            return null;
        }
        byPort.put(candidate.port(), candidate);
        portByNode.put(candidate.node(), candidate.port());
        candidate.workerId().ifPresent(id -> portByWorker.putIfAbsent(id, candidate.port()));
        return candidate;
    }

    /** Marks a reservation ALLOCATED at {@code now}; returns the new entry. */
    synchronized PortEntry confirm(PortEntry reserved, Instant now) {
        PortEntry allocated = new PortEntry(reserved.port(), reserved.node(), reserved.role(), reserved.workerId(),
                reserved.strategy(), now, PortEntry.Status.ALLOCATED);
        if (byPort.get(reserved.port()) != reserved) {
            throw new IllegalStateException("reservation of port " + reserved.port() + " vanished");
        }
        byPort.put(reserved.port(), allocated);
        return allocated;
    }

    /**
     * Removes {@code entry} if it is still the registered one (a stale lease never removes a
     * later owner). Returns true when it removed it.
     */
    synchronized boolean remove(PortEntry entry) {
        if (byPort.get(entry.port()) != entry) {
            return false;
        }
        byPort.remove(entry.port());
        portByNode.remove(entry.node(), entry.port());
        entry.workerId().ifPresent(id -> portByWorker.remove(id, entry.port()));
        return true;
    }

    /** All entries, by port. */
    List<PortEntry> snapshot() {
        List<PortEntry> all = new ArrayList<>(byPort.values());
        all.sort(Comparator.comparingInt(PortEntry::port));
        return all;
    }
}
