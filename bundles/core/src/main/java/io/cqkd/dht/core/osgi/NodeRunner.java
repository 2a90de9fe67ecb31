package io.cqkd.dht.core.osgi;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.ports.NoStrategyException;
import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortAllocationService;
import io.cqkd.dht.api.ports.PortLease;
import io.cqkd.dht.api.ports.PortRequest;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.core.engine.Counters;
import java.util.function.Supplier;
import io.cqkd.dht.core.netty.UdpEndpoint;
import io.cqkd.dht.core.netty.UdpRuntime;
import io.cqkd.dht.core.wire.codec.MessageCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One incarnation of a node: socket, port lease and engine, from start to stop. A restart builds
 * a new runner. Not thread-safe: its owner ({@link NodeController}) serialises calls.
 */
final class NodeRunner {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);
    /** How long a direct bind of an explicit port is retried (a restarting node's old socket may still be closing). */
    static final long EXPLICIT_BIND_RETRY_MILLIS = 1_000;

    private final NodeSettings settings;
    private final NodeId id;
    private final UdpRuntime runtime;
    private final MessageCodec codec;
    private final NodeEngine.Factory engines;
    private final Counters counters;
    private volatile List<io.cqkd.dht.api.Contact> seeds = List.of();
    private final Supplier<BootstrapSelector> selector;

    private volatile NodeState phase = NodeState.WAITING_FOR_PORT;
    private volatile String detail = "";
    private volatile UdpEndpoint endpoint;
    private volatile NodeEngine engine;
    private volatile PortLease lease;
    private volatile long startedNanos;
    private volatile boolean waitingForStrategy;

    NodeRunner(NodeSettings settings, NodeId id, UdpRuntime runtime, MessageCodec codec, NodeEngine.Factory engines,
               Counters counters, Supplier<BootstrapSelector> selector) {
        this.selector = selector;
        this.settings = settings;
        this.id = id;
        this.runtime = runtime;
        this.codec = codec;
        this.engines = engines;
        this.counters = counters;
    }

    /**
     * Gets a port and starts the engine.
     *
     * @param ports the port-allocation service, or null when none is available
     * @return false when the node must wait for a port-allocation service or for a strategy
     *         ({@link #waitingForStrategy()}); true when it started or failed (see {@link #state()})
     */
    boolean tryStart(PortAllocationService ports) {
        if (phase != NodeState.WAITING_FOR_PORT) {
            return true;
        }
        int port = settings.port();
        waitingForStrategy = false;
        if (port == NodeSettings.PORT_ALLOCATE && ports == null) {
            detail = "waiting for a port-allocation strategy bundle (port=-1)";
            return false;
        }
        UdpEndpoint ep = new UdpEndpoint(runtime, settings.name(), settings.bindHost(), codec, counters,
                receiveBufferBytes());
        try {
            String how;
            if (port == 0) {
                if (!ep.tryBind(0)) {
                    return fail(ep, "no ephemeral port available");
                }
                how = "ephemeral";
            } else if (ports != null) {
                PortRequest request = new PortRequest(settings.name(), settings.record().role(),
                        port > 0 ? OptionalInt.of(port) : OptionalInt.empty(), settings.workerId(),
                        OptionalInt.empty(), Optional.empty());
                lease = ports.allocate(request, ep);
                if (!ep.isBound()) {
                    closeLease();
                    return fail(ep, "port-allocation service returned port " + lease.port() + " without binding it");
                }
                how = lease.strategy();
            } else {
                if (!bindRetrying(ep, port)) {
                    return fail(ep, "port " + port + " is in use");
                }
                how = "explicit";
            }
            endpoint = ep;
            InetSocketAddress self = new InetSocketAddress(advertisedAddress(), ep.port());
            NodeEngine e = engines.create(settings.engine(), id, settings.record(), ep, ep.executor(),
                    new BufferedSecureRandom(new SecureRandom()), counters);
            ep.receiver(e::onMessage);
            e.setSelfAddress(self);
            e.seed(seeds);
            List<InetSocketAddress> bootstrap = resolveBootstrap(self, ep.localAddress());
            engine = e;
            startedNanos = System.nanoTime();
            phase = NodeState.JOINING;
            detail = "";
            e.start(bootstrap, settings.tier(), selector);
            LOG.info("event=node_started node={} id={} role={} region={} port={} port_source={} bootstrap={} auth={}",
                    settings.name(), id.shortHex(), settings.record().role().configName(), settings.record().region(),
                    ep.port(), how, bootstrap.size(), codec.authenticated());
            return true;
        } catch (NoStrategyException e) {
            // Not a failure: the node waits, holding nothing, and retries when a strategy appears.
            ep.close();
            closeLease();
            waitingForStrategy = true;
            detail = oneLine("waiting for a port-allocation strategy bundle (" + e.getMessage() + ")");
            return false;
        } catch (PortAllocationException e) {
            return fail(ep, "port allocation failed: " + e.getMessage());
        } catch (UdpEndpoint.BindFailedException e) {
            return fail(ep, e.getMessage());
        } catch (RuntimeException e) {
            LOG.debug("event=node_start_failed node={}", settings.name(), e);
            return fail(ep, "start failed: " + e);
        }
    }

    /**
     * SO_RCVBUF: the node's own setting, else the runtime's; bootstrap nodes get at least
     * {@link UdpRuntime#DEFAULT_BOOTSTRAP_RECEIVE_BUFFER_BYTES} (capped by the kernel's rmem_max):
     * a burst of joiners' datagrams must not overflow their socket.
     */
    int receiveBufferBytes() {
        if (settings.receiveBufferBytes() > 0) {
            return settings.receiveBufferBytes();
        }
        int base = runtime.receiveBufferBytes();
        return settings.record().role().isBootstrap() && base > 0
                ? Math.max(base, UdpRuntime.DEFAULT_BOOTSTRAP_RECEIVE_BUFFER_BYTES) : base;
    }

    private static boolean bindRetrying(UdpEndpoint ep, int port) {
        long deadline = System.nanoTime() + EXPLICIT_BIND_RETRY_MILLIS * 1_000_000L;
        while (true) {
            if (ep.tryBind(port)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private boolean fail(UdpEndpoint ep, String reason) {
        NodeEngine e = engine;
        engine = null;
        if (e != null) {
            try {
                e.stop();
            } catch (RuntimeException ignored) {
                // already failing; the reason below is what the operator needs
            }
        }
        ep.close();
        endpoint = null;
        closeLease();
        phase = NodeState.FAILED;
        detail = oneLine(reason);
        LOG.warn("event=node_failed node={} reason=\"{}\"", settings.name(), detail);
        return true;
    }

    /** Marks the runner failed before start (invalid settings). */
    static String oneLine(String s) {
        String t = s == null ? "unknown error" : s.replaceAll("[\\r\\n]+", " ");
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    private InetAddress advertisedAddress() {
        String h = settings.advertisedHost();
        try {
            if (!h.isEmpty()) {
                return InetAddress.getByName(h);
            }
            if (!settings.bindHost().isAnyLocalAddress()) {
                return settings.bindHost();
            }
            return InetAddress.getLocalHost();
        } catch (UnknownHostException | SecurityException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    private List<InetSocketAddress> resolveBootstrap(InetSocketAddress self, InetSocketAddress bound) {
        List<InetSocketAddress> out = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        for (NodeSettings.HostPort hp : settings.bootstrap()) {
            InetSocketAddress a = new InetSocketAddress(hp.host(), hp.port());
            if (a.isUnresolved()) {
                unresolved.add(hp.toString());
                continue;
            }
            if (isSelf(a, self, bound)) {
                continue;
            }
            out.add(a);
        }
        if (!unresolved.isEmpty()) {
            LOG.warn("event=bootstrap_unresolved node={} hosts={}", settings.name(), unresolved);
            if (out.isEmpty() && unresolved.size() == settings.bootstrap().size()) {
                throw new IllegalStateException("no bootstrap host resolves: " + unresolved);
            }
        }
        return out;
    }

    private static boolean isSelf(InetSocketAddress a, InetSocketAddress self, InetSocketAddress bound) {
        if (a.getPort() != bound.getPort()) {
            return false;
        }
        InetAddress ip = a.getAddress();
        return a.equals(self) || ip.equals(bound.getAddress()) || (bound.getAddress().isAnyLocalAddress()
                && (ip.isLoopbackAddress() || ip.equals(self.getAddress())));
    }

    /** Stops the engine, closes the socket, releases the lease. Idempotent. */
    void stop() {
        NodeEngine e = engine;
        engine = null;
        if (e != null) {
            try {
                e.stop();
            } catch (RuntimeException ex) {
                LOG.warn("event=node_stop_error node={} error=\"{}\"", settings.name(), oneLine(ex.toString()));
            }
        }
        UdpEndpoint ep = endpoint;
        endpoint = null;
        if (ep != null) {
            ep.close();
        }
        closeLease();
        if (phase != NodeState.FAILED) {
            phase = NodeState.STOPPED;
        }
    }

    private void closeLease() {
        PortLease l = lease;
        lease = null;
        if (l != null) {
            try {
                l.close();
            } catch (RuntimeException ex) {
                LOG.debug("event=port_lease_close_failed node={}", settings.name(), ex);
            }
        }
    }

    NodeSettings settings() {
        return settings;
    }

    /** Contacts of a saved routing table, pinged first when the engine starts; set before {@link #tryStart}. */
    void seeds(List<io.cqkd.dht.api.Contact> contacts) {
        seeds = List.copyOf(contacts);
    }

    NodeEngine engine() {
        return engine;
    }

    UdpEndpoint endpoint() {
        return endpoint;
    }

    /** The engine's state while running, else this runner's phase. */
    NodeState state() {
        NodeEngine e = engine;
        NodeState p = phase;
        if (e != null && p == NodeState.JOINING) {
            NodeState es = e.state();
            // the engine starts on its own thread; until then it still reports its initial state
            return es == NodeState.WAITING_FOR_PORT ? NodeState.JOINING : es;
        }
        return p;
    }

    String detail() {
        return detail;
    }

    /** True while the last start attempt found no active port-allocation strategy. */
    boolean waitingForStrategy() {
        return phase == NodeState.WAITING_FOR_PORT && waitingForStrategy;
    }

    int port() {
        UdpEndpoint ep = endpoint;
        return ep == null ? 0 : ep.port();
    }

    long uptimeMillis() {
        return engine == null ? 0 : (System.nanoTime() - startedNanos) / 1_000_000L;
    }

    PortLease lease() {
        return lease;
    }
}
