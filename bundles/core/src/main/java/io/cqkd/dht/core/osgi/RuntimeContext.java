package io.cqkd.dht.core.osgi;

import io.cqkd.dht.core.netty.UdpRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What nodes take from the container-wide runtime: the shared event loops, the default cluster key
 * text and the timestamp window.
 *
 * @param udp               shared event loops
 * @param defaultClusterKey cluster key for nodes that configure none ("" for none)
 * @param timestampWindow   accepted clock difference of authenticated datagrams
 * @param stateStore        where nodes keep their id and routing table across restarts; null = nowhere
 */
record RuntimeContext(UdpRuntime udp, String defaultClusterKey, Duration timestampWindow, NodeStateStore stateStore) {
    /** A context whose nodes keep no state across restarts (tests, simulations). */
    RuntimeContext(UdpRuntime udp, String defaultClusterKey, Duration timestampWindow) {
        this(udp, defaultClusterKey, timestampWindow, null);
    }

    /** The same context with nodes' state kept in {@code dataDir} (null: not kept). */
    RuntimeContext withDataDir(Path dataDir) {
        return new RuntimeContext(udp, defaultClusterKey, timestampWindow, dataDir == null ? null : new NodeStateStore(dataDir));
    }

    RuntimeContext {
        Objects.requireNonNull(udp, "udp");
        defaultClusterKey = defaultClusterKey == null ? "" : defaultClusterKey.trim();
        if (timestampWindow.isNegative() || timestampWindow.isZero()) {
            throw new IllegalArgumentException("timestamp window must be positive");
        }
    }

    @Override
    public String toString() {
        return "RuntimeContext[threads=" + udp.threads() + ", epoll=" + udp.epoll() + ", defaultKey="
                + (defaultClusterKey.isEmpty() ? "none" : "set") + ", window=" + timestampWindow + ", dataDir="
                + (stateStore == null ? "none" : stateStore.dir()) + "]";
    }
}
