package io.cqkd.dht.ports;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.ports.AllocationContext;
import io.cqkd.dht.api.ports.NoStrategyException;
import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortAllocator;
import io.cqkd.dht.api.ports.PortBinder;
import io.cqkd.dht.api.ports.PortLease;
import io.cqkd.dht.api.ports.PortRange;
import io.cqkd.dht.api.ports.PortRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PrimitiveIterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The port-allocation service in plain Java: rules, registry, policy, history and utilization.
 * The OSGi component only feeds it settings and the selected strategy.
 *
 * <h2>Rules, in order</h2>
 * <ol>
 *   <li>Missing worker id / slot / pod name come from WORKER_ID (workers), TASK_SLOT, POD_NAME.</li>
 *   <li>An explicit port always wins: exactly that port is bound, or the allocation fails with the
 *       reason (policy, held by another node here, in use by another process).</li>
 *   <li>Legacy mode pins workers to the legacy port (7000), with the same checks.</li>
 *   <li>Otherwise the active strategy proposes candidates in the role's range; each candidate that
 *       the policy allows and no node here holds is reserved in the registry and handed to the
 *       node's binder; the first successful bind wins (bind-and-hold). A failed bind moves on to the
 *       next candidate at once: no sleep, no backoff. One pass over the range at most.</li>
 * </ol>
 * Ownership: one port per node always; one port per worker id when the policy says so.
 *
 * <p>Thread-safe. Settings and strategy are volatile snapshots, swapped at runtime; an allocation
 * uses the snapshot it started with. Leases taken before a swap are unaffected by it.
 */
public final class PortAllocationEngine implements PortsAdmin {
    /** Strategy name of a port given by the request. */
    public static final String EXPLICIT = "explicit";
    /** Strategy name of the legacy pin. */
    public static final String LEGACY = "legacy";

    private static final Logger LOG = LoggerFactory.getLogger(PortAllocationEngine.class);

    private final Clock clock;
    private final PortRegistry registry = new PortRegistry();
    private final AllocationHistory history;
    private final AtomicReference<Active> active = new AtomicReference<>();
    private final Map<Long, StrategyInfo> registered = new ConcurrentHashMap<>();
    private volatile PortSettings settings;
    /**
     * Ports another process had bound at our last attempt (one bit per UDP port, so bounded).
     * Only an ordering hint: such ports are tried after the others, never skipped.
     */
    private final BitSet busyHints = new BitSet(65536);

    /** The selected strategy with what the commands show about it. */
    private record Active(PortAllocator allocator, StrategyInfo info) {
    }

    /** An engine with {@code settings} and {@code clock} (allocation times), no strategy yet. */
    public PortAllocationEngine(PortSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.history = new AllocationHistory(settings.historySize());
    }

    /** Applies new settings to the allocations that start from now on. */
    public void update(PortSettings newSettings) {
        settings = Objects.requireNonNull(newSettings, "settings");
        history.resize(newSettings.historySize());
    }

    /** Selects {@code allocator} for the allocations that start from now on. */
    public void strategyBound(PortAllocator allocator, StrategyInfo info) {
        active.set(new Active(Objects.requireNonNull(allocator, "allocator"), info));
    }

    /** Deselects {@code allocator} if it is the selected one (a greedy rebind binds the new one first). */
    public void strategyUnbound(PortAllocator allocator) {
        active.updateAndGet(a -> a != null && a.allocator() == allocator ? null : a);
    }

    /** Records a registered strategy service (selected or not) for the commands. */
    public void strategyRegistered(StrategyInfo info) {
        registered.put(info.serviceId(), info);
    }

    /** Forgets a strategy service that went away. */
    public void strategyUnregistered(long serviceId) {
        registered.remove(serviceId);
    }

    @Override
    public PortSettings settings() {
        return settings;
    }

    @Override
    public Optional<StrategyInfo> activeStrategy() {
        return Optional.ofNullable(active.get()).map(Active::info);
    }

    @Override
    public List<StrategyInfo> registeredStrategies() {
        List<StrategyInfo> all = new ArrayList<>(registered.values());
        all.sort(Comparator.comparing(StrategyInfo::name).thenComparingLong(StrategyInfo::serviceId));
        return all;
    }

    @Override
    public List<PortEntry> registry() {
        return registry.snapshot();
    }

    @Override
    public List<HistoryEvent> history() {
        return history.snapshot();
    }

    @Override
    public long historyDropped() {
        return history.dropped();
    }

