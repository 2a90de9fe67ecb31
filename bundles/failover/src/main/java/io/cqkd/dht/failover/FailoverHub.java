package io.cqkd.dht.failover;

import io.cqkd.dht.api.failover.DetectorSettings;
import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.failover.FailoverEvent;
import io.cqkd.dht.api.failover.FailoverPolicy;
import io.cqkd.dht.api.failover.FailoverService;
import io.cqkd.dht.api.failover.FailoverSink;
import io.cqkd.dht.api.failover.FailoverStatus;
import io.cqkd.dht.api.failover.FailoverVerdict;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.failover.PolicyInfo;
import io.cqkd.dht.api.failover.WatchRelation;
import io.cqkd.dht.api.failover.WatchState;
import io.cqkd.dht.api.failover.WatchedNode;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.tier.failover.FailoverLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container's failover service and the sink its nodes report to, without OSGi.
 *
 * <ul>
 *   <li>The active policy is whatever the OSGi layer binds last ({@link #policyBound}); it is read
 *       once per decision, so a swapped policy decides the next failure, and nothing else needs a
 *       restart.</li>
 *   <li>{@link #decide} fills the situation's backups from the configured {@code BackupPlan},
 *       asks the policy, and turns an exception, a null or a contract breach (a client-side
 *       decision for a server-side relation or the reverse, the failed node or an unavailable
 *       one picked) into a {@link FailoverDecision.NoAction} with a WARN.</li>
 *   <li>{@link #applied} records the event in the bounded {@link FailoverLog}, logs it as one
 *       structured line and remembers promotions, so that {@link #recovered} can restore the
 *       backup's capacity when the failed node comes back, whatever policy is active by then.</li>
 *   <li>Detector rows ({@link #stateChanged}) feed {@link #status()}; at most {@link #MAX_ROWS}.</li>
 * </ul>
 * Thread-safe: many nodes report from their own threads; the shell reads snapshots.
 */
public final class FailoverHub implements FailoverService, FailoverSink {
    /** Most (observer, node) rows kept for {@link #status()}. */
    public static final int MAX_ROWS = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(FailoverHub.class);

    /** The bound policy and where it comes from. */
    record Bound(FailoverPolicy policy, String name, String bundle) {
    }

    private record Key(String observer, String node) {
    }

    private record Promotion(String policy, String backup, int capacityBefore) {
    }

    private final Clock clock;
    private final FailoverLog log;
    private final AtomicReference<Bound> bound = new AtomicReference<>();
    private final Map<Long, String> registered = new ConcurrentHashMap<>();
    private final Map<Key, WatchedNode> rows = new ConcurrentHashMap<>();
    private final Map<Key, Promotion> promotions = new ConcurrentHashMap<>();
    private volatile FailoverSettings settings;

    /** With settings and a wall clock (event and status times). */
    public FailoverHub(FailoverSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = new FailoverLog(settings.eventLimit());
    }

    /** New settings: detector and backups apply to the next call, the log keeps its events (trimmed). */
    public void update(FailoverSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        log.setLimit(settings.eventLimit());
    }

    /** The settings in effect. */
    public FailoverSettings settings() {
        return settings;
    }

    /** The OSGi layer bound {@code policy} (greedy: it replaces the previous one). */
    public void policyBound(FailoverPolicy policy, String name, String bundle) {
        bound.set(new Bound(Objects.requireNonNull(policy, "policy"), name, bundle));
    }

    /** The OSGi layer unbound {@code policy}; ignored when another one is bound by now. */
    public void policyUnbound(FailoverPolicy policy) {
        bound.updateAndGet(b -> b != null && b.policy() == policy ? null : b);
    }

    /** A policy service exists (bound or not). */
    public void policyRegistered(long serviceId, String name) {
        registered.put(serviceId, name);
    }

    /** A policy service went away. */
    public void policyUnregistered(long serviceId) {
        registered.remove(serviceId);
    }

    // ---- FailoverSink -------------------------------------------------------------------------

    @Override
    public DetectorSettings detectorSettings() {
        return settings.detector();
    }

    @Override
    public void stateChanged(WatchedNode change) {
        Objects.requireNonNull(change, "change");
        Key key = new Key(change.observer(), change.node());
        if (!rows.containsKey(key) && rows.size() >= MAX_ROWS) {
            LOG.warn("failover.status.full observer={} node={} max_rows={}", change.observer(), change.node(),
                    MAX_ROWS);
            return;
        }
        WatchedNode previous = rows.put(key, change.at(clock.instant()));
        WatchState before = previous == null ? WatchState.ALIVE : previous.state();
        if (change.state() == WatchState.FAILED || before == WatchState.FAILED) {
            LOG.info("failover.watch observer={} node={} level={} region={} relation={} from={} to={} missed={}",
                    change.observer(), change.node(), change.level().configName(), change.region(),
                    change.relation().configName(), before.configName(), change.state().configName(),
                    change.missedProbes());
        } else if (change.state() != before) {
            LOG.debug("failover.watch observer={} node={} from={} to={} missed={}", change.observer(), change.node(),
                    before.configName(), change.state().configName(), change.missedProbes());
        }
    }

    @Override
    public void forget(String observer, String node) {
        Objects.requireNonNull(observer, "observer");
        if (node == null || node.isEmpty()) {
            rows.keySet().removeIf(k -> k.observer().equals(observer));
            promotions.keySet().removeIf(k -> k.observer().equals(observer));
        } else {
            rows.remove(new Key(observer, node));
        }
    }

    @Override
    public FailoverVerdict decide(FailureSituation situation) {
        Objects.requireNonNull(situation, "situation");
        FailureSituation s = situation.withBackups(
                settings.backups().backupsOf(situation.failed().name(), situation.view()));
        Bound b = bound.get();
        if (b == null) {
            LOG.warn("failover.no_policy observer={} failed={} target=\"{}\"", s.observer(), s.failed().name(),
                    settings.policyTarget());
            return verdict("", s, new FailoverDecision.NoAction("no failover policy bound (policy.target "
                    + settings.policyTarget() + ")"));
        }
        FailoverDecision d;
        try {
            d = b.policy().decide(s);
        } catch (RuntimeException e) {
            LOG.warn("failover.policy_error policy={} observer={} failed={} error=\"{}\"", b.name(), s.observer(),
                    s.failed().name(), String.valueOf(e), e);
            return verdict(b.name(), s, new FailoverDecision.NoAction("policy " + b.name() + " failed: " + e));
        }
        Optional<String> breach = breach(s, d);
        if (breach.isPresent()) {
            LOG.warn("failover.policy_contract policy={} observer={} failed={} problem=\"{}\"", b.name(),
                    s.observer(), s.failed().name(), breach.get());
            return verdict(b.name(), s, new FailoverDecision.NoAction("policy " + b.name() + " broke its contract: "
                    + breach.get()));
        }
        LOG.info("failover.decided observer={} failed={} relation={} policy={} action={}", s.observer(),
                s.failed().name(), s.relation().configName(), b.name(), d.action().configName());
        return verdict(b.name(), s, d);
    }

    private static FailoverVerdict verdict(String policy, FailureSituation s, FailoverDecision d) {
        return new FailoverVerdict(policy, s.observer(), s.failed(), s.relation(), d);
    }

    /** Why {@code d} breaks the policy contract for {@code s}, if it does. */
    static Optional<String> breach(FailureSituation s, FailoverDecision d) {
        if (d == null) {
            return Optional.of("returned null");
        }
        boolean server = s.relation().observerManages();
        List<String> picked = new ArrayList<>();
        if (d instanceof FailoverDecision.NoAction) {
            return Optional.empty();
        } else if (d instanceof FailoverDecision.TryNext t) {
            if (server) {
                return Optional.of("retry_next for a " + s.relation().configName() + " relation");
            }
            if (!t.next().healthy()) {
                return Optional.of("picked unhealthy node " + t.next().name());
            }
            picked.add(t.next().name());
        } else if (d instanceof FailoverDecision.Escalate e) {
            if (server) {
                return Optional.of("escalate for a " + s.relation().configName() + " relation");
            }
            e.candidates().forEach(c -> picked.add(c.name()));
        } else if (d instanceof FailoverDecision.Promote p) {
            if (!server) {
                return Optional.of("promote_backup for a " + s.relation().configName() + " relation");
            }
            if (!p.failed().equals(s.failed().name())) {
                return Optional.of("promotion for " + p.failed() + " instead of " + s.failed().name());
            }
            picked.add(p.backup().name());
            p.rebalance().forEach(r -> picked.add(r.node()));
        } else if (d instanceof FailoverDecision.MarkFailed m) {
            if (!server) {
                return Optional.of("mark_failed for a " + s.relation().configName() + " relation");
            }
            if (!m.failed().equals(s.failed().name())) {
                return Optional.of("marks " + m.failed() + " instead of " + s.failed().name());
            }
            m.rebalance().forEach(r -> picked.add(r.node()));
        } else {
            return Optional.of(d.action().configName() + " is not a policy decision");
        }
        for (String name : picked) {
            if (!s.usable(name)) {
                return Optional.of("picked " + (name.equals(s.failed().name()) ? "the failed node " : "unavailable node ")
                        + name);
            }
        }
        return Optional.empty();
    }

    @Override
    public FailoverVerdict recovered(String observer, BootstrapNode node, WatchRelation relation) {
        Promotion p = promotions.get(new Key(observer, node.name()));
        if (p == null) {
            return new FailoverVerdict("", observer, node, relation,
                    new FailoverDecision.NoAction("no promotion by " + observer + " to undo for " + node.name()));
        }
        return new FailoverVerdict(p.policy(), observer, node, relation,
                new FailoverDecision.Restore(node.name(), p.backup(), p.capacityBefore()));
    }

    @Override
    public FailoverEvent applied(FailoverVerdict verdict, int sessionsMoved) {
        Objects.requireNonNull(verdict, "verdict");
        if (!verdict.actionable()) {
            throw new IllegalArgumentException("nothing was applied: " + verdict.decision());
        }
        FailoverDecision d = verdict.decision();
        BootstrapNode n = verdict.node();
        Key key = new Key(verdict.observer(), n.name());
        Optional<String> promoted = Optional.empty();
        String detail = "";
        if (d instanceof FailoverDecision.TryNext t) {
            promoted = Optional.of(t.next().name());
            detail = "next " + t.next().name() + " (" + t.then().size() + " more at " + t.next().level().configName()
                    + ")";
        } else if (d instanceof FailoverDecision.Escalate e) {
            promoted = e.candidates().stream().findFirst().map(BootstrapNode::name);
            detail = "to " + e.level().configName() + " (" + e.candidates().size() + " candidates)";
        } else if (d instanceof FailoverDecision.Promote p) {
            promoted = Optional.of(p.backup().name());
            detail = "role " + FailoverDecision.ROLE_PRIMARY + ", capacity " + p.capacityBefore() + "->"
                    + p.capacityAfter() + ", planned " + p.sessionsMoved() + " over " + p.rebalance().size()
                    + " nodes, unplaced " + p.unplaced();
            promotions.put(key, new Promotion(verdict.policy(), p.backup().name(), p.capacityBefore()));
        } else if (d instanceof FailoverDecision.MarkFailed m) {
            detail = m.reason() + "; planned " + m.sessionsMoved() + " over " + m.rebalance().size()
                    + " nodes, unplaced " + m.unplaced();
        } else if (d instanceof FailoverDecision.Restore r) {
            promoted = Optional.of(r.backup());
            detail = r.recovered() + " is back; " + r.backup() + " capacity back to " + r.capacity();
            promotions.remove(key);
        }
        FailoverEvent event = new FailoverEvent(clock.instant(), verdict.observer(), n.name(), n.level(), n.region(),
                d.action(), promoted, Math.max(0, sessionsMoved), verdict.policy(), detail);
        LOG.info(log.record(event));
        return event;
    }

    // ---- FailoverService ----------------------------------------------------------------------

    @Override
    public List<FailoverEvent> events() {
        return log.events();
    }

    @Override
    public long eventCount() {
        return log.count();
    }

    @Override
    public FailoverStatus status() {
        Comparator<WatchedNode> order = Comparator.comparing(WatchedNode::observer).thenComparing(WatchedNode::node);
        List<WatchedNode> all = new ArrayList<>(rows.values());
        return new FailoverStatus(
                all.stream().filter(r -> r.state() == WatchState.SUSPECTED).sorted(order).toList(),
                all.stream().filter(r -> r.state() == WatchState.FAILED).sorted(order).toList(),
                all.size());
    }

    @Override
    public String activePolicy() {
        Bound b = bound.get();
        return b == null ? "" : b.name();
    }

    @Override
    public PolicyInfo policy() {
        FailoverSettings s = settings;
        Bound b = bound.get();
        Map<String, String> policySettings = Map.of();
        if (b != null) {
            try {
                policySettings = b.policy().settings();
            } catch (RuntimeException e) {
                policySettings = Map.of("error", String.valueOf(e));
            }
        }
        return new PolicyInfo(b == null ? "" : b.name(), b == null ? "" : b.bundle(), s.policyTarget(),
                List.copyOf(new TreeSet<>(registered.values())), policySettings, s.detector(),
                s.backups().overrides(), s.eventLimit());
    }
}
