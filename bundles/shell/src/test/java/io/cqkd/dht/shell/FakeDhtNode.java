package io.cqkd.dht.shell;

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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory DhtNode: nodes made from one {@link Net} share one map of values. */
final class FakeDhtNode implements DhtNode {
    /** The shared "network": values by key. */
    static final class Net {
        final Map<String, DhtValue> values = new ConcurrentHashMap<>();
        final List<FakeDhtNode> nodes = new ArrayList<>();
    }

    private final Net net;
    private final String name;
    private final NodeId id;
    private final NodeRole role;
    private final int port;
    volatile NodeState state = NodeState.READY;
    volatile String detail = "";
    /** When true, operations never complete (to test timeouts). */
    volatile boolean hang;
    /** When true, pings fail at once with TIMEOUT. */
    volatile boolean deaf;

    FakeDhtNode(Net net, String name, NodeRole role, int port) {
        this.net = net;
        this.name = name;
        this.id = NodeId.ofKey("node:" + name);
        this.role = role;
        this.port = port;
        net.nodes.add(this);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public NodeId id() {
        return id;
    }

    @Override
    public Contact self() {
        return new Contact(id, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                new NodeRecord(role, "", java.util.Set.of()));
    }

    @Override
    public NodeStatus status() {
        return new NodeStatus(name, id, role, "", "127.0.0.1", port, state, detail, net.nodes.size() - 1,
                net.values.size(), 12_300, Map.of("datagrams.in", 42L, "datagrams.out", 41L));
    }

    @Override
    public RoutingSnapshot routes() {
        List<Contact> others = net.nodes.stream().filter(n -> n != this).map(FakeDhtNode::self).toList();
        return new RoutingSnapshot(id, 20, List.of(new RoutingSnapshot.Bucket(159, others, 1, 5)));
    }

    @Override
    public CompletionStage<StoreResult> put(String key, String json, Duration ttl) {
        if (hang) {
            return new CompletableFuture<>();
        }
        net.values.put(key, new DhtValue(key, json, id, 1, Instant.parse("2030-01-01T00:00:00Z")));
        return CompletableFuture.completedFuture(new StoreResult(key, NodeId.ofKey(key), net.nodes.size(),
                net.nodes.size(), 3));
    }

    @Override
    public CompletionStage<Optional<DhtValue>> get(String key) {
        if (hang) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.completedFuture(Optional.ofNullable(net.values.get(key)));
    }

    @Override
    public CompletionStage<StoreResult> delete(String key) {
        net.values.remove(key);
        return CompletableFuture.completedFuture(new StoreResult(key, NodeId.ofKey(key), 2, 2, 1));
    }

    @Override
    public CompletionStage<LookupResult> lookup(String key) {
        return findNode(NodeId.ofKey(key));
    }

    @Override
    public CompletionStage<LookupResult> findNode(NodeId target) {
        List<Contact> closest = net.nodes.stream().map(FakeDhtNode::self)
                .sorted((a, b) -> target.compareDistance(a.id(), b.id())).toList();
        return CompletableFuture.completedFuture(new LookupResult(target, closest, 2, closest.size(), 0, 4));
    }

    @Override
    public CompletionStage<PingResult> ping(InetSocketAddress address) {
        if (hang) {
            return new CompletableFuture<>();
        }
        if (deaf) {
            return CompletableFuture.failedFuture(new DhtException(DhtError.TIMEOUT, "no answer from " + address));
        }
        for (FakeDhtNode n : net.nodes) {
            if (n.port == address.getPort()) {
                return CompletableFuture.completedFuture(new PingResult(n.self(), Duration.ofMillis(1)));
            }
        }
        return CompletableFuture.failedFuture(new DhtException(DhtError.TIMEOUT, "no answer from " + address));
    }

    @Override
    public List<Contact> knownNodes(NodeRole role, String region) {
        return List.of();
    }
}
