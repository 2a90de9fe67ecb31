package io.cqkd.dht.core.engine;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.DhtError;
import io.cqkd.dht.api.DhtException;
import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.RoutingSnapshot;
import io.cqkd.dht.api.StoreResult;
import io.cqkd.dht.core.engine.Counters.Counter;
import io.cqkd.dht.core.wire.ErrorCode;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.WireContact;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kademlia node: routing table, RPCs, iterative lookups, storage and the periodic jobs, as
 * plain Java. I/O, time and randomness are injected: messages go out through a {@link Transport}
 * and come in through {@link #onMessage}; all state lives on one {@link EngineExecutor} thread, so
 * nothing here locks.
 *
 * <h2>Threading contract</h2>
 * <ul>
 *   <li>{@link #onMessage} and every internal callback run on the executor thread.</li>
 *   <li>The operations ({@link #put}, {@link #get}, {@link #delete}, {@link #lookup},
 *   {@link #findNode}, {@link #ping}) may be called from any thread; they validate their input on
 *   the caller's thread, hop onto the executor and return a future completed on the executor
 *   thread (callers must not block in dependent stages).</li>
 *   <li>{@link #state()}, {@link #routingTableSize()}, {@link #storedValueCount()},
 *   {@link #self()} read volatile snapshots; {@link #routes()} and {@link #knownNodes} hop onto
 *   the executor and wait up to {@link #SNAPSHOT_TIMEOUT_MILLIS} when called from another
 *   thread.</li>
 * </ul>
 *
 * <h2>Values</h2>
 * A put gets version {@code max(last + 1, wall clock)}; the publisher keeps it and republishes it
 * every {@link EngineConfig#republishMillis()} until its TTL runs out. Holders re-replicate every
 * {@link EngineConfig#replicateMillis()} to the k closest contacts they know and push values to a
 * newly inserted contact that is among the k closest to a key when they are the closest known
 * holder. A delete is a tombstone with a newer version, stored the same way and republished
 * until it expires. See {@link EngineConfig} for the interval invariant.
 */
public final class KademliaNode {
    /** How long a snapshot call from another thread waits for the engine thread. */
    public static final long SNAPSHOT_TIMEOUT_MILLIS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(KademliaNode.class);

    private final EngineConfig config;
    private final NodeId id;
    private final NodeRecord record;
    private final Transport transport;
    private final EngineExecutor executor;
    private final RandomGenerator random;
    private final Counters counters;
    private final Validation validation;
    private final Peer selfPeer;
    private final String name;

    // Engine-thread state.
    private final RoutingTable table;
    private final ValueStore store;
    private final RateLimiter limiter;
    private final TokenBucket errorReplies;
    /** Requests awaiting an answer, under the transaction id of each of their sends (see {@link PendingRpc}). */
    private final Map<Long, PendingRpc> pending = new HashMap<>();
    /** Requests awaiting an answer (each is in {@link #pending} once per send). */
    private int inflightRpcs;
    private final Set<LookupTask> lookups = new HashSet<>();
    private final Map<NodeId, Published> published = new LinkedHashMap<>();
    private final Set<CompletableFuture<?>> open = new HashSet<>();
    private final ArrayDeque<NodeId> replicationQueue = new ArrayDeque<>();
    private List<InetSocketAddress> bootstrap = List.of();
    private volatile List<Contact> seeds = List.of();
    private EngineExecutor.Cancellable maintenanceTimer;
    private EngineExecutor.Cancellable joinTimer;
    private long joinDelayMillis;
    private int joinAttempts;
    private boolean joining;
    private boolean joinScheduled;
    private LookupResult joinSelfLookup;
    private long nextRecheckAt;
    private int recheckIndex;
    private boolean rechecking;
    private long lastVersion;
    private long nextReplicateAt;
    private long startedAt;

    // Extension seam (the bootstrap tier): see setTierHandler / request.
    private volatile TierHandler tierHandler;
    private volatile java.util.function.Consumer<InetSocketAddress> heardListener;

    // Snapshots readable from any thread.
    private volatile NodeState state = NodeState.WAITING_FOR_PORT;
    private volatile boolean stopped;
    private volatile int routingSize;
    private volatile int storedCount;
    private volatile Contact self;

    /** Round-trip estimate that stretches timeouts when answers slow down. */
    private final RetransmitTimer rtt = new RetransmitTimer();
    /** Delay (up to twice it) of the second self lookup of a join that met silent peers. */
    static final long SECOND_SELF_LOOKUP_MILLIS = 30_000;
    /** Queueing delay from which {@link #congested()} holds. */
    public static final long CONGESTION_QUEUEING_MILLIS = 100;

    /**
     * A request awaiting its answer. Every send, the first and each resend, carries a transaction id
     * of its own, and all of them stay in {@link #pending} until the request ends, so an answer
     * tells which send it answers and its round trip is a true sample even when the request was
     * resent (as QUIC never reuses a packet number, RFC 9002). With one id for all sends, Karn's rule
     * must drop the answers to resent requests, and those are exactly the slow ones: an estimate
     * fed only by the answers that beat the timeout cannot learn that the answers became slower
     * than it, and a congested node kept resending every late request.
     */
    private final class PendingRpc {
        final InetSocketAddress to;
        final NodeId expectedId;
        final LongFunction<Message.Request> build;
        final long timeoutMillis;
        final RpcHandler handler;
        /** Transaction id and engine time of each send, {@code sends} of them. */
        final long[] txids;
        final long[] sentAt;
        int sends;
        int retriesLeft;
        boolean adaptive;
        EngineExecutor.Cancellable timer;

        PendingRpc(InetSocketAddress to, NodeId expectedId, LongFunction<Message.Request> build, int retries,
                   long timeoutMillis, RpcHandler handler) {
            this.to = to;
            this.expectedId = expectedId;
            this.build = build;
            this.retriesLeft = retries;
            this.timeoutMillis = timeoutMillis;
            this.handler = handler;
            this.txids = new long[retries + 1];
            this.sentAt = new long[retries + 1];
        }

        /** Resends so far (0 = sent once). */
        int retransmissions() {
            return sends - 1;
        }

        long waitMillis() {
            return adaptive ? rtt.waitMillis(timeoutMillis, retransmissions()) : timeoutMillis;
        }

        /** Engine time of the send that {@code txid} names. */
        long sentAt(long txid) {
            for (int i = 0; i < sends; i++) {
                if (txids[i] == txid) {
                    return sentAt[i];
                }
            }
            throw new IllegalStateException("not a transaction id of this request");
        }

        /** Takes every transaction id of this request out of {@link #pending}. */
        void forget() {
            for (int i = 0; i < sends; i++) {
                pending.remove(txids[i]);
            }
            inflightRpcs--;
        }
    }

    /** What to do with the outcome of a request. */
    private interface RpcHandler {
        void onResponse(Message.Response response, Contact responder);

        void onFailure(DhtError reason);
    }

    /** A running lookup and its glue. */
    private final class LookupTask {
        final Lookup lookup;
        final NodeId target;
        final boolean findValue;
        /** Whether bootstrap nodes named by answers are followed (see {@link #entryPointOnly}). */
        final boolean viaEntryPoints;
        final Consumer<LookupTask> onDone;
        final long started;
        StoredValue best;
        EngineExecutor.Cancellable deadlineTimer;
        boolean done;

        LookupTask(Lookup lookup, boolean findValue, boolean viaEntryPoints, Consumer<LookupTask> onDone) {
            this.lookup = lookup;
            this.target = lookup.target();
            this.findValue = findValue;
            this.viaEntryPoints = viaEntryPoints;
            this.onDone = onDone;
            this.started = executor.nowMillis();
        }

        LookupResult result() {
            return new LookupResult(target, lookup.closestSucceeded(), lookup.hops(), lookup.queried(),
                    lookup.failed(), executor.nowMillis() - started);
        }
    }

    /** A value this node published, with its next republication time. */
    private static final class Published {
        final StoredValue value;
        long nextRepublishAt;

        Published(StoredValue value, long nextRepublishAt) {
            this.value = value;
            this.nextRepublishAt = nextRepublishAt;
        }
    }

    /**
     * A node; nothing happens until {@link #start}.
     *
     * @param config    tunables
     * @param id        node id
     * @param record    role, region, capabilities announced with every message
     * @param transport sends messages
     * @param executor  the engine thread and clock
     * @param random    randomness (transaction ids, refresh targets, jitter)
     * @param counters  counters shared with the transport
     */
    public KademliaNode(EngineConfig config, NodeId id, NodeRecord record, Transport transport,
                        EngineExecutor executor, RandomGenerator random, Counters counters) {
        this.config = Objects.requireNonNull(config, "config");
        this.id = Objects.requireNonNull(id, "id");
        this.record = Objects.requireNonNull(record, "record");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.random = Objects.requireNonNull(random, "random");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.validation = new Validation(config.maxJsonNesting());
        this.selfPeer = WireMapper.peerOf(id, record);
        this.name = id.shortHex();
        long now = executor.nowMillis();
        this.table = new RoutingTable(id, config.k(), config.replacementCacheSize(), config.contactFreshMillis(), now);
        this.store = new ValueStore(config.maxStoredValues());
        this.limiter = new RateLimiter(config.requestRatePerSecond(), config.requestBurst(),
                config.globalRequestRatePerSecond(), config.globalRequestBurst(), config.maxRateLimitedSources(), now);
        this.errorReplies = new TokenBucket(config.errorReplyRatePerSecond(),
                (int) Math.max(1, Math.ceil(config.errorReplyRatePerSecond())), now);
        this.self = new Contact(id, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), record);
    }

    // ------------------------------------------------------------------------------------------
    // Extension seam: the bootstrap tier's protocol lives in its own class (core.tier.TierAgent)

    /**
     * Answers the {@link Message.TierRequest}s this node receives. Called on the engine thread,
     * after the per-source rate limit and the sender checks every request passes; must not block.
     */
    @FunctionalInterface
    public interface TierHandler {
        /**
         * The response to {@code request}, or null to send none.
         *
         * @param from    the datagram's source
         * @param sender  the sender as a contact (id and record from the message)
         * @param request the request
         */
        Message.Response handle(InetSocketAddress from, Contact sender, Message.TierRequest request);
    }

    /**
     * Sets (or, with null, removes) the handler of tier requests. Without one, a tier request is
     * answered with {@link ErrorCode#UNSUPPORTED}, so a joining client can tell "no tier here"
     * from "not up yet".
     */
    public void setTierHandler(TierHandler handler) {
        this.tierHandler = handler;
    }

    /**
     * Sets (or, with null, removes) the listener told of the source of every authenticated message
     * this node receives, before any other check: requests (rate-limited ones too), answers, and
     * answers that come too late for their RPC (unknown txid). Each is proof that the node at that
     * address is alive; the tier agent's failure detector uses it so that a slow but live node
     * (an overloaded container at start-up) is not declared failed. Called on the engine thread;
     * must be cheap and must not throw.
     */
    public void setHeardListener(java.util.function.Consumer<InetSocketAddress> listener) {
        this.heardListener = listener;
    }

    /**
     * Sends a request built by {@code build} (given the transaction id; called again for each
     * resend, each with a new id) to {@code to} through the RPC layer (txid matching, sender
     * check, {@link EngineConfig#rpcTimeoutMillis()} and {@link EngineConfig#rpcRetries()}).
     * Completes on the engine thread with the response (possibly an {@link Message.ErrorReply}),
     * or exceptionally with a {@link DhtException} (TIMEOUT, OVERLOADED, STOPPED). Usable before
     * {@link #start}.
     */
    public CompletableFuture<Message.Response> request(InetSocketAddress to, LongFunction<? extends Message.Request> build) {
        return request(to, build, config.rpcRetries(), config.rpcTimeoutMillis(), true);
    }

    /**
     * {@link #request(InetSocketAddress, LongFunction)} with its own retries and timeout, which are
     * kept exactly (not stretched by the round-trip estimate): a failure detector's probe must
     * notice a late answer.
     */
    public CompletableFuture<Message.Response> request(InetSocketAddress to, LongFunction<? extends Message.Request> build,
                                                       int retries, long timeoutMillis) {
        return request(to, build, retries, timeoutMillis, false);
    }

    private CompletableFuture<Message.Response> request(InetSocketAddress to, LongFunction<? extends Message.Request> build,
                                                        int retries, long timeoutMillis, boolean adaptive) {
        if (to == null || to.isUnresolved() || to.getPort() < 1) {
            return CompletableFuture.failedFuture(new DhtException(DhtError.INVALID_ADDRESS,
                    "cannot send to " + to + ": not a resolved host:port"));
        }
        return onEngine(f -> sendRequest(to, null, build::apply, retries, timeoutMillis, adaptive, new RpcHandler() {
            @Override
            public void onResponse(Message.Response response, Contact responder) {
                f.complete(response);
            }

            @Override
            public void onFailure(DhtError reason) {
                f.completeExceptionally(failure(reason));
            }
        }));
    }

    /** This node's sender record as every message carries it. */
    public Peer wirePeer() {
        return selfPeer;
    }

    /** The engine thread and clock of this node. */
    public EngineExecutor executor() {
        return executor;
    }

    // ------------------------------------------------------------------------------------------
    // Life cycle

    /** The address other nodes reach us at; called once the socket is bound, before {@link #start}. */
    public void setSelfAddress(InetSocketAddress bound) {
        Objects.requireNonNull(bound, "bound");
        this.self = new Contact(id, bound, record);
    }

    /**
     * Contacts remembered from an earlier run (a saved routing-table snapshot): {@link #start}
     * pings them before the bootstrap addresses, on the first join attempt, and an answer from one
     * of them counts like an answer from a bootstrap node, so a restarted node refills its table
     * from its old neighbours. Those that answer are observed like any sender. A node without
     * bootstrap addresses is READY at once as before and pings them in the background. Call before
     * {@link #start}; at most 4k are kept, our own id is skipped.
     */
    public void seed(List<Contact> contacts) {
        List<Contact> out = new ArrayList<>();
        for (Contact c : contacts == null ? List.<Contact>of() : contacts) {
            if (c != null && !c.id().equals(id) && out.size() < 4 * config.k()) {
                out.add(c);
            }
        }
        seeds = List.copyOf(out);
    }

    /** True when {@link #seed} gave contacts remembered from an earlier run. */
    public boolean hasRememberedContacts() {
        return !seeds.isEmpty();
    }

    /**
     * Starts the node. With no bootstrap address (the first node of a network) it is READY at
     * once; otherwise it asks the bootstrap addresses for the contacts closest to its own id,
     * continues that as a self lookup from the first answer, and is READY when the table holds k/2
     * contacts (or when the self lookup finished with fewer, in a network smaller than that); the
     * empty buckets farther than its nearest neighbour are refreshed afterwards. Unanswered bootstrap
     * nodes are retried with a doubling delay between {@link EngineConfig#joinRetryMinMillis()}
     * and {@link EngineConfig#joinRetryMaxMillis()}.
     */
    public void start(List<InetSocketAddress> bootstrapAddresses) {
        List<InetSocketAddress> boot = List.copyOf(bootstrapAddresses == null ? List.of() : bootstrapAddresses);
        runOnEngine(() -> {
            if (stopped) {
                return;
            }
            startedAt = executor.nowMillis();
            InetSocketAddress me = self.address();
            List<InetSocketAddress> others = new ArrayList<>();
            for (InetSocketAddress a : boot) {
                if (a != null && !a.isUnresolved() && !a.equals(me)) {
                    others.add(a);
                }
            }
            bootstrap = List.copyOf(others);
            if (config.bootstrapRecheckMillis() > 0 && !bootstrap.isEmpty()) {
                // random phase and first target: the nodes' rechecks spread over time and bootstrap nodes
                nextRecheckAt = startedAt + config.bootstrapRecheckMillis() + random.nextLong(config.bootstrapRecheckMillis());
                recheckIndex = random.nextInt(bootstrap.size());
            }
            nextReplicateAt = startedAt + config.replicateMillis() / 2 + random.nextLong(config.replicateMillis());
            maintenanceTimer = executor.schedule(this::maintenance, 1 + random.nextLong(config.maintenanceIntervalMillis()));
            log.info("node_started node={} role={} region={} address={} bootstrap={}", name, record.role().configName(),
                    record.region(), self.endpoint(), bootstrap.size());
            if (bootstrap.isEmpty()) {
                state = NodeState.READY;
                log.info("node_ready node={} contacts=0 ms=0 first=true", name);
                for (Contact c : seeds) {
                    sendRequest(c.address(), c.id(), txid -> new Message.Ping(txid, selfPeer), config.rpcRetries(),
                            config.rpcTimeoutMillis(), new RpcHandler() {
                                @Override
                                public void onResponse(Message.Response response, Contact responder) {
                                    // observed on arrival: it is in the table again
                                }

                                @Override
                                public void onFailure(DhtError reason) {
                                    // gone since the snapshot
                                }
                            });
                }
            } else {
                state = NodeState.JOINING;
                joinDelayMillis = config.joinRetryMinMillis();
                joinAttempt();
            }
        });
    }

    /** Stops the node: cancels timers, fails pending operations with {@link DhtError#STOPPED}. */
    public void stop() {
        if (stopped) {
            return;
        }
        runOnEngineAndWait(() -> {
            if (stopped) {
                return null;
            }
            stopped = true;
            state = NodeState.STOPPED;
            cancel(maintenanceTimer);
            cancel(joinTimer);
            for (PendingRpc p : pending.values()) {
                cancel(p.timer);
            }
            pending.clear();
            inflightRpcs = 0;
            for (LookupTask t : lookups) {
                t.done = true;
                cancel(t.deadlineTimer);
            }
            lookups.clear();
            DhtException ex = stoppedException();
            for (CompletableFuture<?> f : new ArrayList<>(open)) {
                f.completeExceptionally(ex);
            }
            open.clear();
            log.info("node_stopped node={} contacts={} values={}", name, table.size(), store.size());
            return null;
        }, null);
        stopped = true;
        state = NodeState.STOPPED;
    }

    // ------------------------------------------------------------------------------------------
    // Snapshots

    /**
     * True when the answers this node gets are late: their smoothed round-trip time is at least
     * {@link #CONGESTION_QUEUEING_MILLIS} above its base (the smallest of the last minutes; LEDBAT's
     * target delay, RFC 6817), or at least a quarter of the configured RPC timeout (a node that
     * started in a congested network has only congested samples, so its base is high too). Work
     * that can wait, such as a worker's registration put, waits while this holds. Engine thread.
     */
    public boolean congested() {
        return rtt.queueingDelayMillis() >= CONGESTION_QUEUEING_MILLIS
                || rtt.srttMillis() >= config.rpcTimeoutMillis() / 4;
    }

    /** Life-cycle state. */
    public NodeState state() {
        return state;
    }

    /** Contacts in the routing table. */
    public int routingTableSize() {
        return routingSize;
    }

    /** Values and tombstones held for the network. */
    public int storedValueCount() {
        return storedCount;
    }

    /** The routing table, bucket by bucket. */
    public RoutingSnapshot routes() {
        return runOnEngineAndWait(table::snapshot, new RoutingSnapshot(id, config.k(), List.of()));
    }

    /** Contacts in the routing table with {@code role} (null = any) and {@code region} ("" or null = any). */
    public List<Contact> knownNodes(NodeRole role, String region) {
        return runOnEngineAndWait(() -> {
            List<Contact> out = new ArrayList<>();
            for (Contact c : table.all()) {
                if ((role == null || c.record().role() == role)
                        && (region == null || region.isEmpty() || region.equals(c.record().region()))) {
                    out.add(c);
                }
            }
            return out;
        }, List.of());
    }

    /** How other nodes see this node. */
    public Contact self() {
        return self;
    }

    /** The node id. */
    public NodeId id() {
        return id;
    }

    /** The counters. */
    public Counters counters() {
        return counters;
    }

    /** The configuration. */
    public EngineConfig config() {
        return config;
    }

    /** Engine time since {@link #start}, 0 before. */
    public long uptimeMillis() {
        long s = startedAt;
        return s == 0 && state == NodeState.WAITING_FOR_PORT ? 0 : executor.nowMillis() - s;
    }

    // ------------------------------------------------------------------------------------------
    // Operations

    /** Stores a JSON value under {@code key} on the k closest nodes. */
    public CompletableFuture<StoreResult> put(String key, String json, Duration ttl) {
        try {
            validation.checkKey(key);
            validation.checkJson(json);
            validation.checkTtl(ttl);
        } catch (DhtException e) {
            return CompletableFuture.failedFuture(e);
        }
        return onEngine(f -> {
            long now = executor.nowMillis();
            NodeId keyId = NodeId.ofKey(key);
            StoredValue v = new StoredValue(key, keyId, json, nextVersion(), now + ttl.toMillis(), id, false);
            published.put(keyId, new Published(v, now + config.republishMillis()));
            storeToClosest(v, f);
        });
    }

    /** The newest live value under {@code key}; empty when none or deleted. */
    public CompletableFuture<Optional<DhtValue>> get(String key) {
        try {
            validation.checkKey(key);
        } catch (DhtException e) {
            return CompletableFuture.failedFuture(e);
        }
        return onEngine(f -> {
            NodeId keyId = NodeId.ofKey(key);
            LookupTask task = startLookup(keyId, true, t -> {
                long now = executor.nowMillis();
                StoredValue best = t.best;
                Optional<StoredValue> local = store.get(keyId, now);
                if (local.isPresent() && (best == null || local.get().compareVersion(best) > 0)) {
                    best = local.get();
                }
                if (t.best != null && config.repairOnGet()) {
                    Contact repairAt = t.lookup.repairTarget();
                    if (repairAt != null) {
                        sendStore(repairAt, t.best, null);
                    }
                }
                if (best == null || best.tombstone()) {
                    f.complete(Optional.empty());
                } else {
                    f.complete(Optional.of(new DhtValue(best.key(), best.json(), best.publisher(), best.version(),
                            Instant.ofEpochMilli(executor.wallMillis() + best.ttlMillis(now)))));
                }
            });
            if (task == null) {
                f.completeExceptionally(overloaded());
            }
        });
    }

    /** Deletes {@code key}: a tombstone with a newer version on the k closest nodes. */
    public CompletableFuture<StoreResult> delete(String key) {
        try {
            validation.checkKey(key);
        } catch (DhtException e) {
            return CompletableFuture.failedFuture(e);
        }
        return onEngine(f -> {
            long now = executor.nowMillis();
            NodeId keyId = NodeId.ofKey(key);
            long ttl = config.tombstoneTtlMillis();
            Published prev = published.get(keyId);
            if (prev != null) {
                ttl = Math.max(ttl, prev.value.ttlMillis(now));
            }
            Optional<StoredValue> held = store.get(keyId, now);
            if (held.isPresent()) {
                ttl = Math.max(ttl, held.get().ttlMillis(now));
            }
            ttl = Math.min(ttl, DhtLimits.MAX_TTL.toMillis());
            StoredValue tomb = new StoredValue(key, keyId, "", nextVersion(), now + ttl, id, true);
            published.put(keyId, new Published(tomb, now + config.republishMillis()));
            storeToClosest(tomb, f);
        });
    }

    /** Iterative lookup of the k nodes closest to SHA-1(key). */
    public CompletableFuture<LookupResult> lookup(String key) {
        try {
            validation.checkKey(key);
        } catch (DhtException e) {
            return CompletableFuture.failedFuture(e);
        }
        return findNode(NodeId.ofKey(key));
    }

    /** Iterative lookup of the k nodes closest to {@code target}. */
    public CompletableFuture<LookupResult> findNode(NodeId target) {
        if (target == null) {
            return CompletableFuture.failedFuture(new DhtException(DhtError.INVALID_KEY, "target id is missing"));
        }
        return onEngine(f -> {
            LookupTask task = startLookup(target, false, t -> f.complete(t.result()));
            if (task == null) {
                f.completeExceptionally(overloaded());
            }
        });
    }

    /** Pings {@code address}; completes with the responder and the round-trip time. */
    public CompletableFuture<DhtNode.PingResult> ping(InetSocketAddress address) {
        if (address == null || address.isUnresolved() || address.getPort() < 1) {
            return CompletableFuture.failedFuture(new DhtException(DhtError.INVALID_ADDRESS,
                    "cannot ping " + address + ": not a resolved host:port"));
        }
        return onEngine(f -> {
            long sent = executor.nowMillis();
            sendRequest(address, null, txid -> new Message.Ping(txid, selfPeer), config.rpcRetries(),
                    config.rpcTimeoutMillis(), new RpcHandler() {
                        @Override
                        public void onResponse(Message.Response response, Contact responder) {
                            if (response instanceof Message.Pong) {
                                f.complete(new DhtNode.PingResult(responder,
                                        Duration.ofMillis(executor.nowMillis() - sent)));
                            } else {
                                f.completeExceptionally(new DhtException(DhtError.TIMEOUT, "no pong from "
                                        + endpoint(address) + ": it answered " + kind(response)));
                            }
                        }

                        @Override
                        public void onFailure(DhtError reason) {
                            f.completeExceptionally(reason == DhtError.TIMEOUT
                                    ? new DhtException(DhtError.TIMEOUT, "no answer from " + endpoint(address)
                                    + " after " + (config.rpcRetries() + 1) + " attempts of "
                                    + rtt.waitMillis(config.rpcTimeoutMillis(), 0) + " ms or more")
                                    : failure(reason));
                        }
                    });
        });
    }

    // ------------------------------------------------------------------------------------------
    // Incoming messages

    /**
     * Handles a decoded, authenticated message from {@code from}. Runs on the engine thread. Any
     * malformed field drops the message (counted); nothing is thrown.
     */
    public void onMessage(InetSocketAddress from, Message message) {
        if (stopped) {
            return;
        }
        try {
            if (from == null || message == null || from.isUnresolved() || message.from() == null) {
                counters.increment(Counter.DROPPED_MALFORMED);
                return;
            }
            java.util.function.Consumer<InetSocketAddress> heard = heardListener;
            if (heard != null) {
                heard.accept(from);
            }
            if (message instanceof Message.Request r) {
                onRequest(from, r);
            } else if (message instanceof Message.Response r) {
                onResponse(from, r);
            }
        } catch (RuntimeException e) {
            counters.increment(Counter.DROPPED_MALFORMED);
            log.debug("message_failed node={} from={} type={}", name, from, kind(message), e);
        }
    }

    private void onRequest(InetSocketAddress from, Message.Request request) {
        long now = executor.nowMillis();
        RateLimiter.Verdict verdict = limiter.check(from, now);
        if (verdict != RateLimiter.Verdict.ALLOWED) {
            counters.increment(Counter.DROPPED_RATE_LIMITED);
            if (errorReplies.tryAcquire(now)) {
                send(from, new Message.ErrorReply(request.txid(), selfPeer, ErrorCode.RATE_LIMITED.name()));
            }
            return;
        }
        Contact sender = WireMapper.contactOf(request.from(), from);
        if (sender != null && sender.id().equals(id) && request instanceof Message.Ping p && fromOwnSocket(from)) {
            // a ping through our own socket (the health check): answered, never learned
            counters.increment(Counter.REQUESTS_IN);
            send(from, new Message.Pong(p.txid(), selfPeer, from.getAddress().getAddress(), from.getPort()));
            return;
        }
        if (sender == null || sender.id().equals(id)) {
            counters.increment(Counter.DROPPED_MALFORMED);
            return;
        }
        Message.Response reply;
        if (request instanceof Message.Ping p) {
            reply = new Message.Pong(p.txid(), selfPeer, from.getAddress().getAddress(), from.getPort());
        } else if (request instanceof Message.FindNode fn) {
            NodeId target = WireMapper.idOf(fn.target());
            if (target == null) {
                counters.increment(Counter.DROPPED_MALFORMED);
                return;
            }
            reply = nodesReply(fn.txid(), target, sender);
        } else if (request instanceof Message.FindValue fv) {
            NodeId keyId = WireMapper.idOf(fv.key());
            if (keyId == null) {
                counters.increment(Counter.DROPPED_MALFORMED);
                return;
            }
            Optional<StoredValue> v = store.get(keyId, now);
            reply = v.isPresent()
                    ? new Message.ValueFound(fv.txid(), selfPeer, WireMapper.toWire(v.get(), now))
                    : nodesReply(fv.txid(), keyId, sender);
        } else if (request instanceof Message.Store st) {
            NodeId keyId = WireMapper.idOf(st.key());
            StoredValue v = keyId == null ? null : WireMapper.fromWire(keyId, st.value(), now, validation);
            if (v == null) {
                counters.increment(Counter.DROPPED_MALFORMED);
                return;
            }
            // Learn the sender first: if it is new, the new-contact rule must not push this very value back.
            observe(sender);
            ValueStore.Outcome outcome = store.store(v, now);
            storedCount = store.size();
            counters.increment(outcome.accepted() ? Counter.STORES_ACCEPTED : Counter.STORES_REFUSED);
            reply = new Message.StoreAck(st.txid(), selfPeer, outcome.accepted(),
                    outcome.accepted() ? "" : outcome.name().toLowerCase(java.util.Locale.ROOT));
        } else if (request instanceof Message.TierRequest tr) {
            TierHandler h = tierHandler;
            reply = h == null ? new Message.ErrorReply(tr.txid(), selfPeer, ErrorCode.UNSUPPORTED.name())
                    : h.handle(from, sender, tr);
            if (reply == null) {
                counters.increment(Counter.REQUESTS_IN);
                observe(sender);
                return;
            }
        } else {
            counters.increment(Counter.DROPPED_MALFORMED);
            return;
        }
        counters.increment(Counter.REQUESTS_IN);
        if (!(request instanceof Message.Store)) {
            observe(sender);
        }
        send(from, reply);
    }

    /**
     * The k contacts closest to {@code target}, the requester excluded. A bootstrap node answers a
     * node that is not one (a worker's join, heal or recheck: workers send bootstrap nodes nothing
     * else) with workers only once it knows more than k of them: naming the other bootstrap nodes
     * sends every joining worker's self lookup on to them (at N=1000 three-level ~40 % of a
     * regional's inbound datagrams during the join). Until then it names bootstrap nodes too,
     * which is how the first workers behind a local reach the workers behind the others; answering
     * with workers as soon as it knew one split the network into one island per local (5/200
     * lookups correct in cqkd-bench three-level).
     *
     * <p>With the k workers it also names the bootstrap node closest to the target (one more
     * contact), which the worker's self lookup queries as a guide ({@link Lookup}): never a
     * result, never waited for. A local meets its workers through their tier JOIN before their
     * Kademlia join, so the k workers it knows closest to a joiner are mostly its own, some still
     * joining themselves; their self lookups then met only each other, and the workers of groups
     * of locals formed components that no later lookup crossed (cqkd-bench three-level 600 nodes
     * k=4: 2-3 components, 81-136/200 lookups correct; 1000 nodes k=20: one run in 10-30). The
     * guide answers with the workers it knows closest to the joiner, so each join links the
     * workers of two or more bootstrap nodes (simulated, 44 bootstrap nodes: one component and
     * 199-200/200 lookups at k=4 and k=20, for ~2 more tier requests per join).
     */
    private Message.Nodes nodesReply(long txid, NodeId target, Contact requester) {
        List<Contact> closest = List.of();
        if (record.role().isBootstrap() && !isEntryPoint(requester)) {
            closest = table.closest(target, config.k() + 1, c -> !isEntryPoint(c));
        }
        boolean workersOnly = closest.size() > config.k();
        if (!workersOnly) {
            closest = table.closest(target, config.k() + 1);
        }
        NodeId requesterId = requester.id();
        List<WireContact> out = new ArrayList<>(config.k() + 1);
        for (Contact c : closest) {
            if (!c.id().equals(requesterId) && out.size() < config.k()) {
                out.add(WireMapper.toWire(c));
            }
        }
        if (workersOnly) {
            for (Contact guide : table.closest(target, 1, KademliaNode::isEntryPoint)) {
                out.add(WireMapper.toWire(guide));
            }
        }
        return new Message.Nodes(txid, selfPeer, out);
    }

    private void onResponse(InetSocketAddress from, Message.Response response) {
        PendingRpc p = pending.get(response.txid());
        if (p == null) {
            counters.increment(Counter.DROPPED_UNKNOWN_TXID);
            return;
        }
        if (!p.to.equals(from)) {
            counters.increment(Counter.DROPPED_WRONG_SENDER);
            return;
        }
        Contact sender = WireMapper.contactOf(response.from(), from);
        boolean selfPong = sender != null && sender.id().equals(id) && p.expectedId == null
                && response instanceof Message.Pong && fromOwnSocket(from);
        if (sender == null || (sender.id().equals(id) && !selfPong)) {
            counters.increment(Counter.DROPPED_MALFORMED);
            return;
        }
        p.forget();
        cancel(p.timer);
        if (p.adaptive) {
            // probes with fixed timeouts (a failure detector watching one possibly slow node) do
            // not speak for the network
            long now = executor.nowMillis();
            rtt.sample(now - p.sentAt(response.txid()), now);
        }
        counters.increment(Counter.RESPONSES_IN);
        observe(sender);
        if (p.expectedId != null && !p.expectedId.equals(sender.id())) {
            // Another node now answers at that address: the contact we knew there is gone.
            table.pingFailed(p.expectedId, executor.nowMillis());
            routingSize = table.size();
            p.handler.onFailure(DhtError.TIMEOUT);
            return;
        }
        if (p.expectedId != null) {
            table.pingSucceeded(p.expectedId, executor.nowMillis());
        }
        p.handler.onResponse(response, sender);
    }

    /**
     * True when {@code from} is this node's own socket: its port, at its advertised address or on
     * loopback (which cannot arrive from outside the host). Only there does a message carrying our
     * own id count: {@link #ping} of our own address, the health probe.
     */
    private boolean fromOwnSocket(InetSocketAddress from) {
        InetSocketAddress me = self.address();
        return from.getPort() == me.getPort() && from.getAddress() != null
                && (from.getAddress().isLoopbackAddress() || from.getAddress().equals(me.getAddress()));
    }

    /**
     * The entry-point rule: a node that is not itself a bootstrap node (a worker or a special node)
     * keeps bootstrap nodes (records with role super, regional or local) out of its routing table
     * and out of the contacts it takes from answers ({@link #contactsOf}), so its lookups, bucket
     * refreshes, stores, replication and eviction pings go to workers only. Bootstrap nodes are the
     * entry points of a tier, not DHT storage or routing peers: each serves tens to hundreds of
     * workers, and would otherwise receive a share of all of their traffic (measured at N=1000
     * three-level: about 90 % of the locals' inbound datagrams during the join). Exceptions: a
     * worker sends its join FIND_NODE and its bootstrap rechecks to its bootstrap addresses (they
     * are addresses, not table contacts), and its self lookups (join, partition heal) follow the
     * bootstrap nodes that answers name, as guides ({@link Lookup}: queried, never results),
     * because the bootstrap tier is what connects the workers of different locals: a bootstrap
     * node keeps in its own table the workers that joined or looked themselves up through it,
     * answers FIND_NODE with them (and one more bootstrap node, see {@link #nodesReply}) and runs
     * its own lookups through them. Without that exception the workers of each local would form an
     * island. In a flat network every node is a worker and nothing changes.
     */
    public static boolean entryPointOnly(NodeRole self, Contact contact) {
        return !self.isBootstrap() && isEntryPoint(contact);
    }

    /**
     * True when {@code contact} is a bootstrap node (role super, regional or local). Such nodes are
     * no storage or lookup peers of the data operations of any node (puts, gets, lookups, bucket
     * refreshes, replication): workers never ask them for values, so a value stored there would
     * never be read, and every such request would load a node that serves many workers. Only self
     * lookups (join, partition heal) follow them; see {@link #entryPointOnly}.
     */
    public static boolean isEntryPoint(Contact contact) {
        return contact != null && contact.record() != null && contact.record().role().isBootstrap();
    }

    /** Every valid message updates the routing table with its sender (never ourselves: the table rejects it). */
    private void observe(Contact c) {
        if (entryPointOnly(record.role(), c)) {
            return;
        }
        long now = executor.nowMillis();
        RoutingTable.InsertResult r = table.observe(c, now);
        if (r instanceof RoutingTable.InsertResult.Inserted) {
            routingSize = table.size();
            maybeReady(false);
            offerValuesTo(c);
        } else if (r instanceof RoutingTable.InsertResult.Pending pend) {
            evictionPing(pend.oldest());
        } else if (r instanceof RoutingTable.InsertResult.EndpointTaken taken) {
            endpointPing(taken.holder());
        } else if (r instanceof RoutingTable.InsertResult.Ignored ignored && ignored.supersededAnother()) {
            counters.increment(Counter.ENDPOINT_CLAIMS_REFUSED);
        }
    }

    /**
     * Another id claims the endpoint of {@code holder}: the holder keeps it if it still answers
     * there; otherwise (no answer, or the new id answers) the latest claimant takes its place.
     */
    private void endpointPing(Contact holder) {
        InetSocketAddress at = holder.address();
        sendRequest(at, holder.id(), txid -> new Message.Ping(txid, selfPeer), config.rpcRetries(),
                config.pingEvictTimeoutMillis(), new RpcHandler() {
                    @Override
                    public void onResponse(Message.Response response, Contact responder) {
                        table.pingSucceeded(holder.id(), executor.nowMillis());
                        if (table.takeChallenger(at).isPresent()) {
                            counters.increment(Counter.ENDPOINT_CLAIMS_REFUSED);
                        }
                    }

                    @Override
                    public void onFailure(DhtError reason) {
                        long now = executor.nowMillis();
                        Optional<Contact> challenger = table.takeChallenger(at);
                        if (reason != DhtError.TIMEOUT) {
                            table.pingSucceeded(holder.id(), now); // overloaded or stopping: keep what we have
                            return;
                        }
                        table.pingFailed(holder.id(), now).ifPresent(KademliaNode.this::offerValuesTo);
                        routingSize = table.size();
                        log.debug("endpoint_reassigned node={} endpoint={} old={} new={}", name, endpoint(at),
                                holder.id().shortHex(), challenger.map(c -> c.id().shortHex()).orElse("-"));
                        challenger.ifPresent(KademliaNode.this::observe);
                    }
                });
    }

    private void evictionPing(Contact oldest) {
        sendRequest(oldest.address(), oldest.id(), txid -> new Message.Ping(txid, selfPeer), config.rpcRetries(),
                config.pingEvictTimeoutMillis(), new RpcHandler() {
                    @Override
                    public void onResponse(Message.Response response, Contact responder) {
                        table.pingSucceeded(oldest.id(), executor.nowMillis());
                    }

                    @Override
                    public void onFailure(DhtError reason) {
                        long now = executor.nowMillis();
                        if (reason == DhtError.TIMEOUT) {
                            Optional<Contact> promoted = table.pingFailed(oldest.id(), now);
                            counters.increment(Counter.EVICTIONS);
                            routingSize = table.size();
                            log.debug("contact_evicted node={} evicted={} promoted={}", name, oldest.id().shortHex(),
                                    promoted.map(c -> c.id().shortHex()).orElse("-"));
                            promoted.ifPresent(KademliaNode.this::offerValuesTo);
                        } else {
                            table.pingSucceeded(oldest.id(), now);
                        }
                    }
                });
    }

    // ------------------------------------------------------------------------------------------
    // RPC layer

    private void sendRequest(InetSocketAddress to, NodeId expectedId, LongFunction<Message.Request> build, int retries,
                             long timeoutMillis, RpcHandler handler) {
        sendRequest(to, expectedId, build, retries, timeoutMillis, true, handler);
    }

    /** {@code adaptive}: the timeouts stretch with the round-trip estimate under congestion ({@link RetransmitTimer}). */
    private void sendRequest(InetSocketAddress to, NodeId expectedId, LongFunction<Message.Request> build, int retries,
                             long timeoutMillis, boolean adaptive, RpcHandler handler) {
        if (stopped) {
            return;
        }
        if (inflightRpcs >= config.maxInflightRpcs()) {
            counters.increment(Counter.RPC_OVERLOADED);
            executor.execute(() -> {
                if (!stopped) {
                    handler.onFailure(DhtError.OVERLOADED);
                }
            });
            return;
        }
        PendingRpc p = new PendingRpc(to, expectedId, build, retries, timeoutMillis, handler);
        p.adaptive = adaptive;
        inflightRpcs++;
        counters.increment(Counter.REQUESTS_OUT);
        transmit(p);
    }

    /** Sends {@code p} (again) under a new transaction id and arms its timeout. */
    private void transmit(PendingRpc p) {
        long txid;
        do {
            txid = random.nextLong();
        } while (pending.containsKey(txid));
        p.txids[p.sends] = txid;
        p.sentAt[p.sends] = executor.nowMillis();
        p.sends++;
        pending.put(txid, p);
        send(p.to, p.build.apply(txid));
        p.timer = executor.schedule(() -> onRpcTimeout(p), p.waitMillis());
    }

    private void onRpcTimeout(PendingRpc p) {
        if (stopped || pending.get(p.txids[p.sends - 1]) != p) {
            return;
        }
        if (p.retriesLeft > 0) {
            p.retriesLeft--;
            counters.increment(Counter.RPC_RETRIES);
            transmit(p);
            return;
        }
        p.forget();
        counters.increment(Counter.RPC_TIMEOUTS);
        if (p.expectedId != null && table.recordFailure(p.expectedId, config.staleFailures(), executor.nowMillis())) {
            routingSize = table.size();
            log.debug("contact_dropped node={} contact={} reason=stale", name, p.expectedId.shortHex());
        }
        p.handler.onFailure(DhtError.TIMEOUT);
    }

    private void send(InetSocketAddress to, Message message) {
        try {
            transport.send(to, message);
        } catch (RuntimeException e) {
            counters.increment(Counter.DROPPED_SEND_FAILED);
            log.debug("send_failed node={} to={} type={}", name, to, kind(message), e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Lookups

    /** Starts a lookup; null when {@link EngineConfig#maxLookups()} are already running. */
    private LookupTask startLookup(NodeId target, boolean findValue, Consumer<LookupTask> onDone) {
        return startLookup(target, findValue, config.k(), onDone);
    }

    /** A lookup that finishes once the {@code results} closest peers it found have answered. */
    private LookupTask startLookup(NodeId target, boolean findValue, int results, Consumer<LookupTask> onDone) {
        return startLookup(target, findValue, results, List.of(), onDone);
    }

    /** As above, {@code extra} joining the table's closest as initial candidates. */
    private LookupTask startLookup(NodeId target, boolean findValue, int results, List<Contact> extra,
                                   Consumer<LookupTask> onDone) {
        return startLookup(target, findValue, results, extra, lookup -> { }, onDone);
    }

    /** As above, {@code prepare} applied to the lookup before its first requests are sent. */
    private LookupTask startLookup(NodeId target, boolean findValue, int results, List<Contact> extra,
                                   Consumer<Lookup> prepare, Consumer<LookupTask> onDone) {
        return startLookup(target, findValue, results, extra, false, prepare, onDone);
    }

    /**
     * As above; {@code viaEntryPoints}: the lookup also follows the bootstrap nodes that answers
     * name (a worker's self lookups, see {@link #entryPointOnly}); for a node that is not one
     * itself they are guides ({@link Lookup}), never results.
     */
    private LookupTask startLookup(NodeId target, boolean findValue, int results, List<Contact> extra,
                                   boolean viaEntryPoints, Consumer<Lookup> prepare, Consumer<LookupTask> onDone) {
        if (stopped) {
            return null;
        }
        if (lookups.size() >= config.maxLookups()) {
            counters.increment(Counter.RPC_OVERLOADED);
            return null;
        }
        long now = executor.nowMillis();
        counters.increment(Counter.LOOKUPS);
        table.touch(target, now);
        // data lookups (all but self lookups) never use bootstrap nodes as peers (isEntryPoint)
        List<Contact> initial = viaEntryPoints ? withExtra(table.closest(target, config.k()), extra)
                : withExtra(table.closest(target, config.k(), c -> !isEntryPoint(c)),
                extra.stream().filter(c -> !isEntryPoint(c)).toList());
        // ...but a bootstrap node that knows fewer than k workers (a super bootstrap seldom hears
        // from one: workers stop being sent on to it once their local knows k of them) follows the
        // bootstrap tier as guides: they name the workers, which alone can be results
        boolean guided = !viaEntryPoints && record.role().isBootstrap() && initial.size() < config.k();
        if (guided) {
            initial = withExtra(initial, table.closest(target, config.k(), KademliaNode::isEntryPoint));
            counters.increment(Counter.LOOKUPS_GUIDED);
        }
        Lookup lookup = new Lookup(target, id, results, config.alpha(), rtt.waitMillis(config.lookupPeerTimeoutMillis(), 0),
                config.lookupMaxPeers(), now, config.lookupTimeoutMillis(), initial,
                guided || (viaEntryPoints && !record.role().isBootstrap()) ? KademliaNode::isEntryPoint : c -> false);
        prepare.accept(lookup);
        LookupTask task = new LookupTask(lookup, findValue, viaEntryPoints || guided, onDone);
        lookups.add(task);
        task.deadlineTimer = executor.schedule(() -> {
            task.lookup.finish();
            advance(task);
        }, config.lookupTimeoutMillis());
        advance(task);
        return task;
    }

    private static List<Contact> withExtra(List<Contact> closest, List<Contact> extra) {
        if (extra.isEmpty()) {
            return closest;
        }
        List<Contact> all = new ArrayList<>(closest);
        all.addAll(extra);
        return all;
    }

    private void advance(LookupTask task) {
        if (task.done || stopped) {
            return;
        }
        long now = executor.nowMillis();
        List<Contact> sends = task.lookup.next(now);
        if (!sends.isEmpty()) {
            for (Contact c : sends) {
                sendLookupRequest(task, c);
            }
            executor.schedule(() -> advance(task), task.lookup.peerTimeoutMillis());
        }
        if (task.lookup.isFinished() && !task.done) {
            task.done = true;
            lookups.remove(task);
            cancel(task.deadlineTimer);
            task.onDone.accept(task);
        }
    }

    private void sendLookupRequest(LookupTask task, Contact peer) {
        byte[] target = task.target.toBytes();
        LongFunction<Message.Request> build = task.findValue
                ? txid -> new Message.FindValue(txid, selfPeer, target)
                : txid -> new Message.FindNode(txid, selfPeer, target);
        sendRequest(peer.address(), peer.id(), build, config.lookupRetries(), config.lookupPeerTimeoutMillis(),
                new RpcHandler() {
            @Override
            public void onResponse(Message.Response response, Contact responder) {
                if (task.done) {
                    return;
                }
                if (response instanceof Message.Nodes nodes) {
                    task.lookup.onSuccess(peer.id(), contactsOf(nodes, task.viaEntryPoints));
                } else if (response instanceof Message.ValueFound vf && task.findValue) {
                    StoredValue v = WireMapper.fromWire(task.target, vf.value(), executor.nowMillis(), validation);
                    if (v == null) {
                        counters.increment(Counter.DROPPED_MALFORMED);
                        task.lookup.onFailure(peer.id());
                    } else {
                        task.lookup.onValue(peer.id());
                        if (task.best == null || v.compareVersion(task.best) > 0) {
                            task.best = v;
                        }
                    }
                } else {
                    if (!(response instanceof Message.ErrorReply)) {
                        counters.increment(Counter.DROPPED_MALFORMED);
                    }
                    task.lookup.onFailure(peer.id());
                }
                advance(task);
            }

            @Override
            public void onFailure(DhtError reason) {
                task.lookup.onFailure(peer.id());
                advance(task);
            }
        });
    }

    /** The contacts of an answer that this node may keep: bootstrap nodes only when it is one itself. */
    private List<Contact> contactsOf(Message.Nodes nodes) {
        return contactsOf(nodes, record.role().isBootstrap());
    }

    /** The contacts of an answer; bootstrap nodes ({@link #isEntryPoint}) only when {@code entryPoints}. */
    private List<Contact> contactsOf(Message.Nodes nodes, boolean entryPoints) {
        List<WireContact> wire = nodes.nodes();
        if (wire == null) {
            return List.of();
        }
        List<Contact> out = new ArrayList<>(Math.min(wire.size(), config.k()));
        for (WireContact w : wire) {
            if (out.size() > config.k()) { // k plus a bootstrap node's guide (nodesReply)
                break;
            }
            Contact c = WireMapper.fromWire(w);
            // one id per endpoint, as in the routing table: a reply cannot fill a lookup with made-up ids at one socket
            if (c != null && !c.id().equals(id) && (entryPoints || !isEntryPoint(c))
                    && !hasEndpoint(out, c.address())) {
                out.add(c);
            }
        }
        return out;
    }

    /** A scan, not a set: an answer holds at most k + 1 contacts, and a set per answer was 5 % of a join's allocation. */
    private static boolean hasEndpoint(List<Contact> contacts, InetSocketAddress address) {
        for (int i = 0, n = contacts.size(); i < n; i++) {
            if (contacts.get(i).address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------
    // Storing

    /**
     * Looks up the k closest to the value's key and stores it there (and here, when this node is
     * among them). Completes {@code f} (if any) with the acknowledgements, or NOT_STORED.
     */
    private void storeToClosest(StoredValue v, CompletableFuture<StoreResult> f) {
        long started = executor.nowMillis();
        LookupTask task = startLookup(v.keyId(), false, t -> {
            long now = executor.nowMillis();
            List<Contact> closest = new ArrayList<>(t.lookup.closestSucceeded());
            int k = config.k();
            boolean selfIn = !closest.isEmpty()
                    && (closest.size() < k || v.keyId().compareDistance(id, closest.get(k - 1).id()) < 0);
            if (selfIn && closest.size() == k) {
                closest.remove(k - 1);
            }
            int[] acks = {0};
            int[] remaining = {closest.size()};
            if (selfIn || store.get(v.keyId(), now).isPresent()) {
                ValueStore.Outcome o = store.store(v, now);
                storedCount = store.size();
                if (selfIn && o.accepted()) {
                    acks[0]++;
                }
            }
            int targets = closest.size() + (selfIn ? 1 : 0);
            Runnable finish = () -> {
                if (f == null) {
                    return;
                }
                if (acks[0] == 0) {
                    f.completeExceptionally(new DhtException(DhtError.NOT_STORED, closest.isEmpty()
                            ? "not stored: this node knows no other node to store on"
                            : "not stored: none of " + targets + " closest nodes acknowledged the store"));
                } else {
                    f.complete(new StoreResult(v.key(), v.keyId(), acks[0], targets, executor.nowMillis() - started));
                }
            };
            if (closest.isEmpty()) {
                finish.run();
                return;
            }
            for (Contact c : closest) {
                sendStore(c, v, ok -> {
                    if (ok) {
                        acks[0]++;
                    }
                    if (--remaining[0] == 0) {
                        finish.run();
                    }
                });
            }
        });
        if (task == null && f != null) {
            f.completeExceptionally(overloaded());
        }
    }

    /** Sends one STORE; {@code done} (optional) gets whether it was acknowledged. */
    private void sendStore(Contact c, StoredValue v, Consumer<Boolean> done) {
        byte[] key = v.keyId().toBytes();
        sendRequest(c.address(), c.id(),
                txid -> new Message.Store(txid, selfPeer, key, WireMapper.toWire(v, executor.nowMillis())),
                config.rpcRetries(), config.rpcTimeoutMillis(), new RpcHandler() {
                    @Override
                    public void onResponse(Message.Response response, Contact responder) {
                        if (done != null) {
                            done.accept(response instanceof Message.StoreAck ack && ack.stored());
                        }
                    }

                    @Override
                    public void onFailure(DhtError reason) {
                        if (done != null) {
                            done.accept(false);
                        }
                    }
                });
    }

    /**
     * The paper's rule for a newly inserted contact: for each held value (bounded scan), when the
     * contact is among the k closest we know to the key and no other known node is closer to the
     * key than we are (we are the responsible holder), send it the value.
     */
    private void offerValuesTo(Contact c) {
        int max = config.maxStoresOnNewContact();
        if (max == 0 || store.size() == 0 || isEntryPoint(c)) {
            return;
        }
        int k = config.k();
        // When c is not closer to a key than we are, every contact of a bucket nearer to us than
        // c's is closer to the key than c (RoutingTable#countInNearerBuckets): with k of them c is
        // not among the key's k closest, which one comparison tells for most keys we hold.
        boolean farFromUs = table.countInNearerBuckets(c.id()) >= k;
        NodeId cid = c.id();
        int[] scannedAndSent = {0, 0};
        store.forEachLive(executor.nowMillis(), v -> {
            if (scannedAndSent[1] >= max || ++scannedAndSent[0] > max * 16) {
                return false;
            }
            NodeId keyId = v.keyId();
            if (farFromUs && keyId.compareDistance(cid, id) >= 0) {
                return true;
            }
            // we offer what we were the closest holder of (before c came), to a contact now among its k closest
            if (!table.selfClosest(keyId, cid) || table.countCloser(keyId, cid) >= k) {
                return true;
            }
            sendStore(c, v, null);
            counters.increment(Counter.VALUES_REPLICATED);
            scannedAndSent[1]++;
            return true;
        });
    }

    private long nextVersion() {
        lastVersion = Math.max(lastVersion + 1, executor.wallMillis());
        return lastVersion;
    }

    // ------------------------------------------------------------------------------------------
    // Joining and periodic jobs

    private void joinAttempt() {
        if (stopped || bootstrap.isEmpty()) {
            return;
        }
        joining = true;
        joinAttempts++;
        // remembered contacts first (first attempt only), then the bootstrap addresses
        List<Contact> remembered = joinAttempts == 1 ? seeds : List.of();
        List<InetSocketAddress> targets = new ArrayList<>(remembered.size() + bootstrap.size());
        List<NodeId> expected = new ArrayList<>(remembered.size() + bootstrap.size());
        for (Contact c : remembered) {
            targets.add(c.address());
            expected.add(c.id());
        }
        for (InetSocketAddress a : bootstrap) {
            targets.add(a);
            expected.add(null);
        }
        // Ask for our own neighbourhood straight away (no ping first): the first answer starts the
        // self lookup from its contacts, one round trip and two datagrams per address sooner. The
        // remembered contacts (ordinary peers) and the first JOIN_FIRST_WAVE bootstrap addresses
        // are asked at once, each further address only when an asked one failed and none has
        // answered: a worker admitted by the tier is handed up to eight bootstrap nodes, and asking
        // all of them made every worker's join a FIND_NODE to eight (docs/benchmarks.md).
        JoinWave wave = new JoinWave(targets, expected);
        int first = remembered.size() + Math.min(JOIN_FIRST_WAVE, bootstrap.size());
        for (int i = 0; i < first; i++) {
            wave.askNext();
        }
    }

    /** Bootstrap addresses a join attempt asks at once; the others are its fallbacks. */
    static final int JOIN_FIRST_WAVE = 2;

    /** One join attempt's FIND_NODEs for our own id to the bootstrap addresses, a wave at a time. */
    private final class JoinWave {
        private final List<InetSocketAddress> targets;
        private final List<NodeId> expected;
        private final byte[] self = id.toBytes();
        private int next;
        private int outstanding;
        private boolean answered;

        JoinWave(List<InetSocketAddress> targets, List<NodeId> expected) {
            this.targets = targets;
            this.expected = expected;
        }

        /** Asks the next address, if any is left; false when none was. */
        boolean askNext() {
            if (next >= targets.size()) {
                return false;
            }
            int i = next++;
            outstanding++;
            sendRequest(targets.get(i), expected.get(i), txid -> new Message.FindNode(txid, selfPeer, self),
                    config.rpcRetries(), config.rpcTimeoutMillis(), new RpcHandler() {
                        @Override
                        public void onResponse(Message.Response response, Contact responder) {
                            outstanding--;
                            if (!answered) {
                                answered = true;
                                joinLookups(responder, response instanceof Message.Nodes nodes
                                        ? contactsOf(nodes, true) : List.of());
                            }
                        }

                        @Override
                        public void onFailure(DhtError reason) {
                            outstanding--;
                            if (answered || stopped) {
                                return;
                            }
                            if (!askNext() && outstanding == 0) {
                                scheduleJoinRetry("no bootstrap node answered");
                            }
                        }
                    });
            return true;
        }
    }

    private void scheduleJoinRetry(String why) {
        if (stopped) {
            return;
        }
        long delay = joinDelayMillis;
        joinDelayMillis = Math.min(config.joinRetryMaxMillis(), joinDelayMillis * 2);
        log.info("join_retry node={} attempt={} delayMs={} reason=\"{}\"", name, joinAttempts, delay, why);
        joining = false;
        joinScheduled = true;
        cancel(joinTimer);
        joinTimer = executor.schedule(() -> {
            joinScheduled = false;
            joinAttempt();
        }, delay);
    }

    /**
     * Self lookup (to k results); the join is done when it finished. The empty buckets farther than
     * the nearest neighbour are then refreshed one after the other (see {@link #refreshFartherBuckets}).
     */
    private void joinLookups(Contact firstAnswer, List<Contact> itsContacts) {
        LookupTask self = startLookup(id, false, config.k(), List.of(), true,
                lookup -> lookup.answeredBefore(firstAnswer, itsContacts), t -> {
            int nearest = table.nearestNonEmpty();
            joinSelfLookup = t.result();
            log.debug("join_self_lookup node={} found={} queried={} failed={} hops={} contacts={} nearestBucket={}",
                    name, t.lookup.closestSucceeded().size(), t.lookup.queried(), t.lookup.failed(), t.lookup.hops(),
                    table.size(), nearest);
            if (nearest < 0 && !record.role().isBootstrap() && t.lookup.closestSucceeded().isEmpty()
                    && t.lookup.guidesSucceeded() > 0) {
                // only bootstrap nodes answered: we are the first worker behind them. READY with an
                // empty table (they hold us, so the next workers find us); the join keeps asking the
                // bootstrap addresses, with its back-off, until a worker is known.
                if (state == NodeState.JOINING) {
                    state = NodeState.READY;
                    log.info("node_ready node={} contacts=0 ms={} first_worker=true", name,
                            executor.nowMillis() - startedAt);
                }
                scheduleJoinRetry("only bootstrap nodes answered (no other worker yet)");
                return;
            }
            if (nearest < 0 || t.lookup.closestSucceeded().isEmpty()) {
                scheduleJoinRetry("the self lookup got no answer");
                return;
            }
            joinFinished();
            refreshFartherBuckets(nearest + 1);
            if (t.lookup.failed() > 0) {
                scheduleSecondSelfLookup();
            }
        });
        if (self == null) {
            scheduleJoinRetry("too many lookups running");
        }
    }

    /**
     * Refreshes the first empty bucket from {@code from} on, then (when that lookup finished) the
     * next one, up to the farthest. The self lookup fills the near buckets and makes the nodes
     * near us learn us, which is all a lookup needs to be correct; a farther bucket only needs
     * contacts for lookups into its region to start close, so only the empty ones are refreshed,
     * with a lookup that stops once alpha peers of the region answered. One at a time, so a
     * bucket filled meanwhile by other nodes' traffic is skipped and a node never has more than
     * one refresh in flight. Measured at N=1000 on loopback (docs/benchmarks-history.md): refreshing every
     * non-full farther bucket, all at once, cost ~410-660 datagrams per joiner and congested two
     * cores; sequentially ~190-220; empty ones only ~105, with all lookups still correct. Buckets
     * left sparse fill from traffic and from the hourly idle-bucket refresh.
     */
    private void refreshFartherBuckets(int from) {
        int i = from;
        while (i < RoutingTable.BUCKETS && table.bucketSize(i) > 0) {
            i++;
        }
        if (i >= RoutingTable.BUCKETS || stopped) {
            return;
        }
        int next = i + 1;
        if (startLookup(table.randomIdInBucket(i, random), false, config.alpha(), t -> refreshFartherBuckets(next)) == null) {
            refreshFartherBuckets(next);
        }
    }

    /**
     * A join whose self lookup met silent peers (a congested network: answers later than their
     * timeouts) may have missed some of its neighbours, and they it: a lookup for a key near us
     * would then end at them. One more self lookup, {@link #SECOND_SELF_LOOKUP_MILLIS} to twice
     * that later, when the join wave has usually passed, introduces us to them. Measured on a
     * 10,000-node three-level join on two cores: 1956 of 2000 lookups correct without it.
     */
    private void scheduleSecondSelfLookup() {
        executor.schedule(() -> {
            if (!stopped) {
                // a self lookup, so it follows bootstrap nodes like the join's (entryPointOnly)
                startLookup(id, false, config.k(), List.of(), true, lookup -> { }, t -> { });
            }
        }, SECOND_SELF_LOOKUP_MILLIS + random.nextLong(SECOND_SELF_LOOKUP_MILLIS));
    }

    private void joinFinished() {
        joining = false;
        if (table.size() == 0) {
            scheduleJoinRetry("no contact after the join lookups");
            return;
        }
        joinDelayMillis = config.joinRetryMinMillis();
        maybeReady(true);
    }

    private void maybeReady(boolean joinDone) {
        if (state == NodeState.JOINING && (table.size() >= Math.max(1, config.k() / 2) || (joinDone && table.size() > 0))) {
            state = NodeState.READY;
            log.info("node_ready node={} contacts={} ms={}", name, table.size(), executor.nowMillis() - startedAt);
        }
    }

    private void maintenance() {
        if (stopped) {
            return;
        }
        long now = executor.nowMillis();
        try {
            int expired = store.expire(now);
            if (expired > 0) {
                counters.add(Counter.VALUES_EXPIRED, expired);
            }
            storedCount = store.size();
            published.values().removeIf(p -> p.value.expired(now));
            open.removeIf(CompletableFuture::isDone);

            if (!bootstrap.isEmpty() && table.size() == 0 && !joining && !joinScheduled) {
                // Isolated (every contact failed): join again through the bootstrap nodes.
                state = NodeState.JOINING;
                joinDelayMillis = config.joinRetryMinMillis();
                joinAttempt();
            }
            if (state == NodeState.READY) {
                bootstrapRecheck(now);
                refreshIdleBuckets(now);
            }
            republish(now);
            replicate(now);
        } catch (RuntimeException e) {
            log.warn("maintenance_failed node={} error=\"{}\"", name, e.toString(), e);
        } finally {
            maintenanceTimer = executor.schedule(this::maintenance, config.maintenanceIntervalMillis());
        }
    }

    /**
     * Partition healing (the empty-table rejoin above does not cover an island that still knows
     * itself): at most once per {@link EngineConfig#bootstrapRecheckMillis()}, ask ONE bootstrap
     * address, round-robin, for the contacts closest to our own id (one request, no retry). If it
     * names a node we do not know that would be among our k closest, our table misses part of the
     * network: look ourselves up starting from those contacts, then refresh the buckets farther than
     * the nearest neighbour that are not full, as a join does. In a converged network the answer
     * names nodes we know and nothing more is sent. Cost: N nodes send N/period requests spread
     * over the bootstrap nodes; the spacing per node is at least one period (plus a random phase).
     */
    private void bootstrapRecheck(long now) {
        long period = config.bootstrapRecheckMillis();
        if (period <= 0 || bootstrap.isEmpty() || rechecking || joining || now < nextRecheckAt) {
            return;
        }
        nextRecheckAt = now + period;
        InetSocketAddress to = bootstrap.get(Math.floorMod(recheckIndex++, bootstrap.size()));
        byte[] target = id.toBytes();
        rechecking = true;
        counters.increment(Counter.BOOTSTRAP_RECHECKS);
        sendRequest(to, null, txid -> new Message.FindNode(txid, selfPeer, target), 0, config.rpcTimeoutMillis(),
                new RpcHandler() {
                    @Override
                    public void onResponse(Message.Response response, Contact responder) {
                        rechecking = false;
                        if (!(response instanceof Message.Nodes nodes) || stopped) {
                            return;
                        }
                        List<Contact> unknown = new ArrayList<>();
                        for (Contact c : contactsOf(nodes)) {
                            if (!table.contains(c.id()) && table.countCloser(id, c.id()) < config.k()) {
                                unknown.add(c);
                            }
                        }
                        if (!unknown.isEmpty()) {
                            log.info("bootstrap_recheck_merge node={} bootstrap={} unknownClose={} contacts={}",
                                    name, endpoint(to), unknown.size(), table.size());
                            healLookups(unknown);
                        }
                    }

                    @Override
                    public void onFailure(DhtError reason) {
                        rechecking = false;
                    }
                });
    }

    /** Self lookup seeded with {@code extra}, then the farther buckets refreshed as after a join. */
    private void healLookups(List<Contact> extra) {
        LookupTask self = startLookup(id, false, config.k(), extra, true, lookup -> { }, t -> {
            int nearest = table.nearestNonEmpty();
            if (nearest < 0) {
                return;
            }
            refreshFartherBuckets(nearest + 1);
        });
        if (self != null) {
            counters.increment(Counter.PARTITION_HEALS);
        }
    }

    private void refreshIdleBuckets(long now) {
        int started = 0;
        for (int index : table.idleBuckets(now, config.bucketRefreshMillis())) {
            if (started >= 4 || lookups.size() >= config.maxLookups() / 2) {
                break;
            }
            NodeId target = table.randomIdInBucket(index, random);
            if (startLookup(target, false, t -> { }) != null) {
                counters.increment(Counter.BUCKET_REFRESHES);
                started++;
            }
        }
    }

    private void republish(long now) {
        int done = 0;
        for (Published p : published.values()) {
            if (done >= config.maxRepublishPerRound() || lookups.size() >= config.maxLookups() / 2) {
                break;
            }
            if (p.nextRepublishAt <= now && !p.value.expired(now)) {
                p.nextRepublishAt = now + config.republishMillis();
                storeToClosest(p.value, null);
                counters.increment(Counter.VALUES_REPUBLISHED);
                done++;
            }
        }
    }

    private void replicate(long now) {
        if (now >= nextReplicateAt) {
            nextReplicateAt = now + config.replicateMillis();
            replicationQueue.clear();
            replicationQueue.addAll(store.keyIds());
        }
        int done = 0;
        while (!replicationQueue.isEmpty() && done < config.maxReplicatePerRound()
                && lookups.size() < config.maxLookups() / 2 && inflightRpcs < config.maxInflightRpcs() / 2) {
            NodeId keyId = replicationQueue.poll();
            Optional<StoredValue> v = store.get(keyId, now);
            // A value stored here during the last period was just replicated by someone else.
            if (v.isEmpty() || now - store.lastStoredMillis(keyId) < config.replicateMillis()) {
                continue;
            }
            storeToClosest(v.get(), null);
            counters.increment(Counter.VALUES_REPLICATED);
            done++;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Helpers

    private <T> CompletableFuture<T> onEngine(Consumer<CompletableFuture<T>> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (stopped) {
            f.completeExceptionally(stoppedException());
            return f;
        }
        Runnable r = () -> {
            if (stopped) {
                f.completeExceptionally(stoppedException());
                return;
            }
            if (open.size() > 1024) {
                open.removeIf(CompletableFuture::isDone);
            }
            open.add(f);
            try {
                body.accept(f);
            } catch (DhtException e) {
                f.completeExceptionally(e);
            } catch (RuntimeException e) {
                log.warn("operation_failed node={} error=\"{}\"", name, e.toString(), e);
                f.completeExceptionally(e);
            }
        };
        if (executor.inEngineThread()) {
            r.run();
        } else {
            try {
                executor.execute(r);
            } catch (RuntimeException e) {
                f.completeExceptionally(stoppedException());
            }
        }
        return f;
    }

    private void runOnEngine(Runnable r) {
        if (executor.inEngineThread()) {
            r.run();
        } else {
            executor.execute(r);
        }
    }

    private <T> T runOnEngineAndWait(Supplier<T> s, T fallback) {
        if (executor.inEngineThread()) {
            return s.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    f.complete(s.get());
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
            return f.get(SNAPSHOT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return fallback;
        }
    }

    private static void cancel(EngineExecutor.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    private DhtException stoppedException() {
        return new DhtException(DhtError.STOPPED, "node " + name + " is stopped");
    }

    private DhtException overloaded() {
        return new DhtException(DhtError.OVERLOADED, "node " + name + " is overloaded: " + config.maxLookups()
                + " lookups or " + config.maxInflightRpcs() + " requests already in flight");
    }

    private DhtException failure(DhtError reason) {
        return reason == DhtError.OVERLOADED ? overloaded()
                : reason == DhtError.STOPPED ? stoppedException()
                : new DhtException(reason, "request failed: " + reason.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static String endpoint(InetSocketAddress a) {
        return a.getAddress() == null ? a.toString() : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static String kind(Message m) {
        return m == null ? "null" : m.getClass().getSimpleName();
    }

    // Package-private seams for tests.

    RoutingTable table() {
        return table;
    }

    ValueStore store() {
        return store;
    }

    int pendingRpcs() {
        return inflightRpcs;
    }

    int activeLookups() {
        return lookups.size();
    }

    LookupResult joinSelfLookup() {
        return joinSelfLookup;
    }

    boolean hasPublished(NodeId keyId) {
        return published.containsKey(keyId);
    }
}