    @Override
    public List<RangeUsage> utilization() {
        PortSettings s = settings;
        List<RangeUsage> out = new ArrayList<>();
        for (RangeName name : RangeName.values()) {
            PortRange range = s.ranges().get(name);
            int used = 0;
            int blocked = 0;
            for (int port = range.first(); port <= range.last(); port++) {
                if (registry.isHeld(port)) {
                    used++;
                } else if (s.refusal(port) != null) {
                    blocked++;
                }
            }
            int total = range.size();
            double percent = Math.round(used * 10_000.0 / total) / 100.0;
            out.add(new RangeUsage(name, range, total, used, blocked, total - used - blocked, percent));
        }
        return out;
    }

    // ---------------------------------------------------------------- allocation

    @Override
    public PortLease allocate(PortRequest original, PortBinder binder) throws PortAllocationException {
        Objects.requireNonNull(original, "request");
        Objects.requireNonNull(binder, "binder");
        PortSettings s = settings;
        PortRequest request = original;
        String strategy = strategyLabel(s, original);
        try {
            request = s.withEnvironment(original);
            if (request.explicitPort().isPresent()) {
                return exactly(s, request, request.explicitPort().getAsInt(), EXPLICIT, binder);
            }
            if (s.legacyMode() && request.role() == NodeRole.WORKER) {
                return exactly(s, request, s.legacyPort(), LEGACY, binder);
            }
            Active a = requireStrategy(s);
            strategy = a.info().name();
            return walk(s, request, a, binder);
        } catch (Refusal r) {
            record(HistoryEvent.Kind.REFUSED, r.port, request, strategy, r.getMessage());
            LOG.info("port.refused node={} role={} port={} reason=\"{}\"", request.nodeName(),
                    request.role().configName(), r.port, r.getMessage());
            throw new PortAllocationException(r.getMessage());
        } catch (PortAllocationException e) {
            record(HistoryEvent.Kind.FAILED, 0, request, strategy, e.getMessage());
            LOG.warn("port.failed node={} role={} reason=\"{}\"", request.nodeName(), request.role().configName(),
                    e.getMessage());
            throw e;
        }
    }

    /** A policy or ownership refusal; turned into a PortAllocationException after it is recorded. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int port;

        Refusal(int port, String message) {
            super(message, null, false, false);
            this.port = port;
        }
    }

    private String strategyLabel(PortSettings s, PortRequest request) {
        if (request.explicitPort().isPresent()) {
            return EXPLICIT;
        }
        if (s.legacyMode() && request.role() == NodeRole.WORKER) {
            return LEGACY;
        }
        Active a = active.get();
        return a == null ? s.targetStrategyName() : a.info().name();
    }

    private Active requireStrategy(PortSettings s) throws PortAllocationException {
        Active a = active.get();
        if (a == null) {
            throw new NoStrategyException("no port allocation strategy is active: allocator.target "
                    + s.allocatorTarget() + " matches no PortAllocator service; start the '"
                    + s.targetStrategyName() + "' strategy bundle or change allocator.target in "
                    + "io.cqkd.dht.ports (explicit ports still work)");
        }
        return a;
    }

    private PortEntry candidateEntry(PortRequest request, int port, String strategy) {
        return new PortEntry(port, request.nodeName(), request.role(), request.workerId(), strategy, clock.instant(),
                PortEntry.Status.BINDING);
    }

    /** Explicit and legacy ports: exactly one port, or a reason. */
    private PortLease exactly(PortSettings s, PortRequest request, int port, String strategy, PortBinder binder)
            throws Refusal, PortAllocationException {
        String what = strategy.equals(LEGACY) ? "legacy port mode pins workers to port " + port + ", but "
                : "explicit port " + port + " for node " + request.nodeName() + ": ";
        if (port < 1 || port > 65535) {
            throw new PortAllocationException(what + "not a UDP port (1-65535)");
        }
        String refusal = s.refusal(port);
        if (refusal != null) {
            throw new Refusal(port, what + "refused: " + refusal);
        }
        PortEntry reserved = reserveOrRefuse(s, request, port, strategy);
        if (reserved == null) {
            PortEntry holder = registry.get(port);
            throw new Refusal(port, what + "it is already held by node "
                    + (holder == null ? "?" : holder.node()) + " in this container");
        }
        if (!bind(binder, reserved)) {
            throw new PortAllocationException(what + "it is in use by another process");
        }
        return confirm(reserved);
    }

    private PortEntry reserveOrRefuse(PortSettings s, PortRequest request, int port, String strategy) throws Refusal {
        try {
            return registry.reserve(candidateEntry(request, port, strategy), s.onePortPerWorker());
        } catch (PortAllocationException ownership) {
            throw new Refusal(port, ownership.getMessage());
        }
    }

