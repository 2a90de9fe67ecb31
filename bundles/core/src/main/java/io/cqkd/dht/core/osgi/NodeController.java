package io.cqkd.dht.core.osgi;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.DhtError;
import io.cqkd.dht.api.DhtException;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.NodeStatus;
import io.cqkd.dht.api.RoutingSnapshot;
import io.cqkd.dht.api.StoreResult;
import io.cqkd.dht.api.ports.PortAllocationService;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.failover.FailoverSink;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.api.tier.TierNodeSnapshot;
import io.cqkd.dht.core.engine.Counters;
import io.cqkd.dht.core.tier.TierAgent;
import io.cqkd.dht.core.tier.TierServices;
import io.cqkd.dht.core.engine.EngineConfig;
import io.cqkd.dht.core.netty.UdpEndpoint;
import io.cqkd.dht.core.wire.codec.ClusterKey;
import io.cqkd.dht.core.wire.codec.MessageCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured node, independent of OSGi: parses its configuration (and the environment),
 * runs it through a {@link NodeRunner}, applies configuration changes, follows the
 * port-allocation service, and serves the {@link DhtNode} API by delegating to the engine.
 *
 * <p>Reconfiguration ({@link #modify}): a change of {@code maxConnections} only is applied live;
 * any other change (k, alpha, timeouts, rates, bootstrap list, record, cluster key, port, id)
 * restarts this node cleanly: engine stopped, socket closed, lease released, then a new
 * incarnation with the same id (unless the id itself changed). Values this node held are
 * re-replicated to it by its neighbours; values it published are republished from the new
 * incarnation only if the caller puts them again (documented limitation of a restart).
 *
 * <p>Lifecycle methods are synchronized; the API methods are lock-free and safe from any thread.
 */
public final class NodeController implements DhtNode {
    private static final Logger LOG = LoggerFactory.getLogger(NodeController.class);

    private final String defaultName;
    private final Supplier<Map<String, String>> environment;
    private final RuntimeContext runtime;
    private final NodeEngine.Factory engines;
    private final Counters counters = new Counters();

    private NodeConfig config;
    private volatile NodeSettings settings;
    private volatile NodeRunner runner;
    private volatile NodeId id;
    private volatile String failure;
    private volatile PortAllocationService ports;
    private volatile BootstrapSelector selector;
    private volatile FailoverSink failoverSink;
    private volatile boolean stopped;

    NodeController(String defaultName, NodeConfig config, Supplier<Map<String, String>> environment,
                   RuntimeContext runtime, NodeEngine.Factory engines) {
        this.defaultName = defaultName;
        this.config = config;
        this.environment = environment;
        this.runtime = runtime;
        this.engines = engines;
    }

    /** Parses the configuration and starts (or waits for a port, or fails with a reason). */
    public synchronized void start() {
        stopped = false;
        NodeSettings s;
        try {
            s = NodeSettings.parse(config, defaultName, environment.get());
        } catch (IllegalArgumentException e) {
            failSettings(e.getMessage());
            return;
        }
        launch(s);
    }

    private void failSettings(String reason) {
        failure = NodeRunner.oneLine(reason);
        if (id == null) {
            id = NodeId.random(new SecureRandom());
        }
        LOG.warn("event=node_failed node={} reason=\"{}\"", displayName(), failure);
    }

    private void launch(NodeSettings s) {
        failure = null;
        settings = s;
        // the saved state of an earlier run (runtime dataDir): the id, unless configured, and the contacts to ping first
        NodeStateStore store = runtime.stateStore();
        Optional<NodeStateStore.Snapshot> saved = store == null ? Optional.empty() : store.load(s.name());
        NodeId remembered = saved.map(NodeStateStore.Snapshot::id).orElse(null);
        id = s.nodeId().orElseGet(() -> id != null ? id : remembered != null ? remembered : NodeId.random(new SecureRandom()));
        saved.ifPresent(snap -> LOG.info("event=node_state_loaded node={} file={} id_kept={} contacts={} saved_at={}",
                s.name(), store.file(s.name()), id.equals(snap.id()), snap.contacts().size(), snap.savedAt()));
        MessageCodec codec;
        try {
            String keyText = s.clusterKey().isEmpty() ? runtime.defaultClusterKey() : s.clusterKey();
            Optional<ClusterKey> key = ClusterKey.parse(keyText);
            codec = new MessageCodec(key, runtime.timestampWindow());
        } catch (IllegalArgumentException e) {
            failSettings((s.clusterKey().isEmpty() ? "runtime default " : "") + e.getMessage());
            return;
        }
        LOG.info("event=node_configured node={} settings=\"{}\"", s.name(), s);
        NodeRunner r = new NodeRunner(s, id, runtime.udp(), codec, engines, counters,
                new TierServices(() -> selector, () -> failoverSink));
        runner = r;
        saved.ifPresent(snap -> r.seeds(snap.contacts()));
        scheduleStateSave();
        if (!r.tryStart(ports)) {
            LOG.info("event=node_waiting_for_port node={} detail=\"{}\"", s.name(), r.detail());
        }
    }

    /** Applies a new configuration: live when possible, else by a clean restart of this node. */
    public synchronized void modify(NodeConfig next) {
        this.config = next;
        if (stopped) {
            return;
        }
        NodeSettings s;
        try {
            s = NodeSettings.parse(next, defaultName, environment.get());
        } catch (IllegalArgumentException e) {
            stopRunner();
            settings = null;
            failSettings(e.getMessage());
            return;
        }
        NodeSettings old = settings;
        NodeRunner r = runner;
        if (old != null && r != null && failure == null && r.state() != NodeState.FAILED && !old.needsRestart(s)) {
            settings = s;
            NodeEngine e = r.engine();
            if (e != null && e.tier() != null && old.tier().capacity() != s.tier().capacity()) {
                e.tier().setCapacity(s.tier().capacity()); // MAX_CONNECTIONS applies live
            }
            LOG.info("event=node_reconfigured node={} restart=false", s.name());
            return;
        }
        LOG.info("event=node_reconfigured node={} restart=true", s.name());
        stopRunner();
        launch(s);
    }

    /** The port-allocation service appeared or changed: a waiting node retries. */
    public synchronized void portServiceChanged(PortAllocationService service) {
        this.ports = service;
        NodeRunner r = runner;
        if (!stopped && service != null && r != null && r.state() == NodeState.WAITING_FOR_PORT) {
            r.tryStart(service);
        }
    }

    /**
     * A port-allocation strategy ({@code PortAllocator} service) appeared or changed: a node
     * waiting for one retries, off the caller's thread and shortly after, because the allocation
     * service binds the same strategy in the same service event, possibly after this call. While
     * the allocation still finds no strategy, it retries a few more times
     * ({@link #STRATEGY_RETRY_DELAYS_MILLIS}), then waits for the next event.
     */
    public void strategyAppeared() {
        scheduleStrategyRetry(0);
    }

    /** Delays of the retries after a strategy appeared. */
    static final long[] STRATEGY_RETRY_DELAYS_MILLIS = {20, 200, 1_000};

    private void scheduleStrategyRetry(int attempt) {
        if (stopped || attempt >= STRATEGY_RETRY_DELAYS_MILLIS.length) {
            return;
        }
        CompletableFuture.delayedExecutor(STRATEGY_RETRY_DELAYS_MILLIS[attempt], TimeUnit.MILLISECONDS).execute(() -> {
            if (retryWaiting()) {
                scheduleStrategyRetry(attempt + 1);
            }
        });
    }

    /** A node waiting for a port tries again now. Returns true when it still waits for a strategy. */
    synchronized boolean retryWaiting() {
        NodeRunner r = runner;
        if (stopped || r == null || r.state() != NodeState.WAITING_FOR_PORT) {
            return false;
        }
        if (!r.tryStart(ports)) {
            LOG.info("event=node_waiting_for_port node={} detail=\"{}\"", displayName(), r.detail());
        }
        return r.waitingForStrategy();
    }

    /** The port-allocation service went away: running nodes keep their socket. */
    public synchronized void portServiceRemoved(PortAllocationService service) {
        if (this.ports == service) {
            this.ports = null;
        }
    }

    /** Stops the node; nothing is left behind (engine, socket, lease). */
    public synchronized void stop() {
        stopped = true;
        stopRunner();
        LOG.info("event=node_stopped node={}", displayName());
    }

    private void stopRunner() {
        NodeRunner r = runner;
        runner = null;
        if (r != null) {
            saveState(r);
            r.stop();
        }
    }

    /** How often a running node saves its state (id and routing table) when the runtime has a data directory. */
    static final long STATE_SAVE_INTERVAL_MILLIS = 60_000;
    private final Object saveLock = new Object();
    private boolean saveScheduled;
    private boolean saveFailedLogged;

    private void scheduleStateSave() {
        if (runtime.stateStore() == null || saveScheduled) {
            return;
        }
        saveScheduled = true;
        long delay = STATE_SAVE_INTERVAL_MILLIS / 2 + java.util.concurrent.ThreadLocalRandom.current()
                .nextLong(STATE_SAVE_INTERVAL_MILLIS);
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            synchronized (this) {
                saveScheduled = false;
            }
            if (stopped) {
                return;
            }
            NodeRunner r = runner;
            if (r != null) {
                saveState(r);
            }
            synchronized (this) {
                if (!stopped) {
                    scheduleStateSave();
                }
            }
        });
    }

    /** Saves the node's state now (periodically and when it stops); a no-op without a data directory. */
    void saveState() {
        NodeRunner r = runner;
        if (r != null) {
            saveState(r);
        }
    }

    private void saveState(NodeRunner r) {
        NodeStateStore store = runtime.stateStore();
        NodeEngine e = r.engine();
        NodeId nodeId = id;
        if (store == null || e == null || nodeId == null) {
            return;
        }
        String name = r.settings().name();
        synchronized (saveLock) {
            try {
                List<Contact> contacts = e.knownNodes(null, null);
                if (contacts.isEmpty() && java.nio.file.Files.exists(store.file(name))) {
                    return; // an empty table (just started, or cut off) never overwrites a useful snapshot
                }
                store.save(name, nodeId, contacts, java.time.Instant.now());
                saveFailedLogged = false;
                LOG.debug("event=node_state_saved node={} contacts={}", name, contacts.size());
            } catch (java.io.IOException | RuntimeException ex) {
                if (!saveFailedLogged) {
                    saveFailedLogged = true;
                    LOG.warn("event=node_state_save_failed node={} file={} reason=\"{}\"", name, store.file(name),
                            NodeRunner.oneLine(ex.toString()));
                }
            }
        }
    }

    /** Service properties for the DhtNode registration. */
    public Map<String, Object> serviceProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(PROP_NAME, name());
        p.put(PROP_ID, id().toHex());
        NodeSettings s = settings;
        p.put(PROP_ROLE, s == null ? NodeRole.WORKER.configName() : s.record().role().configName());
        p.put(PROP_REGION, s == null ? "" : s.record().region());
        return p;
    }

    private String displayName() {
        NodeSettings s = settings;
        if (s != null) {
            return s.name();
        }
        String n = config == null ? null : config.name();
        return n == null || n.isBlank() ? defaultName : n.trim();
    }

    /** The engine of the running node, or null. */
    NodeEngine engine() {
        NodeRunner r = runner;
        return r == null ? null : r.engine();
    }

    /** The socket of the running node, or null. */
    UdpEndpoint endpoint() {
        NodeRunner r = runner;
        return r == null ? null : r.endpoint();
    }

    /** The node's counters (kept across restarts). */
    Counters counters() {
        return counters;
    }

    // ---- bootstrap tier ----

    /** The bootstrap-selection strategy to use from now on (null: none; the configured list in order). */
    public void selectorChanged(BootstrapSelector selector) {
        this.selector = selector;
    }

    /** The strategy went away: a join in progress or to come falls back to the configured list. */
    public void selectorRemoved(BootstrapSelector selector) {
        if (this.selector == selector) {
            this.selector = null;
        }
    }

    /** The failover sink the tier agent reports to from now on (null: detect and log only). */
    public void failoverSinkChanged(FailoverSink sink) {
        this.failoverSink = sink;
    }

    /** The failover sink went away: the agent detects and logs only until another is bound. */
    public void failoverSinkRemoved(FailoverSink sink) {
        if (this.failoverSink == sink) {
            this.failoverSink = null;
        }
    }

    /** True when the node is configured as a bootstrap node (super, regional, local). */
    public boolean isTierNode() {
        NodeSettings s = settings;
        return s != null && s.record().role().isBootstrap();
    }

    /** The node's tier agent while it runs, else null. */
    TierAgent tierAgent() {
        NodeEngine e = engine();
        return e == null ? null : e.tier();
    }

    /** The tier state of this bootstrap node (a placeholder with {@code running=false} when it does not run). */
    public TierNodeSnapshot tierSnapshot() {
        TierAgent a = tierAgent();
        TierNodeSnapshot snap = a == null ? null : a.snapshot();
        if (snap != null) {
            return snap;
        }
        NodeSettings s = settings;
        NodeRole level = s == null || !s.record().role().isBootstrap() ? NodeRole.LOCAL : s.record().role();
        int capacity = s == null ? 0 : s.tier().capacity();
        BootstrapNode self = new BootstrapNode(name(), Optional.of(id()), level, s == null ? "" : s.record().region(),
                "", InetSocketAddress.createUnresolved(s == null ? "0.0.0.0" : s.bindHost().getHostAddress(), 0), 0,
                capacity, false, -1);
        return new TierNodeSnapshot(false, self, 0, "", Map.of(), List.of(), List.of(), List.of(), 0);
    }

    // ---- DhtNode ----

    @Override
    public String name() {
        return displayName();
    }

    @Override
    public NodeId id() {
        NodeId i = id;
        return i != null ? i : NodeId.ofKey(displayName());
    }

    @Override
    public Contact self() {
        NodeEngine e = engine();
        if (e != null) {
            return e.self();
        }
        NodeSettings s = settings;
        InetAddress host = s == null ? InetAddress.getLoopbackAddress() : s.bindHost();
        return new Contact(id(), new InetSocketAddress(host, 0), s == null ? NodeRecord.WORKER : s.record());
    }

    @Override
    public NodeStatus status() {
        NodeSettings s = settings;
        NodeRunner r = runner;
        NodeEngine e = r == null ? null : r.engine();
        NodeState state;
        String detail;
        if (failure != null) {
            state = NodeState.FAILED;
            detail = failure;
        } else if (r == null) {
            state = NodeState.STOPPED;
            detail = "";
        } else {
            state = r.state();
            detail = r.detail();
        }
        Map<String, Long> c = new HashMap<>(counters.snapshot());
        UdpEndpoint ep = r == null ? null : r.endpoint();
        c.put("transport_errors", ep == null ? 0L : ep.transportErrors());
        String host = s == null ? "" : (e != null ? e.self().address().getAddress().getHostAddress()
                : s.bindHost().getHostAddress());
        return new NodeStatus(name(), id(), s == null ? NodeRole.WORKER : s.record().role(),
                s == null ? "" : s.record().region(), host, r == null ? 0 : r.port(), state, detail,
                e == null ? 0 : e.routingTableSize(), e == null ? 0 : e.storedValueCount(),
                r == null ? 0 : r.uptimeMillis(), c);
    }

    @Override
    public RoutingSnapshot routes() {
        NodeEngine e = engine();
        if (e != null) {
            return e.routes();
        }
        NodeSettings s = settings;
        return new RoutingSnapshot(id(), s == null ? EngineConfig.DEFAULT_K : s.engine().k(), List.of());
    }

    @Override
    public CompletionStage<StoreResult> put(String key, String json, Duration ttl) {
        return call(e -> e.put(key, json, ttl));
    }

    @Override
    public CompletionStage<Optional<DhtValue>> get(String key) {
        return call(e -> e.get(key));
    }

    @Override
    public CompletionStage<StoreResult> delete(String key) {
        return call(e -> e.delete(key));
    }

    @Override
    public CompletionStage<LookupResult> lookup(String key) {
        return call(e -> e.lookup(key));
    }

    @Override
    public CompletionStage<LookupResult> findNode(NodeId target) {
        return call(e -> e.findNode(target));
    }

    @Override
    public CompletionStage<PingResult> ping(InetSocketAddress address) {
        return call(e -> e.ping(address));
    }

    @Override
    public List<Contact> knownNodes(NodeRole role, String region) {
        NodeEngine e = engine();
        return e == null ? List.of() : e.knownNodes(role, region);
    }

    private <T> CompletionStage<T> call(Function<NodeEngine, CompletionStage<T>> op) {
        NodeEngine e = engine();
        if (e == null) {
            NodeStatus st = status();
            return CompletableFuture.failedFuture(new DhtException(DhtError.STOPPED, "node " + st.name() + " is "
                    + st.state() + (st.detail().isEmpty() ? "" : ": " + st.detail())));
        }
        try {
            return op.apply(e);
        } catch (DhtException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    @Override
    public String toString() {
        return "NodeController[" + displayName() + "]";
    }
}
