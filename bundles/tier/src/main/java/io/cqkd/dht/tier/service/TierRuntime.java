package io.cqkd.dht.tier.service;

import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.NodeStatus;
import io.cqkd.dht.api.failover.FailoverService;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.api.tier.HealthSummary;
import io.cqkd.dht.api.tier.SelectionPreview;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierNode;
import io.cqkd.dht.api.tier.TierNodeSnapshot;
import io.cqkd.dht.api.tier.TierService;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.api.tier.WorkerRegistration;
import io.cqkd.dht.tier.model.Health;
import io.cqkd.dht.tier.model.TierJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TierService} of this container: aggregates the bootstrap nodes running here
 * ({@link TierNode} services, MULTIPLE + DYNAMIC) and what they know of the others (the known
 * nodes of their snapshots) into one {@link TierView}.
 *
 * <ul>
 *   <li>A node running here is described by its own snapshot ({@code self}); a node known only
 *       from others by the freshest report among them (largest {@code lastReportMillis}). A
 *       local node that is not running counts as unhealthy.</li>
 *   <li>{@link #health()}: {@link Health#summarize} over the view, {@code failover_events} from the
 *       optional dynamic {@link FailoverService} (0 without one).</li>
 *   <li>{@link #workers(String)}: the registrations of the region's regional nodes running here.
 *       Without one, the DHT is read under {@code region:{region}:worker:{node_id}} for every
 *       worker node of this container (the DHT cannot list keys, so workers of other containers
 *       are missing then; {@link #hasLocalRegional} tells the commands to say so).</li>
 *   <li>{@link #preview}: the own optional, dynamic, greedy {@link BootstrapSelector} reference,
 *       target {@code selector.target} (default {@value #DEFAULT_SELECTOR_TARGET}); a change of
 *       the filter or a stopped strategy bundle rebinds without restarting anything.</li>
 * </ul>
 */
@Component(service = {TierService.class, TierInsight.class}, immediate = true, configurationPid = TierRuntime.PID)
@Designate(ocd = TierServiceConfig.class)
public final class TierRuntime implements TierService, TierInsight {
    /** Configuration PID. */
    public static final String PID = "io.cqkd.dht.tier";
    /** Default selector target filter (the node's default too). */
    public static final String DEFAULT_SELECTOR_TARGET = "(strategy=adaptive)";
    /** Longest wait for one DHT read of a worker registration. */
    public static final long DHT_READ_TIMEOUT_MILLIS = 5_000;
    /** Most worker keys read from the DHT for one {@code workers(region)} call. */
    public static final int MAX_DHT_WORKER_READS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(TierRuntime.class);

    /** A bootstrap node running here with the level and region of its service properties. */
    record LocalNode(TierNode node, String name, String level, String region) {
    }

    private final Object lock = new Object();
    private volatile List<LocalNode> locals = List.of();
    private volatile List<DhtNode> dhtNodes = List.of();
    private final AtomicReference<FailoverService> failover = new AtomicReference<>();
    private final AtomicReference<BootstrapSelector> selector = new AtomicReference<>();
    private volatile String selectorTarget;

    /** Activated by SCR with its configuration. */
    @Activate
    public TierRuntime(TierServiceConfig config) {
        this(config.selector_target());
    }

    /** For tests and plain Java: with a selector target to report. */
    public TierRuntime(String selectorTarget) {
        this.selectorTarget = selectorTarget == null || selectorTarget.isBlank() ? DEFAULT_SELECTOR_TARGET : selectorTarget;
        LOG.info("event=tier.service_configured selector_target={}", this.selectorTarget);
    }

    /** SCR has already retargeted the selector reference; only the reported filter changes. */
    @Modified
    void modified(TierServiceConfig config) {
        String t = config.selector_target();
        selectorTarget = t == null || t.isBlank() ? DEFAULT_SELECTOR_TARGET : t;
        LOG.info("event=tier.service_configured selector_target={}", selectorTarget);
    }

    // ---- references

    /** A bootstrap node of this container. */
    @Reference(name = "tierNode", service = TierNode.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "unbindTierNode", updated = "updatedTierNode")
    public void bindTierNode(TierNode node, Map<String, Object> props) {
        LocalNode l = new LocalNode(node, str(props.get(TierNode.PROP_NAME), node.name()),
                str(props.get(TierNode.PROP_LEVEL), ""), str(props.get(TierNode.PROP_REGION), ""));
        synchronized (lock) {
            List<LocalNode> next = new ArrayList<>();
            for (LocalNode o : locals) {
                if (o.node() != node) {
                    next.add(o);
                }
            }
            next.add(l);
            next.sort(Comparator.comparing(LocalNode::name));
            locals = List.copyOf(next);
        }
    }

    /** Level or region of a node changed. */
    public void updatedTierNode(TierNode node, Map<String, Object> props) {
        bindTierNode(node, props);
    }

    /** A bootstrap node stopped. */
    public void unbindTierNode(TierNode node) {
        synchronized (lock) {
            locals = locals.stream().filter(o -> o.node() != node).toList();
        }
    }

    /** A DHT node of this container (worker registrations are read through it). */
    @Reference(name = "dhtNode", service = DhtNode.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "unbindDhtNode")
    public void bindDhtNode(DhtNode node) {
        synchronized (lock) {
            List<DhtNode> next = new ArrayList<>(dhtNodes);
            next.add(node);
            dhtNodes = List.copyOf(next);
        }
    }

    /** A DHT node stopped. */
    public void unbindDhtNode(DhtNode node) {
        synchronized (lock) {
            dhtNodes = dhtNodes.stream().filter(n -> n != node).toList();
        }
    }

    /** The failover service, counted in {@code failover_events}. */
    @Reference(name = "failover", service = FailoverService.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindFailover")
    public void bindFailover(FailoverService service) {
        failover.set(service);
    }

    /** The failover service went away (or a better one replaced it first). */
    public void unbindFailover(FailoverService service) {
        failover.compareAndSet(service, null);
    }

    /** The selection strategy {@code tier:selection} previews; target {@code selector.target}. */
    @Reference(name = "selector", service = BootstrapSelector.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindSelector",
            target = DEFAULT_SELECTOR_TARGET)
    public void bindSelector(BootstrapSelector s) {
        selector.set(s);
        LOG.info("event=tier.selector_bound strategy={}", s.name());
    }

    /** The strategy went away or the target changed. */
    public void unbindSelector(BootstrapSelector s) {
        if (selector.compareAndSet(s, null)) {
            LOG.info("event=tier.selector_unbound strategy={}", s.name());
        }
    }

    // ---- TierService

    @Override
    public HealthSummary health() {
        FailoverService f = failover.get();
        long events = 0;
        if (f != null) {
            try {
                events = f.eventCount();
            } catch (RuntimeException e) {
                LOG.debug("event=tier.failover_count_failed error={}", e.toString());
            }
        }
        return Health.summarize(view().nodes(), events);
    }

    @Override
    public TierView view() {
        Map<String, BootstrapNode> byName = new LinkedHashMap<>();
        Map<String, BootstrapNode> known = new HashMap<>();
        long asOf = 0;
        for (LocalNode l : locals) {
            Optional<TierNodeSnapshot> snap = snapshot(l);
            if (snap.isEmpty()) {
                continue;
            }
            TierNodeSnapshot s = snap.get();
            asOf = Math.max(asOf, s.asOfMillis());
            BootstrapNode self = s.self();
            if (!s.running() && self.healthy()) {
                self = self.withLoad(self.activeSessions(), self.capacity(), false, self.lastReportMillis());
            }
            byName.putIfAbsent(self.name(), self);
            for (BootstrapNode k : s.known()) {
                known.merge(k.name(), k, (a, b) -> b.lastReportMillis() > a.lastReportMillis() ? b : a);
            }
        }
        known.forEach(byName::putIfAbsent);
        List<BootstrapNode> nodes = new ArrayList<>(byName.values());
        nodes.sort(VIEW_ORDER);
        return new TierView(nodes, asOf);
    }

    /** Supers, regionals, locals; by name within a level. */
    static final Comparator<BootstrapNode> VIEW_ORDER = Comparator
            .comparingInt((BootstrapNode n) -> n.level().ordinal())
            .thenComparing(BootstrapNode::name);

    @Override
    public CompletionStage<List<WorkerRegistration>> workers(String region) {
        if (region == null || region.isBlank()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("region must not be blank"));
        }
        String r = region.trim();
        try {
            WorkerRegistration.key(r, "0"); // the key format's check of the region part
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<LocalNode> regionals = regionals(r);
        if (!regionals.isEmpty()) {
            Map<String, WorkerRegistration> byId = new TreeMap<>();
            for (LocalNode l : regionals) {
                snapshot(l).ifPresent(s -> s.workers().forEach(w -> byId.merge(w.nodeId(), w,
                        (a, b) -> b.registeredAt() < a.registeredAt() ? b : a)));
            }
            return CompletableFuture.completedFuture(List.copyOf(byId.values()));
        }
        return workersFromDht(r);
    }

    /** Reads the keys of this container's workers from the DHT through a READY node. */
    private CompletionStage<List<WorkerRegistration>> workersFromDht(String region) {
        List<DhtNode> all = dhtNodes;
        DhtNode reader = null;
        Set<String> keys = new LinkedHashSet<>();
        try {
            for (DhtNode n : all) {
                NodeStatus s = n.status();
                if (reader == null && s.state() == NodeState.READY) {
                    reader = n;
                }
                if (s.role() == NodeRole.WORKER && keys.size() < MAX_DHT_WORKER_READS) {
                    keys.add(WorkerRegistration.key(region, n.id().toHex()));
                }
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (reader == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "no regional of region " + region + " runs here and no DHT node is READY to read the DHT"));
        }
        List<CompletableFuture<Optional<WorkerRegistration>>> reads = new ArrayList<>();
        for (String key : keys) {
            reads.add(reader.get(key).toCompletableFuture()
                    .orTimeout(DHT_READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .thenApply(v -> v.map(DhtValue::json).flatMap(TierRuntime::parse))
                    .exceptionally(e -> Optional.empty()));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(x -> {
            Map<String, WorkerRegistration> byId = new TreeMap<>();
            reads.forEach(f -> f.join().ifPresent(w -> byId.put(w.nodeId(), w)));
            return List.copyOf(byId.values());
        });
    }

    private static Optional<WorkerRegistration> parse(String json) {
        try {
            return Optional.of(TierJson.parseWorker(json));
        } catch (RuntimeException e) {
            LOG.debug("event=tier.worker_value_invalid error={}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public String selectionStrategy() {
        BootstrapSelector s = selector.get();
        return s == null ? "" : s.name();
    }

    @Override
    public SelectionPreview preview(SelectionRequest request) {
        Objects.requireNonNull(request, "request");
        BootstrapSelector s = selector.get();
        if (s == null) {
            return new SelectionPreview("", request, List.of());
        }
        return new SelectionPreview(s.name(), request, s.select(request, view()));
    }

    // ---- TierInsight

    @Override
    public Set<String> localNodeNames() {
        Set<String> names = new LinkedHashSet<>();
        locals.forEach(l -> names.add(l.name()));
        return names;
    }

    @Override
    public boolean hasLocalRegional(String region) {
        return region != null && !regionals(region.trim()).isEmpty();
    }

    @Override
    public String selectorTarget() {
        return selectorTarget;
    }

    // ---- helpers

    private List<LocalNode> regionals(String region) {
        return locals.stream()
                .filter(l -> NodeRole.REGIONAL.configName().equals(l.level()) && region.equals(l.region()))
                .toList();
    }

    private static Optional<TierNodeSnapshot> snapshot(LocalNode l) {
        try {
            return Optional.ofNullable(l.node().snapshot());
        } catch (RuntimeException e) {
            LOG.debug("event=tier.snapshot_failed node={} error={}", l.name(), e.toString());
            return Optional.empty();
        }
    }

    private static String str(Object value, String fallback) {
        return value == null ? fallback : String.valueOf(value);
    }
}
