package io.cqkd.dht.core.osgi;

import io.cqkd.dht.core.netty.UdpRuntime;
import java.time.Duration;
import java.util.Objects;

/**
 * What nodes take from the container-wide runtime: the shared event loops, the default cluster key
 * text and the timestamp window.
 *
 * @param udp               shared event loops
 * @param defaultClusterKey cluster key for nodes that configure none ("" for none)
 * @param timestampWindow   accepted clock difference of authenticated datagrams
 */
record RuntimeContext(UdpRuntime udp, String defaultClusterKey, Duration timestampWindow) {
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
                + (defaultClusterKey.isEmpty() ? "none" : "set") + ", window=" + timestampWindow + "]";
    }
}