    /** Calls the binder; cancels the reservation unless the bind succeeded. */
    private boolean bind(PortBinder binder, PortEntry reserved) throws PortAllocationException {
        boolean bound = false;
        try {
            bound = binder.tryBind(reserved.port());
            return bound;
        } catch (RuntimeException e) {
            throw new PortAllocationException("binding port " + reserved.port() + " for node " + reserved.node()
                    + " failed: " + e);
        } finally {
            if (!bound) {
                registry.remove(reserved);
            }
        }
    }

    private PortLease confirm(PortEntry reserved) {
        PortEntry entry = registry.confirm(reserved, clock.instant());
        record(HistoryEvent.Kind.ALLOCATED, entry.port(), entry.node(), entry.role(), entry.workerId(),
                entry.strategy(), "");
        LOG.debug("port.allocated node={} role={} port={} strategy={}", entry.node(), entry.role().configName(),
                entry.port(), entry.strategy());
        return new Lease(entry);
    }

    private PortLease walk(PortSettings s, PortRequest request, Active a, PortBinder binder)
            throws Refusal, PortAllocationException {
        PortRange range = s.rangeFor(request.role());
        try {
            registry.checkOwner(candidateEntry(request, 0, a.info().name()), s.onePortPerWorker());
        } catch (PortAllocationException ownership) {
            throw new Refusal(0, ownership.getMessage());
        }
        PortEntry[] won = new PortEntry[1];
        Walk walk = new Walk(range);
        boolean taken = walk.run(s, candidates(s, request, a, range), port -> {
            PortEntry reserved = reserveOrRefuse(s, request, port, a.info().name());
            if (reserved == null) {
                return Attempt.HELD;
            }
            if (bind(binder, reserved)) {
                won[0] = reserved;
                return Attempt.TAKEN;
            }
            return Attempt.BUSY;
        });
        if (taken) {
            return confirm(won[0]);
        }
        throw new PortAllocationException(walk.exhausted(request, a.info().name()));
    }

    private PrimitiveIterator.OfInt candidates(PortSettings s, PortRequest request, Active a, PortRange range)
            throws PortAllocationException {
        AllocationContext context = new AllocationContext(range, s.baseFor(request.role()),
                port -> registry.isHeld(port) || s.refusal(port) != null);
        try {
            return a.allocator().candidates(request, context);
        } catch (RuntimeException e) {
            throw new PortAllocationException("strategy " + a.info().name() + " failed for node "
                    + request.nodeName() + ": " + e);
        }
    }

    /** Outcome of trying one candidate. */
    private enum Attempt {
        /** The port is ours. */
        TAKEN,
        /** A node of this container holds it. */
        HELD,
        /** Another process has it bound. */
        BUSY
    }

    /** Tries one candidate port. */
    @FunctionalInterface
    private interface Try {
        Attempt attempt(int port) throws Refusal, PortAllocationException;
    }

    /**
     * One pass over a range in the strategy's order: de-duplicates candidates, ignores ones
     * outside the range, skips ports the policy refuses, counts why ports were passed over.
     * Ports that another process had bound at an earlier attempt are not skipped but tried last,
     * so a crowded host costs no failed binds on the way to a free port, and a port that became
     * free again is still found.
     */
    private final class Walk {
        final PortRange range;
        final BitSet seen;
        final long maxSteps;
        long steps;
        int distinct;
        int held;
        int policy;
        int busy;

        Walk(PortRange range) {
            this.range = range;
            this.seen = new BitSet(range.size());
            this.maxSteps = 4L * range.size() + 16;
        }

        /** True when a candidate was TAKEN. */
        boolean run(PortSettings s, PrimitiveIterator.OfInt candidates, Try attempt)
                throws Refusal, PortAllocationException {
            int[] deferred = new int[16];
            int deferredCount = 0;
            while (distinct < range.size() && steps < maxSteps && candidates.hasNext()) {
                steps++;
                int port = candidates.nextInt();
                if (!range.contains(port) || seen.get(port - range.first())) {
                    continue;
                }
                seen.set(port - range.first());
                distinct++;
                if (s.refusal(port) != null) {
                    policy++;
                } else if (wasBusy(port)) {
                    if (deferredCount == deferred.length) {
                        deferred = java.util.Arrays.copyOf(deferred, deferredCount * 2);
                    }
                    deferred[deferredCount++] = port;
                } else if (tried(port, attempt)) {
                    return true;
                }
            }
            for (int i = 0; i < deferredCount; i++) {
                if (tried(deferred[i], attempt)) {
                    return true;
                }
            }
            return false;
        }

        private boolean tried(int port, Try attempt) throws Refusal, PortAllocationException {
            switch (attempt.attempt(port)) {
                case TAKEN:
                    markBusy(port, false);
                    return true;
                case HELD:
                    held++;
                    return false;
                default:
                    busy++;
                    markBusy(port, true);
                    return false;
            }
        }

