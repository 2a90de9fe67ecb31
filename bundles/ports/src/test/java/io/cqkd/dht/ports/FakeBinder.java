package io.cqkd.dht.ports;

import io.cqkd.dht.api.ports.PortBinder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A host in a test: ports other processes hold, and what the node bound. Thread-safe. */
final class FakeBinder implements PortBinder {
    final Set<Integer> takenByOthers = new HashSet<>();
    final Set<Integer> bound = new HashSet<>();
    final List<Integer> attempts = new ArrayList<>();

    FakeBinder taken(int... ports) {
        for (int p : ports) {
            takenByOthers.add(p);
        }
        return this;
    }

    FakeBinder takenRange(int first, int last) {
        for (int p = first; p <= last; p++) {
            takenByOthers.add(p);
        }
        return this;
    }

    @Override
    public synchronized boolean tryBind(int port) {
        attempts.add(port);
        if (takenByOthers.contains(port) || bound.contains(port)) {
            return false;
        }
        bound.add(port);
        return true;
    }

    synchronized void unbind(int port) {
        bound.remove(port);
    }
}
