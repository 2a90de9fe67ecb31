package io.cqkd.dht.core.tier;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.DetectorContext;
import io.cqkd.dht.api.failover.DetectorSettings;
import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.failover.FailoverSink;
import io.cqkd.dht.api.failover.FailoverVerdict;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.failover.WatchRelation;
import io.cqkd.dht.api.failover.WatchState;
import io.cqkd.dht.api.failover.WatchedNode;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.api.tier.ConnectionRecord;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierNodeSnapshot;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.api.tier.WorkerRegistration;
import io.cqkd.dht.core.engine.EngineExecutor;
import io.cqkd.dht.core.engine.KademliaNode;
import io.cqkd.dht.core.wire.ErrorCode;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.WireBootstrapNode;
import io.cqkd.dht.core.wire.WireWorker;
import io.cqkd.dht.core.wire.codec.MessageValidator;
import io.cqkd.dht.tier.failover.FailureDetector;
import io.cqkd.dht.tier.failover.apply.FailoverActions;
import io.cqkd.dht.tier.model.Admission;
import io.cqkd.dht.tier.model.AdmissionDecision;
import io.cqkd.dht.tier.model.ChildLoadTable;
import io.cqkd.dht.tier.model.ConnectionEvent;
import io.cqkd.dht.tier.model.JoinPlan;
import io.cqkd.dht.tier.model.LoadReport;
import io.cqkd.dht.tier.model.LoadStats;
import io.cqkd.dht.tier.model.PeriodicSchedule;
import io.cqkd.dht.tier.model.SessionTable;
import io.cqkd.dht.tier.model.TierJson;
import io.cqkd.dht.tier.model.WorkerRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap tier of one node, over its {@link KademliaNode}: the tier model
 * ({@code io.cqkd.dht.tier.model}) wired to the wire protocol. All state is confined to the
 * node's engine thread; {@link #start}, {@link #stop}, {@link #snapshot} and {@link #setCapacity}
 * may be called from any thread.
 *
 * <h2>As a bootstrap node (super, regional, local)</h2>
 * <ul>
 *   <li>Answers JOIN with {@link Admission#decide}: admitted (a lease in its {@link SessionTable}),
 *   referred to the least-loaded healthy nodes with room it knows, or refused only when it knows
 *   none. Never above capacity.</li>
 *   <li>RENEW extends a session ({@code unknown_session}: the client joins again), LEAVE ends it;
 *   lapsed leases are expired every tick.</li>
 *   <li>Reports its load every {@link TierSettings#reportMillis()} to its parent (the first
 *   reachable address of its bootstrap list; it learns the parent's name by a referral request
 *   first) or, for a super, to every peer super of its list. The answer is the parent's view of
 *   the reporter's siblings, which the node uses to refer when full.</li>
 *   <li>Accepts load reports only from expected reporters: a node of the level below whose report
 *   names this node as parent, or (for a super) another super. Records them in its
 *   {@link ChildLoadTable}.</li>
 *   <li>Answers referral requests with itself and the least-loaded healthy nodes it knows.</li>
 *   <li>A local forwards the workers it admits to its parent regional (REGISTER_WORKERS, again at
 *   most once per {@link #registrationRefreshMillis()} while they renew, and {@code live=false} on
 *   leave or expiry; gathered for up to {@link #REGISTRATION_BATCH_MILLIS}); a regional keeps a
 *   {@link WorkerRegistry} and stores {@code region:{region}:worker:{node_id}} in the DHT, puts
 *   it again at half its TTL while the worker lives and deletes it when the worker goes.</li>
 *   <li>Logs {@link LoadStats} events (30 s supers, 60 s regionals and locals by default).</li>
 * </ul>
 *
 * <h2>As a client (worker, special)</h2>
 * The Kademlia join waits for admission: build a view (referral request to every configured
 * bootstrap address, then to the best regionals of the region for their locals), ask the
 * {@link BootstrapSelector} (none bound: the configured list in order), order by
 * {@link JoinPlan}, JOIN one after the other following referrals up to
 * {@link TierSettings#hopLimit()}, then start Kademlia with the admitting node and the other
 * selected nodes as bootstrap contacts (locals first; the join asks two at once, the rest are its
 * fallbacks), renew at a third of the lease, LEAVE on stop. When every
 * candidate failed, the view is rebuilt after a doubling delay, for ever (containers start in
 * parallel). When every configured node that answers says UNSUPPORTED (a flat network), the
 * Kademlia join starts at once; the node stops seeking a session right away when all of them are
 * workers (a worker never serves the tier), otherwise after a second such round (a bootstrap
 * node whose tier agent is still starting answers UNSUPPORTED too).
 *
 * <h2>Failure detection and failover (docs/failover.md)</h2>
 * A {@link FailureDetector} per node, with the settings of the optional {@link FailoverSink}
 * (else {@link DetectorSettings#DEFAULTS}) on the engine clock, watches: a bootstrap node's
 * children and (a super) its peer supers, a bootstrap node's parent, a client's bootstrap node
 * while its session lasts. Probes are PINGs through the RPC layer without retry; every tier
 * message from a watched node and every answer to this agent's requests counts as heard.
 * Transitions go to the sink; on FAILED the sink's decision is applied (a parent:
 * {@link FailoverActions#applyAtParent} and a {@link Message.CapacityOrder} to the promoted
 * backup, which calls {@link FailoverActions#applyAtBackup}; a client: join the node(s) the
 * decision names); a recovery asks the sink for a Restore. Without a sink: detect and log only.
 *
 * <h2>Seams for failover</h2>
 * {@link #setCapacity} (promotion of a backup), {@link #setAccepting} (a draining or failed-over
 * node refers everything), {@link #parentFailures()} and the {@code tier.parent_unreachable}
 * event (detector input; the report loop moves on to the next configured parent after
 * {@link #PARENT_FAILURES_BEFORE_SWITCH} missed reports), and {@link #rejoin()} for a client
 * whose bootstrap node died (a failed renewal already calls it).
 */
public final class TierAgent {
    /** Missed load reports after which a node reports to its next configured parent. */
    public static final int PARENT_FAILURES_BEFORE_SWITCH = 3;
    /** Bootstrap contacts handed to Kademlia after admission. */
    public static final int MAX_KADEMLIA_CONTACTS = 8;
    /** Delay before a worker tries again to publish its registration after a failed put. */
    public static final long PUBLISH_RETRY_MILLIS = 5_000;
    /**
     * Shortest bound of the random delay of a worker's registration put after its admission (at
     * most a twentieth of the registration TTL; see {@link #publishSpreadMillis}): when a whole
     * fleet starts or fails over at once, a thousand workers would otherwise each look up and
     * store k copies in the same second, on top of their joins. The regional lists the worker at
     * once; only the DHT entry waits.
     */
    public static final long PUBLISH_SPREAD_MILLIS = 30_000;
    /**
     * Registration puts per second that a fleet of {@link TierSettings#expectedWorkers()} workers
     * admitted at once makes at most on average: a put is a lookup and k stores, ~80-100 datagrams,
     * so 100 per second is ~10,000 datagrams per second for the whole network.
     */
    public static final int FLEET_PUTS_PER_SECOND = 100;
    /** Shortest probe period of a client's failure detector watching its bootstrap node (see forRole). */
    public static final long CLIENT_PROBE_PERIOD_MILLIS = 10_000;
    /** Regionals asked for their locals while a client builds its view. */
    public static final int VIEW_REGIONALS = 4;
    /**
     * How long a local gathers worker registrations before it sends them to its regional in one
     * message: a regional lists a worker at most this much later, and a join wave costs it one
     * datagram per batch.
     */
    public static final long REGISTRATION_BATCH_MILLIS = 200;

    private static final Logger LOG = LoggerFactory.getLogger("io.cqkd.dht.tier");

    /** Where a client is in its join. */
    public enum ClientState {
        /** Not started, or a bootstrap node (no client role). */
        IDLE,
        /** Building its view of the tier. */
        VIEW,
        /** Trying candidates. */
        JOINING,
        /** Holds a session. */
        ADMITTED,
        /** Joined by plain Kademlia (no tier answered). */
        PLAIN,
        /** Stopped. */
        STOPPED
    }

    /** A node to try: name ("" when only an address is known) and address. */
    private record Candidate(String name, InetSocketAddress address) {
    }

    /** What a local last told its regional about a worker. */
    private record Forwarded(InetSocketAddress at, long sentAt) {
    }

    /** A node the failure detector watches, as this agent knows it. */
    private record Watch(String name, InetSocketAddress address, NodeRole level, String region,
                         WatchRelation relation) {
    }

    /**
     * What this node's failure detector saw and did (counts since start).
     *
     * @param suspected   transitions to SUSPECTED
     * @param failed      transitions to FAILED
     * @param recovered   FAILED nodes heard from again
     * @param applied     failover decisions applied (server side and client side)
     * @param promotions  PROMOTE orders this node received and applied (it is a promoted backup)
     * @param restores    RESTORE orders this node received and applied
     * @param watched     nodes watched now
     */
    public record FailoverCounts(long suspected, long failed, long recovered, long applied, long promotions,
                                 long restores, int watched) {
    }

    private final KademliaNode node;
    private final EngineExecutor ex;
    private final TierSettings s;
    private final List<InetSocketAddress> bootstrap;
    private final Supplier<BootstrapSelector> selector;
    private final RandomGenerator random;
    private final boolean server;

    // ---- bootstrap-node state (engine thread) ----
    private final SessionTable sessions;
    private final ChildLoadTable children;
    private final Map<String, BootstrapNode> parentView = new LinkedHashMap<>();
    private final WorkerRegistry registry;
    private final Set<NodeId> workerSessions = new HashSet<>();
    private final Map<NodeId, String> workerRegions = new HashMap<>();
    /** A local's last forwarded registration per live worker (address and engine time), see {@link #workerSeen}. */
    private final Map<NodeId, Forwarded> forwarded = new HashMap<>();
    /** A local's registrations not sent yet, the latest per worker (at most {@code MAX_WORKERS}). */
    private final Map<NodeId, WireWorker> unsent = new LinkedHashMap<>();
    private EngineExecutor.Cancellable registrationTimer;
    private PeriodicSchedule stats;
    private int parentIndex;
    private String parentName = "";
    private int parentFailures;
    private long lastReportAt = -1;
    private long referred;
    private long refused;
    private boolean warnedFull;
    private volatile boolean accepting = true;
    private EngineExecutor.Cancellable tickTimer;
    private EngineExecutor.Cancellable reportTimer;

    // ---- client state (engine thread; a few volatile for tests and status) ----
    private volatile ClientState clientState = ClientState.IDLE;
    private volatile InetSocketAddress sessionAt;
    private volatile String sessionName = "";
    private volatile long joinedAfterMillis = -1;
    private long leaseMillis;
    /** Engine time the current lease was granted or last renewed. */
    private long leaseRenewedAt;
    private long retryDelay;
    private long joinStartedAt;
    private int joinRounds;
    private boolean kademliaStarted;
    private List<BootstrapNode> lastSelection = List.of();
    private EngineExecutor.Cancellable renewTimer;
    private EngineExecutor.Cancellable retryTimer;
    private EngineExecutor.Cancellable publishTimer;
    private long registeredAtWall = -1;
    /** Engine time since which the due registration put waits for the network to decongest; -1 when none waits. */
    private long publishDeferredSince = -1;
    /**
     * Regional: the local that last forwarded each registered worker (node id hex to local id hex),
     * so that a worker that moved between two locals of the region is not unregistered when the
     * old local reports its session ended after the new one reported it live. Bounded by the registry.
     */
    private final Map<String, String> registrars = new HashMap<>();
    private volatile boolean stopped;
    private volatile boolean started;
    private int unsupportedRounds;
    private final Map<String, BootstrapNode> clientView = new LinkedHashMap<>();
    private final Set<String> clientTried = new HashSet<>();

    // ---- failure detection (engine thread) ----
    private final Supplier<FailoverSink> failover;
    private final FailureDetector detector;
    private final Map<String, Watch> watches = new HashMap<>();
    private final Map<InetSocketAddress, String> watchedAt = new HashMap<>();
    private EngineExecutor.Cancellable detectorTimer;
    private long detectorWakeAt = Long.MAX_VALUE;
    private String watchedParent = "";
    private InetSocketAddress parentOverride;
    private long suspectedCount;
    private long failedCount;
    private long recoveredCount;
    private long appliedCount;
    private long promotionCount;
    private long restoreCount;

    /**
     * An agent; nothing happens until {@link #start}.
     *
     * @param node      the node's engine (not started: the agent starts it)
     * @param settings  tier parameters
     * @param bootstrap configured bootstrap addresses (parent or peers of a bootstrap node; the
     *                  tier entry points of a client), resolved
     * @param selector  the current selection strategy, or null when none is bound
     * @param random    randomness (join plan, jitter)
     */
    public TierAgent(KademliaNode node, TierSettings settings, List<InetSocketAddress> bootstrap,
                     Supplier<BootstrapSelector> selector, RandomGenerator random) {
        this(node, settings, bootstrap, selector, TierServices.failoverOf(selector), random);
    }

    /**
     * An agent with a failover sink; nothing happens until {@link #start}.
     *
     * @param failover the current failover sink (supplies null when none is bound: detect and log only)
     */
    public TierAgent(KademliaNode node, TierSettings settings, List<InetSocketAddress> bootstrap,
                     Supplier<BootstrapSelector> selector, Supplier<FailoverSink> failover, RandomGenerator random) {
        this.failover = failover == null ? () -> null : failover;
        this.node = node;
        this.ex = node.executor();
        this.s = settings;
        this.bootstrap = List.copyOf(bootstrap);
        this.selector = selector == null ? () -> null : selector;
        this.random = random;
        this.server = settings.level().isBootstrap();
        this.sessions = new SessionTable(server ? settings.capacity() : 0, settings.leaseMillis(),
                SessionTable.DEFAULT_HISTORY_LIMIT);
        this.children = new ChildLoadTable(settings.reportMillis(), settings.stalePeriods());
        WorkerRegistry reg = null;
        if (settings.level() == NodeRole.REGIONAL && !settings.region().isEmpty()) {
            try {
                reg = new WorkerRegistry(settings.region(), settings.registryFreshnessMillis(),
                        WorkerRegistry.DEFAULT_MAX_WORKERS);
            } catch (IllegalArgumentException e) {
                LOG.warn("event=tier.registry_disabled node={} region={} reason=\"{}\"", s.name(), s.region(),
                        e.getMessage());
            }
        }
        this.registry = reg;
        this.detector = new FailureDetector(detectorSettings(), ex::nowMillis);
        if (server) {
            node.setTierHandler(this::handle);
        }
        // every message from a watched node proves it alive: late probe answers and plain DHT
        // traffic too (at start-up a loaded container answers late; see docs/failover.md)
        node.setHeardListener(this::heardAt);
    }

    // ==========================================================================================
    // Life cycle

    /** Starts the tier role and, through it, the Kademlia node. */
    public void start() {
        run(() -> {
            if (stopped) {
                return;
            }
            long now = ex.nowMillis();
            started = true;
            if (server) {
                stats = new PeriodicSchedule(s.statsMillis(), now);
                node.start(bootstrap);
                kademliaStarted = true;
                tickTimer = ex.schedule(this::tick, tickMillis());
                // the first report goes out at once, so a tier forms within a report round trip
                reportTimer = ex.schedule(this::report, random.nextLong(Math.min(200, s.reportMillis())));
                LOG.info("event=tier.started node={} level={} region={} capacity={} lease_ms={} report_ms={} "
                                + "upstream={}", s.name(), s.level().configName(), s.region(), sessions.capacity(),
                        s.leaseMillis(), s.reportMillis(), bootstrap.size());
            } else if (!s.join() || bootstrap.isEmpty()) {
                clientState = ClientState.PLAIN;
                kademliaStarted = true;
                node.start(bootstrap);
            } else {
                if (node.hasRememberedContacts()) {
                    // A restart: rejoin the DHT through the saved neighbours at once, without waiting
                    // for the tier (which may itself be restarting); the session is taken alongside.
                    kademliaStarted = true;
                    node.start(bootstrap);
                }
                joinStartedAt = now;
                retryDelay = s.retryMinMillis();
                joinRound();
            }
        });
    }

    /** Leaves the session (a client) and stops the timers; the caller stops the node after. */
    public void stop() {
        run(() -> {
            if (stopped) {
                return;
            }
            stopped = true;
            cancel(tickTimer);
            cancel(reportTimer);
            cancel(registrationTimer);
            sendRegistrations();
            cancel(renewTimer);
            cancel(retryTimer);
            cancel(publishTimer);
            cancel(detectorTimer);
            FailoverSink sink = failover.get();
            if (sink != null) {
                try {
                    sink.forget(s.name(), "");
                } catch (RuntimeException e) {
                    LOG.debug("event=tier.failover_sink_failed node={} call=forget error=\"{}\"", s.name(), e.toString());
                }
            }
            InetSocketAddress at = sessionAt;
            if (clientState == ClientState.ADMITTED && at != null) {
                node.request(at, txid -> new Message.Leave(txid, node.wirePeer()), 0, 500);
            }
            clientState = ClientState.STOPPED;
            if (server) {
                node.setTierHandler(null);
            }
            node.setHeardListener(null);
        });
    }

    // ==========================================================================================
    // Seams and snapshots

    /** Changes this bootstrap node's capacity (live MAX_CONNECTIONS change; failover promotion doubles it). */
    public void setCapacity(int capacity) {
        run(() -> sessions.setCapacity(capacity));
    }

    /** Whether this bootstrap node admits joins (false: it refers every joiner, a draining or failed-over node). */
    public void setAccepting(boolean accepting) {
        this.accepting = accepting;
    }

    /** A client: drops its session and joins again through the tier (its bootstrap node stopped answering). */
    public void rejoin() {
        run(() -> {
            if (!stopped && !server && clientState == ClientState.ADMITTED) {
                cancel(renewTimer);
                unwatchSession();
                sessionAt = null;
                sessionName = "";
                retryDelay = s.retryMinMillis();
                joinRound();
            }
        });
    }

    /** The settings. */
    public TierSettings settings() {
        return s;
    }

    /** A client's join state. */
    public ClientState clientState() {
        return clientState;
    }

    /** A client's bootstrap node (its session), or null. */
    public InetSocketAddress sessionAt() {
        return sessionAt;
    }

    /** The name of a client's bootstrap node ("" when unknown or none). */
    public String sessionName() {
        return sessionName;
    }

    /** Engine milliseconds from start to the first admission, -1 before. */
    public long joinedAfterMillis() {
        return joinedAfterMillis;
    }

    /** Consecutive missed load reports to the current parent (failure-detector input). */
    public int parentFailures() {
        return onEngine(() -> parentFailures, 0);
    }

    /** What the failure detector saw and the failover decisions applied (see {@link FailoverCounts}). */
    public FailoverCounts failoverCounts() {
        return onEngine(() -> new FailoverCounts(suspectedCount, failedCount, recoveredCount, appliedCount,
                promotionCount, restoreCount, detector.size()), null);
    }

    /** Live sessions now (a bootstrap node). */
    public int activeSessions() {
        return onEngine(() -> sessions.active(ex.nowMillis()), 0);
    }

    /** Highest concurrent sessions (a bootstrap node). */
    public int peak() {
        return onEngine(sessions::peak, 0);
    }

    /** A bootstrap node's state (see {@link TierNodeSnapshot}). */
    public TierNodeSnapshot snapshot() {
        return onEngine(this::snapshotNow, null);
    }

    private TierNodeSnapshot snapshotNow() {
        long now = ex.nowMillis();
        List<ConnectionRecord> history = new ArrayList<>();
        for (ConnectionEvent e : sessions.history()) {
            history.add(new ConnectionRecord(e.atMillis(), e.kind() == ConnectionEvent.Kind.CONNECT,
                    e.reason().name().toLowerCase(java.util.Locale.ROOT), e.peer().toHex(), endpoint(e.address())));
        }
        Map<String, Long> counters = new LinkedHashMap<>(sessions.counters());
        counters.put("referred", referred);
        counters.put("refused", refused);
        InetSocketAddress parent = parentAddress();
        return new TierNodeSnapshot(!stopped && kademliaStarted, selfNode(now), sessions.peak(),
                parent == null ? "" : endpoint(parent), counters, history, List.copyOf(known(now).values()),
                registry == null ? List.of() : registry.workers(), now);
    }

    // ==========================================================================================
    // Bootstrap node: requests

    private Message.Response handle(InetSocketAddress from, Contact sender, Message.TierRequest request) {
        Peer me = node.wirePeer();
        if (!started) {
            return null; // not serving yet: the client's request times out and it retries
        }
        if (stopped) {
            return new Message.ErrorReply(request.txid(), me, ErrorCode.SHUTTING_DOWN.name());
        }
        long now = ex.nowMillis();
        String watchedName = request instanceof Message.LoadReport lr ? lr.name() : watchedAt.get(from);
        if (watchedName != null) {
            heard(watchedName);
        }
        if (request instanceof Message.Join j) {
            return onJoin(from, sender, j, now);
        } else if (request instanceof Message.Renew r) {
            boolean ok = sessions.renew(sender.id(), now);
            if (ok && workerSessions.contains(sender.id())) {
                workerSeen(sender.id(), from, workerRegions.getOrDefault(sender.id(), ""), now);
            }
            return new Message.TierAck(r.txid(), me, ok, ok ? "" : "unknown_session");
        } else if (request instanceof Message.Leave l) {
            boolean ok = sessions.leave(sender.id(), now);
            if (ok) {
                sessionEnded(sender.id(), now);
            }
            return new Message.TierAck(l.txid(), me, ok, ok ? "" : "unknown_session");
        } else if (request instanceof Message.LoadReport lr) {
            return onLoadReport(from, sender, lr, now);
        } else if (request instanceof Message.ReferralRequest q) {
            return onReferralRequest(q, now);
        } else if (request instanceof Message.RegisterWorkers w) {
            return onRegisterWorkers(sender, w, now);
        } else if (request instanceof Message.CapacityOrder o) {
            return onCapacityOrder(sender, o);
        }
        return new Message.ErrorReply(request.txid(), me, ErrorCode.BAD_REQUEST.name());
    }

    private Message.Response onJoin(InetSocketAddress from, Contact sender, Message.Join j, long now) {
        Peer me = node.wirePeer();
        boolean had = sessions.session(sender.id(), now).isPresent();
        AdmissionDecision d = Admission.decide(selfNode(now), sessions, sender.id(), from, j.region(), now,
                () -> known(now).values());
        if (d instanceof AdmissionDecision.Admitted a) {
            if (!had && sender.record().role() == NodeRole.WORKER) {
                workerSessions.add(sender.id());
                workerRegions.put(sender.id(), j.region());
            }
            if (workerSessions.contains(sender.id())) {
                workerSeen(sender.id(), from, j.region(), now);
            }
            return new Message.JoinReply(j.txid(), me, Message.JoinReply.ADMITTED, a.leaseMillis(), List.of(), "", "");
        }
        if (d instanceof AdmissionDecision.Referred r) {
            referred++;
            BootstrapNode first = r.alternatives().get(0);
            if (!children.noteReferral(first.name())) {
                BootstrapNode p = parentView.get(first.name());
                if (p != null) {
                    parentView.put(p.name(), p.withLoad(p.activeSessions() + 1, p.capacity(), p.healthy(),
                            p.lastReportMillis()));
                }
            }
            return new Message.JoinReply(j.txid(), me, Message.JoinReply.REFERRED, 0, toWire(r.alternatives()), "", "");
        }
        AdmissionDecision.Refused f = (AdmissionDecision.Refused) d;
        refused++;
        if (!warnedFull) {
            warnedFull = true;
            LOG.warn("event=tier.join_refused node={} reason={} detail=\"{}\"", s.name(), f.reason(), f.detail());
        }
        String detail = f.detail().length() > 200 ? f.detail().substring(0, 200) : f.detail();
        return new Message.JoinReply(j.txid(), me, Message.JoinReply.REFUSED, 0, List.of(), f.reason().name(), detail);
    }

    private Message.Response onLoadReport(InetSocketAddress from, Contact sender, Message.LoadReport lr, long now) {
        Peer me = node.wirePeer();
        boolean peer = s.level() == NodeRole.SUPER && lr.level() == NodeRole.SUPER;
        boolean child = lr.level() == below(s.level()) && lr.parent().equals(s.name());
        if (!(peer || child) || sender.record().role() != lr.level() || lr.name().equals(s.name())) {
            return new Message.TierAck(lr.txid(), me, false, "unexpected_reporter");
        }
        try {
            children.record(new LoadReport(lr.name(), Optional.of(sender.id()), lr.level(), lr.region(), lr.parent(),
                    from, lr.activeSessions(), lr.capacity(), lr.healthy()), now);
        } catch (IllegalArgumentException e) {
            return new Message.TierAck(lr.txid(), me, false, "bad_report");
        }
        List<BootstrapNode> out = new ArrayList<>();
        out.add(selfNode(now));
        for (BootstrapNode n : nodes(lr.level(), peer ? "" : lr.region(), s.viewMax(), now)) {
            if (!n.name().equals(lr.name())) {
                out.add(n);
            }
        }
        return new Message.Referral(lr.txid(), me, s.name(), toWire(out));
    }

    private Message.Response onReferralRequest(Message.ReferralRequest q, long now) {
        List<NodeRole> levels = q.level().isEmpty() ? List.of(NodeRole.SUPER, NodeRole.REGIONAL, NodeRole.LOCAL)
                : List.of(NodeRole.parse(q.level()));
        int max = Math.max(1, Math.min(q.max(), s.viewMax()));
        List<BootstrapNode> out = new ArrayList<>();
        out.add(selfNode(now));
        for (NodeRole level : levels) {
            List<BootstrapNode> ns = nodes(level, q.region(), max, now);
            if (ns.isEmpty() && !q.region().isEmpty()) {
                ns = nodes(level, "", max, now); // no node of that region: any region still helps
            }
            for (BootstrapNode n : ns) {
                if (out.size() < 64) {
                    out.add(n);
                }
            }
        }
        return new Message.Referral(q.txid(), node.wirePeer(), s.name(), toWire(out));
    }

    private Message.Response onRegisterWorkers(Contact sender, Message.RegisterWorkers r, long now) {
        Peer me = node.wirePeer();
        if (registry == null) {
            return new Message.TierAck(r.txid(), me, false, "not_regional");
        }
        if (sender.record().role() != NodeRole.LOCAL) {
            return new Message.TierAck(r.txid(), me, false, "unexpected_sender");
        }
        String local = sender.id().toHex();
        for (WireWorker w : r.workers()) {
            String id = NodeId.of(w.worker()).toHex();
            if (w.live()) {
                String address;
                try {
                    address = InetAddress.getByAddress(w.ip()).getHostAddress();
                } catch (UnknownHostException e) {
                    continue; // unreachable: the codec accepts only 4- or 16-byte addresses
                }
                if (registerWorker(id, address, w.port(), now)) {
                    registrars.put(id, local);
                }
            } else if (registrars.getOrDefault(id, local).equals(local)) {
                unregisterWorker(id);
            }
            // else the worker moved to another local, which already forwarded it live: it stays registered
        }
        return new Message.TierAck(r.txid(), me, true, "");
    }

    /**
     * A worker session was admitted or renewed here: a local tells its regional, a regional registers it.
     * A local forwards a worker when it is new or moved, and then at most once per
     * {@link #registrationRefreshMillis()} (a third of the regional's freshness window, 60 s by
     * default) rather than on every renewal: the regional only needs to see the worker within the
     * window, and a renewal every lease/3 per worker would make the regionals' inbound grow with
     * the workers at three times the needed rate.
     */
    private void workerSeen(NodeId worker, InetSocketAddress from, String region, long now) {
        if (s.level() == NodeRole.REGIONAL) {
            registerWorker(worker.toHex(), from.getAddress().getHostAddress(), from.getPort(), now);
        } else if (s.level() == NodeRole.LOCAL) {
            Forwarded last = forwarded.get(worker);
            if (last != null && last.at().equals(from) && now - last.sentAt() < registrationRefreshMillis()) {
                return;
            }
            forwarded.put(worker, new Forwarded(from, now));
            sendRegistration(worker, from, true);
        }
    }

    /** How often a local re-forwards a live worker to its regional at most. */
    long registrationRefreshMillis() {
        return Math.max(1_000, s.registryFreshnessMillis() / 3);
    }

    private void sessionEnded(NodeId peer, long now) {
        if (!workerSessions.remove(peer)) {
            return;
        }
        forwarded.remove(peer);
        workerRegions.remove(peer);
        if (s.level() == NodeRole.REGIONAL) {
            unregisterWorker(peer.toHex());
        } else if (s.level() == NodeRole.LOCAL) {
            sendRegistration(peer, null, false);
        }
    }

    /**
     * Queues a registration for the regional; they go out together {@link #REGISTRATION_BATCH_MILLIS}
     * after the first, or at once when {@code MAX_WORKERS} wait. One datagram per worker was the
     * busiest regional's largest inbound share during a join (cqkd-bench three-level 1000: 170-175
     * of its 253-335 datagrams).
     */
    private void sendRegistration(NodeId worker, InetSocketAddress at, boolean live) {
        if (s.region().isEmpty()) {
            return;
        }
        byte[] ip = at == null ? new byte[4] : at.getAddress().getAddress();
        int port = at == null ? 1 : at.getPort();
        unsent.remove(worker); // the latest state goes last
        unsent.put(worker, new WireWorker(worker.toBytes(), ip, port, live));
        if (unsent.size() >= MessageValidator.MAX_WORKERS) {
            cancel(registrationTimer);
            registrationTimer = null;
            sendRegistrations();
        } else if (registrationTimer == null) {
            registrationTimer = ex.schedule(() -> {
                registrationTimer = null;
                sendRegistrations();
            }, REGISTRATION_BATCH_MILLIS);
        }
    }

    /** Sends the queued registrations to the parent regional (none known: they are dropped, as before a parent is). */
    private void sendRegistrations() {
        if (unsent.isEmpty()) {
            return;
        }
        List<WireWorker> batch = List.copyOf(unsent.values());
        unsent.clear();
        InetSocketAddress parent = parentAddress();
        if (parent == null) {
            return;
        }
        node.request(parent, txid -> new Message.RegisterWorkers(txid, node.wirePeer(), s.region(), batch));
    }

    /**
     * A regional records the worker in its {@link WorkerRegistry} (what {@code tier:workers} lists).
     * The DHT value {@code region:{region}:worker:{node_id}} is put by the worker itself (see
     * {@link #publishRegistration}): a put costs a lookup and k stores, about 40-80 datagrams
     * answered to the node that puts, and a regional serving hundreds of workers would receive all
     * of them (measured at N=1000 three-level: ~9,500 inbound datagrams per regional over the join).
     * The regional still deletes the key when the worker leaves or lapses.
     */
    private boolean registerWorker(String id, String address, int port, long now) {
        if (registry == null) {
            return false;
        }
        return registry.register(id, address, port, now, ex.wallMillis()) != WorkerRegistry.Change.REJECTED_FULL;
    }

    private void unregisterWorker(String id) {
        registrars.remove(id);
        if (registry == null) {
            return;
        }
        registry.remove(id).ifPresent(w -> deleteRegistration(w));
    }

    private void deleteRegistration(WorkerRegistration w) {
        node.delete(w.key(s.region())).whenComplete((r, e) -> {
            if (e != null) {
                LOG.debug("event=tier.worker_delete_failed node={} worker={} error=\"{}\"", s.name(), w.nodeId(),
                        e.toString());
            }
        });
    }

    // ==========================================================================================
    // Bootstrap node: timers

    private long tickMillis() {
        return Math.min(1_000, s.reportMillis());
    }

    private void tick() {
        if (stopped) {
            return;
        }
        long now = ex.nowMillis();
        try {
            // sessions also lapse inside other SessionTable calls, so compare instead of using expire()'s result
            if (!workerSessions.isEmpty()) {
                Set<NodeId> live = new HashSet<>();
                sessions.sessions(now).forEach(x -> live.add(x.peer()));
                for (NodeId w : new ArrayList<>(workerSessions)) {
                    if (!live.contains(w)) {
                        sessionEnded(w, now);
                    }
                }
            }
            if (registry != null) {
                for (WorkerRegistration w : registry.expire(now)) {
                    registrars.remove(w.nodeId());
                    deleteRegistration(w);
                }
            }
            syncServerWatches(now);
            if (stats.poll(now)) {
                LOG.info(LoadStats.event(s.name(), s.level(), s.region(), sessions,
                        registry == null ? OptionalInt.empty() : OptionalInt.of(registry.size()), now).toLogLine());
                warnedFull = false;
            }
        } catch (RuntimeException e) {
            LOG.warn("event=tier.tick_failed node={} error=\"{}\"", s.name(), e.toString(), e);
        } finally {
            tickTimer = ex.schedule(this::tick, tickMillis());
        }
    }

    private void report() {
        if (stopped) {
            return;
        }
        try {
            if (s.level() == NodeRole.SUPER) {
                for (InetSocketAddress peer : bootstrap) {
                    sendReport(peer, "");
                }
            } else {
                InetSocketAddress parent = parentAddress();
                if (parent != null) {
                    if (parentName.isEmpty()) {
                        learnParent(parent);
                    } else {
                        sendReport(parent, parentName);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("event=tier.report_failed node={} error=\"{}\"", s.name(), e.toString(), e);
        } finally {
            reportTimer = ex.schedule(this::report, s.reportMillis());
        }
    }

    private void learnParent(InetSocketAddress parent) {
        node.request(parent, txid -> new Message.ReferralRequest(txid, node.wirePeer(), "", s.region(), s.viewMax()))
                .whenComplete((resp, err) -> {
                    if (stopped) {
                        return;
                    }
                    if (resp != null) {
                        heardAt(parent);
                    }
                    if (resp instanceof Message.Referral r && !r.responder().isEmpty()) {
                        parentName = r.responder();
                        parentFailures = 0;
                        mergeUpstream(r.nodes(), true);
                        sendReport(parent, parentName);
                    } else {
                        parentMissed(parent, err != null ? err.toString() : kind(resp));
                    }
                });
    }

    private void sendReport(InetSocketAddress to, String parent) {
        long now = ex.nowMillis();
        int active = sessions.active(now);
        node.request(to, txid -> new Message.LoadReport(txid, node.wirePeer(), s.name(), s.level(), s.region(), parent,
                active, sessions.capacity(), accepting)).whenComplete((resp, err) -> {
                    if (stopped) {
                        return;
                    }
                    if (resp != null) {
                        heardAt(to);
                    }
                    if (resp instanceof Message.Referral r) {
                        lastReportAt = ex.nowMillis();
                        if (s.level() != NodeRole.SUPER) {
                            parentFailures = 0;
                        }
                        mergeUpstream(r.nodes(), s.level() != NodeRole.SUPER);
                    } else if (resp instanceof Message.TierAck ack && !ack.ok()) {
                        // the parent does not know us as its child (restarted, renamed): learn its name again
                        if (s.level() != NodeRole.SUPER) {
                            parentName = "";
                        }
                        LOG.debug("event=tier.report_rejected node={} to={} reason={}", s.name(), endpoint(to), ack.reason());
                    } else if (s.level() != NodeRole.SUPER) {
                        parentMissed(to, err != null ? err.toString() : kind(resp));
                    }
                });
    }

    /**
     * A load report or referral request to the parent got no usable answer. After
     * {@link #PARENT_FAILURES_BEFORE_SWITCH} in a row the node reports to its next configured
     * parent; twice as many while it is {@link KademliaNode#congested} (its own answers are late in
     * general, so the silence says little about the parent, and a switch would re-forward every
     * worker to the next regional on a network that is already queueing), so a dead parent is still
     * left within six report periods.
     */
    private void parentMissed(InetSocketAddress parent, String why) {
        parentFailures++;
        int needed = node.congested() ? 2 * PARENT_FAILURES_BEFORE_SWITCH : PARENT_FAILURES_BEFORE_SWITCH;
        if (parentFailures < needed && parentFailures >= PARENT_FAILURES_BEFORE_SWITCH) {
            LOG.debug("event=tier.parent_switch_deferred node={} parent={} missed={} reason=congested", s.name(),
                    endpoint(parent), parentFailures);
            return;
        }
        if (parentFailures >= needed && bootstrap.size() > 1) {
            LOG.warn("event=tier.parent_unreachable node={} parent={} missed={} next={} reason=\"{}\"", s.name(),
                    endpoint(parent), parentFailures, endpoint(bootstrap.get((parentIndex + 1) % bootstrap.size())),
                    oneLine(why));
            parentIndex = (parentIndex + 1) % bootstrap.size();
            parentOverride = null;
            parentName = "";
            parentFailures = 0;
        } else if (parentFailures == needed) {
            LOG.warn("event=tier.parent_unreachable node={} parent={} missed={} reason=\"{}\"", s.name(),
                    endpoint(parent), parentFailures, oneLine(why));
        }
    }

    private void mergeUpstream(List<WireBootstrapNode> nodes, boolean replace) {
        long now = ex.nowMillis();
        if (replace) {
            parentView.clear();
        }
        for (WireBootstrapNode w : nodes) {
            BootstrapNode n = fromWire(w, now);
            if (n != null && !n.name().equals(s.name())) {
                parentView.put(n.name(), n);
            }
        }
    }

    private InetSocketAddress parentAddress() {
        if (s.level() == NodeRole.SUPER || !server) {
            return null;
        }
        if (parentOverride != null) {
            return parentOverride;
        }
        if (bootstrap.isEmpty()) {
            return null;
        }
        return bootstrap.get(parentIndex % bootstrap.size());
    }

    // ==========================================================================================
    // Bootstrap node: knowledge

    /** This node as others should see it. */
    private BootstrapNode selfNode(long now) {
        return new BootstrapNode(s.name(), Optional.of(node.id()), s.level(), s.region(), parentName,
                node.self().address(), sessions.active(now), sessions.capacity(), accepting && !stopped, lastReportAt);
    }

    /** Everything this node knows of the others, by name: upstream answers, overridden by its own reports. */
    private Map<String, BootstrapNode> known(long now) {
        Map<String, BootstrapNode> out = new LinkedHashMap<>();
        long staleBefore = now - (long) s.stalePeriods() * s.reportMillis();
        for (BootstrapNode n : parentView.values()) {
            if (n.lastReportMillis() >= staleBefore) {
                out.put(n.name(), n);
            }
        }
        for (BootstrapNode n : children.snapshot(now)) {
            out.put(n.name(), n);
        }
        out.remove(s.name());
        return out;
    }

    /** Healthy known nodes of {@code level} in {@code region} ("" any; supers ignore it), least-loaded first. */
    private List<BootstrapNode> nodes(NodeRole level, String region, int max, long now) {
        return known(now).values().stream()
                .filter(n -> n.level() == level && n.healthy())
                .filter(n -> region.isEmpty() || level == NodeRole.SUPER || n.region().equals(region))
                .sorted(BootstrapNode.LOAD_ORDER)
                .limit(max)
                .toList();
    }

    // ==========================================================================================
    // Client

    private void joinRound() {
        if (stopped) {
            return;
        }
        joinRounds++;
        clientState = ClientState.VIEW;
        if (selector.get() == null) {
            // no strategy bound: the configured list, in order
            List<Candidate> list = new ArrayList<>();
            bootstrap.forEach(a -> list.add(new Candidate("", a)));
            tryCandidates(list, List.of(), new Attempt());
            return;
        }
        Map<String, BootstrapNode> view = new LinkedHashMap<>();
        int[] left = {bootstrap.size()};
        int[] unsupported = {0, 0}; // answers UNSUPPORTED, of them from workers
        for (InetSocketAddress a : bootstrap) {
            node.request(a, txid -> new Message.ReferralRequest(txid, node.wirePeer(), "", s.region(), s.viewMax()))
                    .whenComplete((resp, err) -> {
                        if (resp instanceof Message.Referral r) {
                            merge(view, r);
                        } else if (isUnsupported(resp)) {
                            unsupported[0]++;
                            if (fromWorker(resp)) {
                                unsupported[1]++;
                            }
                        }
                        if (--left[0] == 0) {
                            viewRoundOne(view, unsupported[0], unsupported[1]);
                        }
                    });
        }
    }

    private void viewRoundOne(Map<String, BootstrapNode> view, int unsupported, int unsupportedByWorkers) {
        if (stopped) {
            return;
        }
        if (view.isEmpty()) {
            // nodes that did not answer may be down or still starting
            roundWithoutTier(unsupported > 0, unsupported == unsupportedByWorkers,
                    "no bootstrap node answered the view request");
            return;
        }
        TierView v = new TierView(List.copyOf(view.values()), ex.nowMillis());
        List<BootstrapNode> regionals = v.healthy(NodeRole.REGIONAL, s.region());
        if (regionals.isEmpty()) {
            regionals = v.healthy(NodeRole.REGIONAL, "");
        }
        regionals = regionals.subList(0, Math.min(VIEW_REGIONALS, regionals.size()));
        if (regionals.isEmpty()) {
            choose(view);
            return;
        }
        int[] left = {regionals.size()};
        for (BootstrapNode r : regionals) {
            node.request(r.address(), txid -> new Message.ReferralRequest(txid, node.wirePeer(), "local", s.region(),
                    s.viewMax())).whenComplete((resp, err) -> {
                        if (resp instanceof Message.Referral ref) {
                            merge(view, ref);
                        }
                        if (--left[0] == 0) {
                            choose(view);
                        }
                    });
        }
    }

    /** Merges a referral into a client's view: a node's description of itself wins over others'. */
    private void merge(Map<String, BootstrapNode> view, Message.Referral r) {
        long now = ex.nowMillis();
        for (WireBootstrapNode w : r.nodes()) {
            BootstrapNode n = fromWire(w, now);
            if (n == null) {
                continue;
            }
            boolean fromSelf = n.name().equals(r.responder());
            if (fromSelf || !view.containsKey(n.name())) {
                view.put(n.name(), n);
            }
        }
    }

    private void choose(Map<String, BootstrapNode> view) {
        if (stopped) {
            return;
        }
        long now = ex.nowMillis();
        clientView.clear();
        clientView.putAll(view);
        BootstrapSelector sel = selector.get();
        List<BootstrapNode> selection = List.of();
        if (sel != null) {
            try {
                selection = sel.select(new SelectionRequest(s.region(), s.expectedWorkers()),
                        new TierView(List.copyOf(view.values()), now));
            } catch (RuntimeException e) {
                LOG.warn("event=tier.selector_failed node={} strategy={} error=\"{}\"", s.name(), safeName(sel),
                        oneLine(e.toString()));
            }
        }
        List<Candidate> list = new ArrayList<>();
        if (selection.isEmpty()) {
            bootstrap.forEach(a -> list.add(new Candidate("", a)));
        } else {
            for (BootstrapNode n : JoinPlan.order(selection, random)) {
                list.add(new Candidate(n.name(), n.address()));
            }
        }
        tryCandidates(list, selection, new Attempt());
    }

    /** Book-keeping of one round of candidates. */
    private static final class Attempt {
        final Set<InetSocketAddress> tried = new HashSet<>();
        /** Candidates whose JOIN got no answer (possibly admitted, answer lost): told LEAVE on admission elsewhere. */
        final Set<InetSocketAddress> unanswered = new HashSet<>();
        int hops;
        int answered;
        int unsupported;
        int unsupportedByWorkers;
    }

    private void tryCandidates(List<Candidate> list, List<BootstrapNode> selection, Attempt attempt) {
        if (stopped) {
            return;
        }
        clientState = ClientState.JOINING;
        int idx = 0;
        while (idx < list.size() && (list.get(idx).address().isUnresolved()
                || attempt.tried.contains(list.get(idx).address()))) {
            idx++;
        }
        if (idx >= list.size()) {
            roundWithoutTier(attempt.unsupported > 0 && attempt.answered == attempt.unsupported,
                    attempt.unsupportedByWorkers == attempt.unsupported, "no candidate admitted this node");
            return;
        }
        Candidate c = list.get(idx);
        List<Candidate> rest = list.subList(idx + 1, list.size());
        attempt.tried.add(c.address());
        node.request(c.address(), txid -> new Message.Join(txid, node.wirePeer(), s.region(), s.expectedWorkers()))
                .whenComplete((resp, err) -> {
                    if (stopped) {
                        return;
                    }
                    if (resp != null) {
                        attempt.answered++;
                        heardAt(c.address());
                    }
                    if (resp instanceof Message.JoinReply r && Message.JoinReply.ADMITTED.equals(r.outcome())) {
                        for (InetSocketAddress other : attempt.unanswered) {
                            if (!other.equals(c.address())) {
                                node.request(other, txid -> new Message.Leave(txid, node.wirePeer()), 0,
                                        s.leaseMillis());
                            }
                        }
                        admitted(c, r.leaseMillis(), selection);
                    } else if (resp instanceof Message.JoinReply r && Message.JoinReply.REFERRED.equals(r.outcome())
                            && attempt.hops < s.hopLimit()) {
                        attempt.hops++;
                        List<Candidate> next = new ArrayList<>();
                        long now = ex.nowMillis();
                        for (WireBootstrapNode w : r.nodes()) {
                            BootstrapNode n = fromWire(w, now);
                            if (n != null) {
                                next.add(new Candidate(n.name(), n.address()));
                                clientView.putIfAbsent(n.name(), n);
                            }
                        }
                        next.addAll(rest);
                        tryCandidates(next, selection, attempt);
                    } else {
                        if (isUnsupported(resp)) {
                            attempt.unsupported++;
                            if (fromWorker(resp)) {
                                attempt.unsupportedByWorkers++; // a worker never serves the tier: final
                            }
                        }
                        if (err != null) {
                            // the JOIN may have been admitted with the answer lost: that session is freed
                            // (LEAVE) once another node admits us; not now, because the next round may well
                            // JOIN this node again (a slow node, often the only configured one), which
                            // re-admits the same session, while a LEAVE in between would end it and
                            // unregister the worker only to register it again
                            attempt.unanswered.add(c.address());
                        }
                        tryCandidates(new ArrayList<>(rest), selection, attempt);
                    }
                });
    }

    private void admitted(Candidate c, long lease, List<BootstrapNode> selection) {
        long now = ex.nowMillis();
        clientState = ClientState.ADMITTED;
        sessionAt = c.address();
        sessionName = c.name();
        leaseMillis = lease;
        leaseRenewedAt = now;
        retryDelay = s.retryMinMillis();
        lastSelection = selection;
        if (joinedAfterMillis < 0) {
            joinedAfterMillis = now - joinStartedAt;
        }
        if (!kademliaStarted) {
            kademliaStarted = true;
            List<InetSocketAddress> contacts = new ArrayList<>();
            contacts.add(c.address());
            for (BootstrapNode n : JoinPlan.kademliaFallbacks(selection, random)) {
                if (contacts.size() < MAX_KADEMLIA_CONTACTS && !n.address().isUnresolved()
                        && !contacts.contains(n.address())) {
                    contacts.add(n.address());
                }
            }
            for (InetSocketAddress a : bootstrap) {
                if (contacts.size() < MAX_KADEMLIA_CONTACTS && !contacts.contains(a)) {
                    contacts.add(a);
                }
            }
            node.start(contacts);
        }
        LOG.debug("event=tier.admitted node={} at={} by={} lease_ms={} rounds={}", s.name(), endpoint(c.address()),
                c.name(), lease, joinRounds);
        clientTried.clear();
        watchSession(c);
        scheduleRenew();
        if (registeredAtWall < 0) {
            registeredAtWall = ex.wallMillis();
        }
        schedulePublishAt(random.nextLong(publishSpreadMillis() + 1));
    }

    /**
     * A worker holding a session publishes its own registration,
     * {@code region:{region}:worker:{node_id}} = {@code {"node_id","address","port","registered_at"}}
     * with {@link TierSettings#workerTtlMillis()}, once its Kademlia node is READY and a random part of
     * {@link #publishSpreadMillis} after its admission, and again at half
     * the TTL while it keeps a session (a failed put is tried again after {@link #PUBLISH_RETRY_MILLIS},
     * jittered). The regional that keeps the worker in its registry deletes the key when the
     * session ends. Each worker pays for its own put, spread over the DHT, instead of its regional
     * paying for all of them.
     */
    private void publishRegistration() {
        publishTimer = null;
        if (stopped || server || clientState != ClientState.ADMITTED || s.region().isEmpty()
                || node.self().record().role() != NodeRole.WORKER) {
            return;
        }
        if (node.state() != io.cqkd.dht.api.NodeState.READY) {
            schedulePublish(PUBLISH_RETRY_MILLIS / 5);
            return;
        }
        if (deferPublish(ex.nowMillis())) {
            schedulePublish(PUBLISH_RETRY_MILLIS);
            return;
        }
        InetSocketAddress me = node.self().address();
        WorkerRegistration w;
        try {
            w = new WorkerRegistration(node.id().toHex(), me.getAddress().getHostAddress(), me.getPort(),
                    registeredAtWall);
        } catch (RuntimeException e) {
            LOG.debug("event=tier.worker_put_failed node={} error=\"{}\"", s.name(), e.toString());
            return;
        }
        node.put(w.key(s.region()), TierJson.worker(w), Duration.ofMillis(s.workerTtlMillis()))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        LOG.debug("event=tier.worker_put_failed node={} error=\"{}\"", s.name(), e.toString());
                        schedulePublish(PUBLISH_RETRY_MILLIS);
                    } else {
                        run(() -> publishDeferredSince = -1);
                        schedulePublish(s.workerTtlMillis() / 2);
                    }
                });
    }

    /**
     * Bound of the random delay of the first registration put after admission: enough for the
     * expected fleet to put at {@link #FLEET_PUTS_PER_SECOND} (10,000 workers: 100 s), at least
     * {@link #PUBLISH_SPREAD_MILLIS} (or a twentieth of the TTL when that is shorter), at most a
     * quarter of the TTL.
     */
    long publishSpreadMillis() {
        long ttl = s.workerTtlMillis();
        long fleet = s.expectedWorkers() * 1000L / FLEET_PUTS_PER_SECOND;
        return Math.min(ttl / 4, Math.max(Math.min(PUBLISH_SPREAD_MILLIS, ttl / 20), fleet));
    }

    /**
     * A due registration put waits while the node's answers are late ({@link KademliaNode#congested}),
     * for at most a quarter of the TTL: a put is a lookup and k stores, and when a fleet joins or
     * fails over at once the network is queueing on its joins already (measured: a 10,000-node
     * three-level join on two cores, all ready in 55 s without the puts, 9582 of 10,000 in 120 s
     * with them). The bound keeps a re-put (due at half the TTL) ahead of the expiry.
     */
    private boolean deferPublish(long now) {
        if (!node.congested()) {
            publishDeferredSince = -1;
            return false;
        }
        if (publishDeferredSince < 0) {
            publishDeferredSince = now;
            LOG.debug("event=tier.worker_put_deferred node={} reason=congested", s.name());
        }
        return now - publishDeferredSince < s.workerTtlMillis() / 4; // past the bound: put (and retry) now
    }

    /** The next put after about {@code delayMillis} (up to a quarter later, so that workers drift apart). */
    private void schedulePublish(long delayMillis) {
        schedulePublishAt(delayMillis + random.nextLong(Math.max(1, delayMillis / 4)));
    }

    private void schedulePublishAt(long delayMillis) {
        run(() -> {
            if (stopped) {
                return;
            }
            cancel(publishTimer);
            publishTimer = ex.schedule(this::publishRegistration, delayMillis);
        });
    }

    private void scheduleRenew() {
        cancel(renewTimer);
        long delay = Math.max(100, leaseMillis / 3);
        renewTimer = ex.schedule(this::renew, delay);
    }

    private void renew() {
        InetSocketAddress at = sessionAt;
        if (stopped || at == null || clientState != ClientState.ADMITTED) {
            return;
        }
        node.request(at, txid -> new Message.Renew(txid, node.wirePeer())).whenComplete((resp, err) -> {
            if (stopped || clientState != ClientState.ADMITTED || !at.equals(sessionAt)) {
                return;
            }
            if (resp != null) {
                heardAt(at);
            }
            if (resp instanceof Message.TierAck ack && ack.ok()) {
                leaseRenewedAt = ex.nowMillis();
                scheduleRenew();
            } else if (resp == null && keepSessionThroughTimeout()) {
                // no answer, but the lease still runs and nothing says the node is gone: ask again sooner
                LOG.debug("event=tier.renew_retry node={} at={} reason={}", s.name(), endpoint(at),
                        node.congested() ? "congested" : "not_failed");
                cancel(renewTimer);
                renewTimer = ex.schedule(this::renew, Math.max(100, leaseMillis / 10));
            } else {
                LOG.info("event=tier.session_lost node={} at={} reason=\"{}\"", s.name(), endpoint(at),
                        resp instanceof Message.TierAck ack ? ack.reason() : err != null ? oneLine(err.toString()) : kind(resp));
                if (err != null) {
                    node.request(at, txid -> new Message.Leave(txid, node.wirePeer()), 0, s.leaseMillis());
                }
                unwatchSession();
                sessionAt = null;
                sessionName = "";
                retryDelay = s.retryMinMillis();
                joinRound();
            }
        });
    }

    /**
     * Whether a renewal that got no answer keeps the session, to be asked again sooner: while a
     * sixth of the lease is left (a DHCP client, too, keeps renewing until its lease runs out), and
     * either this node's answers are late in general ({@link KademliaNode#congested}, so the silence
     * says nothing about the bootstrap node) or the failure detector, which counts every datagram
     * from the node, has not declared it FAILED (a dead node is FAILED within a few probe periods,
     * sooner than the lease ends). Leaving on one lost exchange would cost the bootstrap node a
     * LEAVE and its regional an unregistration, and the worker a new JOIN and registration, on a
     * network that is most likely queueing: a 10,000-node three-level join on two cores lost 1040
     * sessions to renewal timeouts while only 13 local watches were ever FAILED.
     */
    private boolean keepSessionThroughTimeout() {
        if (ex.nowMillis() - leaseRenewedAt >= leaseMillis - leaseMillis / 6) {
            return false;
        }
        return node.congested() || !sessionNodeFailed();
    }

    /** True when the detector has the session's node FAILED, or does not watch it (nothing vouches for it). */
    private boolean sessionNodeFailed() {
        String name = sessionAt == null ? null : watchedAt.get(sessionAt);
        return name == null || detector.state(name).map(st -> st == WatchState.FAILED).orElse(true);
    }

    /**
     * A join round ended without a session. {@code noTier}: the nodes that answered all said
     * UNSUPPORTED. Then the Kademlia join starts at once (a flat network does not wait for the
     * tier), and the node settles as plain Kademlia when {@code onlyWorkers} answered (a worker
     * never serves the tier) or after a second such round (a bootstrap node whose tier agent is
     * still starting answers UNSUPPORTED too, and is asked again). Otherwise: the next round later.
     */
    private void roundWithoutTier(boolean noTier, boolean onlyWorkers, String why) {
        if (noTier && (onlyWorkers || ++unsupportedRounds >= 2)) {
            startPlain();
            return;
        }
        if (noTier && !kademliaStarted) {
            kademliaStarted = true;
            node.start(bootstrap);
        }
        scheduleRetry(why);
    }

    private void scheduleRetry(String why) {
        if (stopped) {
            return;
        }
        long delay = retryDelay + random.nextLong(Math.max(1, retryDelay / 2));
        retryDelay = Math.min(s.retryMaxMillis(), retryDelay * 2);
        LOG.debug("event=tier.join_retry node={} round={} delay_ms={} reason=\"{}\"", s.name(), joinRounds, delay, why);
        cancel(retryTimer);
        retryTimer = ex.schedule(this::joinRound, delay);
    }

    private void startPlain() {
        LOG.info("event=tier.not_served node={} detail=\"no configured bootstrap node serves the tier; joining by "
                + "plain Kademlia\"", s.name());
        clientState = ClientState.PLAIN;
        if (!kademliaStarted) {
            kademliaStarted = true;
            node.start(bootstrap);
        }
    }

    // ==========================================================================================
    // Failure detection and failover (docs/failover.md "What the tier agent does")

    private DetectorSettings detectorSettings() {
        FailoverSink sink = failover.get();
        if (sink == null) {
            return forRole(DetectorSettings.DEFAULTS);
        }
        try {
            DetectorSettings d = sink.detectorSettings();
            return forRole(d == null ? DetectorSettings.DEFAULTS : d);
        } catch (RuntimeException e) {
            LOG.debug("event=tier.failover_sink_failed node={} call=detectorSettings error=\"{}\"", s.name(), e.toString());
            return forRole(DetectorSettings.DEFAULTS);
        }
    }

    /**
     * A client (worker, special) probes its bootstrap node at most every
     * {@link #CLIENT_PROBE_PERIOD_MILLIS} (suspicion at least one such period): a bootstrap node
     * serves up to its capacity of clients (50-500), so at the sink's 1 s period a local with 150
     * workers would answer 150 pings a second, the bulk of its traffic, while its parent watches it
     * at 1 s anyway. Bootstrap nodes watch their children, parent and peers with the settings as given.
     */
    private DetectorSettings forRole(DetectorSettings d) {
        if (server || d.probePeriodMillis() >= CLIENT_PROBE_PERIOD_MILLIS) {
            return d;
        }
        try {
            return new DetectorSettings(CLIENT_PROBE_PERIOD_MILLIS, d.probeTimeoutMillis(),
                    Math.max(d.suspicionMillis(), CLIENT_PROBE_PERIOD_MILLIS), d.minMissedProbes());
        } catch (IllegalArgumentException e) {
            return d;
        }
    }

    /** A bootstrap node watches its children and peers (its load table) and its parent. */
    private void syncServerWatches(long now) {
        for (BootstrapNode n : children.snapshot(now)) {
            WatchRelation rel = n.level() == s.level() ? WatchRelation.PEER : WatchRelation.CHILD;
            Watch old = watches.get(n.name());
            if (old == null || !old.address().equals(n.address())) {
                watch(new Watch(n.name(), n.address(), n.level(), n.region(), rel));
            }
        }
        InetSocketAddress parent = parentAddress();
        String name = parent == null ? "" : parentName;
        if (!name.equals(watchedParent)) {
            if (!watchedParent.isEmpty()) {
                unwatch(watchedParent);
            }
            watchedParent = name;
            if (!name.isEmpty()) {
                NodeRole up = above(s.level());
                BootstrapNode known = parentView.get(name);
                watch(new Watch(name, parent, up == null ? NodeRole.SUPER : up,
                        known == null ? s.region() : known.region(), WatchRelation.PARENT));
            }
        }
    }

    /**
     * A client watches the node it joined through while its session lasts. Its JOIN answer has
     * just proved it alive, so the first probe waits a period: every worker of a joining network
     * used to ping its local right after being admitted, the moment the local is busiest.
     */
    private void watchSession(Candidate c) {
        String name = c.name().isEmpty() ? "at-" + endpoint(c.address()) : c.name();
        BootstrapNode known = clientView.get(name);
        watch(new Watch(name, c.address(), known == null ? NodeRole.LOCAL : known.level(),
                known == null ? s.region() : known.region(), WatchRelation.BOOTSTRAP), true);
    }

    private void unwatchSession() {
        InetSocketAddress at = sessionAt;
        String name = at == null ? null : watchedAt.get(at);
        if (name != null) {
            unwatch(name);
        }
    }

    private void watch(Watch w) {
        watch(w, false);
    }

    /** Watches {@code w}; {@code heardNow}: a message from it just arrived (see FailureDetector#watch). */
    private void watch(Watch w, boolean heardNow) {
        if (w.name().equals(s.name()) || w.address() == null || w.address().isUnresolved()) {
            return;
        }
        Watch old = watches.get(w.name());
        if (old != null) {
            watchedAt.remove(old.address());
        } else if (!detector.watch(w.name(), heardNow)) {
            return;
        }
        watches.put(w.name(), w);
        watchedAt.put(w.address(), w.name());
        scheduleDetector(ex.nowMillis());
    }

    private void unwatch(String name) {
        Watch w = watches.remove(name);
        if (w == null) {
            return;
        }
        watchedAt.remove(w.address());
        detector.unwatch(name);
        FailoverSink sink = failover.get();
        if (sink != null) {
            try {
                sink.forget(s.name(), name);
            } catch (RuntimeException e) {
                LOG.debug("event=tier.failover_sink_failed node={} call=forget error=\"{}\"", s.name(), e.toString());
            }
        }
    }

    private void heardAt(InetSocketAddress from) {
        String name = from == null ? null : watchedAt.get(from);
        if (name != null) {
            heard(name);
        }
    }

    private void heard(String name) {
        detector.heard(name).ifPresent(this::transition);
    }

    private void scheduleDetector(long when) {
        if (stopped || when == Long.MAX_VALUE || (detectorTimer != null && when >= detectorWakeAt)) {
            return;
        }
        cancel(detectorTimer);
        detectorWakeAt = when;
        detectorTimer = ex.schedule(this::detectorPoll, Math.max(0, when - ex.nowMillis()));
    }

    private void detectorPoll() {
        detectorTimer = null;
        detectorWakeAt = Long.MAX_VALUE;
        if (stopped) {
            return;
        }
        try {
            DetectorSettings d = detectorSettings();
            if (!d.equals(detector.settings())) {
                detector.reconfigure(d);
            }
            FailureDetector.Poll poll = detector.poll();
            for (FailureDetector.Probe p : poll.probes()) {
                probe(p);
            }
            for (FailureDetector.Transition t : poll.transitions()) {
                transition(t);
            }
            scheduleDetector(poll.nextWakeMillis());
        } catch (RuntimeException e) {
            LOG.warn("event=tier.detector_failed node={} error=\"{}\"", s.name(), e.toString(), e);
            scheduleDetector(ex.nowMillis() + detector.settings().probePeriodMillis());
        }
    }

    /** A PING through the RPC layer, without retry: the detector's period is the retry. */
    private void probe(FailureDetector.Probe p) {
        Watch w = watches.get(p.node());
        if (w == null) {
            return;
        }
        node.request(w.address(), txid -> new Message.Ping(txid, node.wirePeer()), 0,
                Math.max(1, p.deadlineMillis() - p.sentMillis())).whenComplete((resp, err) -> {
                    if (resp != null && !stopped && watches.get(p.node()) == w) {
                        heard(p.node());
                    }
                });
    }

    private void transition(FailureDetector.Transition t) {
        Watch w = watches.get(t.node());
        if (w == null) {
            return;
        }
        switch (t.to()) {
            case SUSPECTED -> suspectedCount++;
            case FAILED -> failedCount++;
            default -> {
            }
        }
        if (t.recovered()) {
            recoveredCount++;
        }
        FailoverSink sink = failover.get();
        LOG.info("event=tier.watch node={} watched={} relation={} from={} to={} missed={} failover={}", s.name(),
                w.name(), w.relation().configName(), t.from().name().toLowerCase(java.util.Locale.ROOT),
                t.to().name().toLowerCase(java.util.Locale.ROOT), t.missedProbes(), sink == null ? "none" : "sink");
        if (sink == null) {
            return; // detect and log only
        }
        try {
            sink.stateChanged(new WatchedNode(s.name(), w.name(), w.level(), w.region(), w.relation(), t.to(),
                    Instant.now(), t.missedProbes()));
            if (t.failed()) {
                onFailed(sink, w);
            } else if (t.recovered()) {
                onRecovered(sink, w);
            }
        } catch (RuntimeException e) {
            LOG.warn("event=tier.failover_failed node={} watched={} error=\"{}\"", s.name(), w.name(),
                    oneLine(e.toString()), e);
        }
    }

    /** The watched node as this agent knows it: the load table, the client's view, else its watch. */
    private BootstrapNode subject(Watch w, long now) {
        Optional<BootstrapNode> n = w.relation().observerManages() ? children.node(w.name(), now)
                : Optional.ofNullable(w.relation() == WatchRelation.PARENT ? parentView.get(w.name())
                : clientView.get(w.name()));
        return n.orElseGet(() -> new BootstrapNode(w.name(), Optional.empty(), w.level(), w.region(), "", w.address(),
                0, 0, false, -1));
    }

    private void onFailed(FailoverSink sink, Watch w) {
        long now = ex.nowMillis();
        if (w.relation() == WatchRelation.BOOTSTRAP && node.congested()) {
            // every answer is late here, not only the bootstrap node's: moving would not help and
            // would load the tier with a LEAVE, a JOIN and two registrations; the lease still decides
            LOG.info("event=tier.failover_deferred node={} failed_node={} reason=congested", s.name(), w.name());
            return;
        }
        BootstrapNode failed = subject(w, now);
        TierView view;
        List<BootstrapNode> candidates = List.of();
        Set<String> unavailable = new TreeSet<>(detector.unavailable());
        if (w.relation().observerManages()) {
            view = new TierView(children.snapshot(now), now);
        } else {
            Map<String, BootstrapNode> v = new LinkedHashMap<>(w.relation() == WatchRelation.PARENT ? parentView
                    : clientView);
            v.putIfAbsent(failed.name(), failed);
            view = new TierView(List.copyOf(v.values()), now);
            unavailable.addAll(clientTried);
            clientTried.add(failed.name());
            BootstrapSelector sel = selector.get();
            if (sel != null && w.relation() == WatchRelation.BOOTSTRAP) {
                try {
                    candidates = sel.select(new SelectionRequest(s.region(), s.expectedWorkers()), view);
                } catch (RuntimeException e) {
                    candidates = List.of();
                }
            }
        }
        DetectorContext ctx = detector.context(w.name()).orElseThrow();
        FailureSituation situation = new FailureSituation(s.name(), s.level(), s.region(), w.relation(), failed, view,
                List.of(), unavailable, candidates, ctx);
        FailoverVerdict v = sink.decide(situation);
        if (!v.actionable()) {
            LOG.info("event=tier.failover_none node={} failed_node={} policy={} reason=\"{}\"", s.name(), w.name(),
                    v.policy(), v.decision() instanceof FailoverDecision.NoAction na ? oneLine(na.reason()) : "");
            return;
        }
        FailoverDecision d = v.decision();
        if (w.relation().observerManages()) {
            FailoverActions.ParentOutcome o = FailoverActions.applyAtParent(d, failed, children, now);
            o.order().ifPresent(this::sendOrder);
            appliedCount++;
            sink.applied(v, o.sessionsMoved());
        } else if (w.relation() == WatchRelation.BOOTSTRAP) {
            List<Candidate> list = new ArrayList<>();
            if (d instanceof FailoverDecision.TryNext t) {
                list.add(new Candidate(t.next().name(), t.next().address()));
                t.then().forEach(n -> list.add(new Candidate(n.name(), n.address())));
            } else if (d instanceof FailoverDecision.Escalate e) {
                e.candidates().forEach(n -> list.add(new Candidate(n.name(), n.address())));
                if (list.isEmpty()) {
                    bootstrap.forEach(a -> list.add(new Candidate("", a)));
                }
            } else {
                LOG.warn("event=tier.failover_not_applied node={} failed_node={} action={}", s.name(), w.name(),
                        d.action().configName());
                return;
            }
            if (clientState != ClientState.ADMITTED || !w.address().equals(sessionAt)) {
                return; // already moved on (a failed renewal)
            }
            cancel(renewTimer);
            unwatchSession();
            sessionAt = null;
            sessionName = "";
            retryDelay = s.retryMinMillis();
            appliedCount++;
            sink.applied(v, d.sessionsMoved());
            LOG.info("event=tier.client_moved node={} failed_node={} action={} next={}", s.name(), w.name(),
                    d.action().configName(), list.isEmpty() ? "" : endpoint(list.get(0).address()));
            tryCandidates(list, lastSelection, new Attempt());
        } else if (w.relation() == WatchRelation.PARENT && d instanceof FailoverDecision.TryNext t
                && t.next().level() == w.level() && !t.next().address().isUnresolved()) {
            // report to the next node of the failed parent's level; the report loop learns its name
            parentOverride = t.next().address();
            parentName = "";
            parentFailures = 0;
            appliedCount++;
            sink.applied(v, d.sessionsMoved());
        } else {
            // a parent above this node's parent level cannot take its reports: the report loop moves on
            // through the configured parents (PARENT_FAILURES_BEFORE_SWITCH)
            LOG.info("event=tier.failover_not_applied node={} failed_node={} relation={} action={}", s.name(),
                    w.name(), w.relation().configName(), d.action().configName());
        }
    }

    private void onRecovered(FailoverSink sink, Watch w) {
        long now = ex.nowMillis();
        BootstrapNode n = subject(w, now);
        FailoverVerdict v = sink.recovered(s.name(), n, w.relation());
        if (!v.actionable()) {
            return;
        }
        if (w.relation().observerManages() && v.decision() instanceof FailoverDecision.Restore) {
            FailoverActions.ParentOutcome o = FailoverActions.applyAtParent(v.decision(), n, children, now);
            o.order().ifPresent(this::sendOrder);
            appliedCount++;
            sink.applied(v, 0);
        }
    }

    private void sendOrder(FailoverActions.CapacityOrder o) {
        LOG.info("event=tier.capacity_order_sent node={} backup={} at={} capacity={} takes_place_of={}", s.name(),
                o.backup(), endpoint(o.address()), o.capacity(), o.takesPlaceOf());
        node.request(o.address(), txid -> new Message.CapacityOrder(txid, node.wirePeer(), o.backup(), o.capacity(),
                o.takesPlaceOf())).whenComplete((resp, err) -> {
                    if (!(resp instanceof Message.TierAck ack && ack.ok())) {
                        LOG.warn("event=tier.capacity_order_failed node={} backup={} reason=\"{}\"", s.name(),
                                o.backup(), resp instanceof Message.TierAck ack ? ack.reason()
                                        : err != null ? oneLine(err.toString()) : kind(resp));
                    }
                });
    }

    /** A parent's PROMOTE or RESTORE order: this node (the backup) sets its own capacity. */
    private Message.Response onCapacityOrder(Contact sender, Message.CapacityOrder o) {
        Peer me = node.wirePeer();
        if (!o.backup().equals(s.name())) {
            return new Message.TierAck(o.txid(), me, false, "not_this_node");
        }
        NodeRole from = sender.record().role();
        if (!(from == above(s.level()) || (s.level() == NodeRole.SUPER && from == NodeRole.SUPER))) {
            return new Message.TierAck(o.txid(), me, false, "unexpected_sender");
        }
        int before = FailoverActions.applyAtBackup(new FailoverActions.CapacityOrder(o.backup(), node.self().address(),
                o.capacity(), o.takesPlaceOf()), sessions);
        if (o.promotion()) {
            promotionCount++;
        } else {
            restoreCount++;
        }
        LOG.warn("event=tier.{} node={} takes_place_of={} capacity_before={} capacity={}",
                o.promotion() ? "promoted" : "restored", s.name(), o.takesPlaceOf(), before, o.capacity());
        return new Message.TierAck(o.txid(), me, true, "");
    }

    private static NodeRole above(NodeRole level) {
        return switch (level) {
            case LOCAL -> NodeRole.REGIONAL;
            case REGIONAL -> NodeRole.SUPER;
            default -> null;
        };
    }

    // ==========================================================================================
    // Helpers

    /** True when the answer's sender record says worker (or special): a node that never serves the tier. */
    private static boolean fromWorker(Message.Response resp) {
        return resp.from() != null && resp.from().role() != null && !resp.from().role().isBootstrap();
    }

    private static boolean isUnsupported(Message.Response resp) {
        return resp instanceof Message.ErrorReply e && ErrorCode.UNSUPPORTED.name().equals(e.code());
    }

    private static NodeRole below(NodeRole level) {
        return switch (level) {
            case SUPER -> NodeRole.REGIONAL;
            case REGIONAL -> NodeRole.LOCAL;
            default -> null;
        };
    }

    static List<WireBootstrapNode> toWire(Collection<BootstrapNode> nodes) {
        List<WireBootstrapNode> out = new ArrayList<>(nodes.size());
        for (BootstrapNode n : nodes) {
            InetSocketAddress a = n.address();
            if (a.isUnresolved() || a.getAddress() == null || out.size() >= 64) {
                continue;
            }
            out.add(new WireBootstrapNode(n.name(), n.id().map(NodeId::toBytes).orElse(new byte[0]), n.level(),
                    n.region(), n.parent(), a.getAddress().getAddress(), a.getPort(),
                    Math.min(n.activeSessions(), 1_000_000), Math.min(n.capacity(), 1_000_000), n.healthy()));
        }
        return out;
    }

    /** A wire node as a {@link BootstrapNode} received at {@code now}; null when it does not validate. */
    static BootstrapNode fromWire(WireBootstrapNode w, long now) {
        try {
            return new BootstrapNode(w.name(), w.id().length == NodeId.BYTES ? Optional.of(NodeId.of(w.id()))
                    : Optional.empty(), w.level(), w.region(), w.parent(),
                    new InetSocketAddress(InetAddress.getByAddress(w.ip()), w.port()), w.activeSessions(), w.capacity(),
                    w.healthy(), now);
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    private void run(Runnable r) {
        if (ex.inEngineThread()) {
            r.run();
        } else {
            ex.execute(r);
        }
    }

    private <T> T onEngine(Supplier<T> body, T fallback) {
        if (ex.inEngineThread()) {
            return body.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            ex.execute(() -> {
                try {
                    f.complete(body.get());
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
            return f.get(KademliaNode.SNAPSHOT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        } catch (Exception e) {
            return fallback;
        }
    }

    private static void cancel(EngineExecutor.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    private static String endpoint(InetSocketAddress a) {
        if (a == null) {
            return "";
        }
        return a.getAddress() == null ? a.getHostString() + ":" + a.getPort()
                : (a.getAddress().getAddress().length == 16 ? "[" + a.getAddress().getHostAddress() + "]"
                : a.getAddress().getHostAddress()) + ":" + a.getPort();
    }

    private static String kind(Message m) {
        return m == null ? "no answer" : m instanceof Message.ErrorReply e ? "error " + e.code()
                : m.getClass().getSimpleName();
    }

    private static String safeName(BootstrapSelector sel) {
        try {
            return sel.name();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("[\\r\\n\"]+", " ");
        return t.length() > 200 ? t.substring(0, 200) : t;
    }
}