        String exhausted(PortRequest request, String strategy) {
            String where = "the " + RangeName.of(request.role()).label() + " range " + range;
            if (distinct == 0) {
                return "no free port for node " + request.nodeName() + " in " + where + ": strategy " + strategy
                        + " proposed no port of the range";
            }
            return "no free port for node " + request.nodeName() + " in " + where + " (strategy " + strategy
                    + "): range exhausted, tried " + distinct + " of " + range.size() + " ports: " + held
                    + " held by nodes of this container, " + policy + " refused by policy, " + busy
                    + " in use by other processes";
        }
    }

    // ---------------------------------------------------------------- dry run

    @Override
    public Preview preview(PortRequest original, PortBinder probe) throws PortAllocationException {
        PortSettings s = settings;
        PortRequest request = s.withEnvironment(original);
        RangeName rangeName = RangeName.of(request.role());
        PortRange range = s.rangeFor(request.role());
        boolean explicit = request.explicitPort().isPresent();
        if (explicit || (s.legacyMode() && request.role() == NodeRole.WORKER)) {
            int port = explicit ? request.explicitPort().getAsInt() : s.legacyPort();
            String strategy = explicit ? EXPLICIT : LEGACY;
            if (port < 1 || port > 65535) {
                throw new PortAllocationException(strategy + " port " + port + " is not a UDP port (1-65535)");
            }
            String refusal = s.refusal(port);
            if (refusal != null) {
                throw new PortAllocationException(strategy + " port " + port + " would be refused: " + refusal);
            }
            PortEntry holder = registry.get(port);
            if (holder != null) {
                throw new PortAllocationException(strategy + " port " + port + " is held by node " + holder.node()
                        + " in this container");
            }
            registry.checkOwner(candidateEntry(request, port, strategy), s.onePortPerWorker());
            if (!probe.tryBind(port)) {
                throw new PortAllocationException(strategy + " port " + port + " is in use by another process");
            }
            return new Preview(port, strategy, rangeName, range, 0, 0, 0);
        }
        Active a = requireStrategy(s);
        registry.checkOwner(candidateEntry(request, 0, a.info().name()), s.onePortPerWorker());
        int[] found = new int[1];
        Walk walk = new Walk(range);
        boolean ok;
        try {
            ok = walk.run(s, candidates(s, request, a, range), port -> {
                if (registry.isHeld(port)) {
                    return Attempt.HELD;
                }
                if (probe.tryBind(port)) {
                    found[0] = port;
                    return Attempt.TAKEN;
                }
                return Attempt.BUSY;
            });
        } catch (Refusal r) {
            throw new PortAllocationException(r.getMessage());
        }
        if (!ok) {
            throw new PortAllocationException(walk.exhausted(request, a.info().name()));
        }
        return new Preview(found[0], a.info().name(), rangeName, range, walk.held, walk.policy, walk.busy);
    }

    // ---------------------------------------------------------------- busy hints

    private boolean wasBusy(int port) {
        synchronized (busyHints) {
            return busyHints.get(port);
        }
    }

    private void markBusy(int port, boolean busy) {
        synchronized (busyHints) {
            busyHints.set(port, busy);
        }
    }

    // ---------------------------------------------------------------- history and leases

    private void record(HistoryEvent.Kind kind, int port, PortRequest request, String strategy, String detail) {
        record(kind, port, request.nodeName(), request.role(), request.workerId(), strategy, detail);
    }

    private void record(HistoryEvent.Kind kind, int port, String node, NodeRole role, OptionalInt workerId,
                        String strategy, String detail) {
        history.add(new HistoryEvent(clock.instant(), kind, port, node, role, workerId, strategy, detail));
    }

    /** A held port; closing it removes the registry entry once. */
    private final class Lease implements PortLease {
        private final PortEntry entry;
        private final AtomicBoolean closed = new AtomicBoolean();

        Lease(PortEntry entry) {
            this.entry = entry;
        }

        @Override
        public int port() {
            return entry.port();
        }

        @Override
        public String strategy() {
            return entry.strategy();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true) && registry.remove(entry)) {
                record(HistoryEvent.Kind.RELEASED, entry.port(), entry.node(), entry.role(), entry.workerId(),
                        entry.strategy(), "");
                LOG.debug("port.released node={} port={}", entry.node(), entry.port());
            }
        }

        @Override
        public String toString() {
            return "PortLease[" + entry.node() + " " + entry.port() + " " + entry.strategy()
                    + (closed.get() ? " closed" : "") + "]";
        }
    }
}
