package io.cqkd.dht.tier.service;

import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.NodeStatus;
import io.cqkd.dht.api.failover.FailoverService;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.TierNode;
import io.cqkd.dht.api.tier.TierNodeSnapshot;
import io.cqkd.dht.api.tier.WorkerRegistration;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Hand-written fakes of the tier's collaborators (public: the shell tests use them too). */
public final class TierFakes {
    private TierFakes() {
    }

    /** A bootstrap node value. */
    public static BootstrapNode node(String name, NodeRole level, String region, String parent, int port, int active,
                                     int capacity, boolean healthy, long lastReport) {
        return new BootstrapNode(name, Optional.empty(), level, region, parent,
                InetSocketAddress.createUnresolved("127.0.0.1", port), active, capacity, healthy, lastReport);
    }

    /** A TierNode whose snapshot is whatever {@link #snapshot} holds. */
    public static final class FakeTierNode implements TierNode {
        public volatile TierNodeSnapshot snapshot;
        public volatile RuntimeException failure;

        public FakeTierNode(BootstrapNode self, List<BootstrapNode> known, List<WorkerRegistration> workers,
                            long asOf) {
            snapshot = new TierNodeSnapshot(true, self, 0, "", Map.of(), List.of(), known, workers, asOf);
        }

        @Override
        public String name() {
            return snapshot.self().name();
        }

        @Override
        public TierNodeSnapshot snapshot() {
            if (failure != null) {
                throw failure;
            }
            return snapshot;
        }

        /** The service properties the node runtime registers. */
        public Map<String, Object> props() {
            BootstrapNode s = snapshot.self();
            return Map.of(TierNode.PROP_NAME, s.name(), TierNode.PROP_LEVEL, s.level().configName(),
                    TierNode.PROP_REGION, s.region());
        }
    }

    /** A failover service that only counts. */
    public static FailoverService failover(long events) {
        return (FailoverService) Proxy.newProxyInstance(TierFakes.class.getClassLoader(),
                new Class<?>[] {FailoverService.class}, (p, m, a) -> {
                    if (m.getName().equals("eventCount")) {
                        return events;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    /** A DHT node with a status and a key/value map answering get. */
    public static DhtNode dhtNode(String name, NodeId id, NodeRole role, String region, NodeState state,
                                  Map<String, String> values) {
        NodeStatus status = new NodeStatus(name, id, role, region, "127.0.0.1", 7000, state, "", 0, 0, 0, Map.of());
        return (DhtNode) Proxy.newProxyInstance(TierFakes.class.getClassLoader(), new Class<?>[] {DhtNode.class},
                (p, m, a) -> switch (m.getName()) {
                    case "name" -> name;
                    case "id" -> id;
                    case "status" -> status;
                    case "get" -> CompletableFuture.completedFuture(Optional.ofNullable(values.get((String) a[0]))
                            .map(j -> new DhtValue((String) a[0], j, id, 1, Instant.EPOCH.plusSeconds(3600))));
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    case "toString" -> "fake " + name;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
