package io.cqkd.dht.shell;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeStatus;
import io.cqkd.dht.api.RoutingSnapshot;
import io.cqkd.dht.api.StoreResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data the commands show, as plain records: the tables are rendered from them and
 * {@code --json} serializes them as they are. Ids are lower-case hex, roles lower-case.
 */
public final class Views {
    private Views() {
    }

    /** One node, as listed by {@code dht:nodes}. */
    public record NodeView(String name, String id, String role, String region, String host, int port,
                           String state, String detail, int routingTableSize, int storedValues,
                           long uptimeMillis) {
        static NodeView of(NodeStatus s) {
            return new NodeView(s.name(), hex(s.id()), s.role() == null ? null : s.role().configName(),
                    s.region(), s.host(), s.port(), s.state() == null ? null : s.state().name(),
                    s.detail(), s.routingTableSize(), s.storedValues(), s.uptimeMillis());
        }
    }

    /** One node in detail, as shown by {@code dht:status}; counters sorted by name. */
    public record StatusView(String name, String id, String role, String region, String host, int port,
                             String state, String detail, int routingTableSize, int storedValues,
                             long uptimeMillis, Map<String, Long> counters) {
        static StatusView of(NodeStatus s) {
            NodeView n = NodeView.of(s);
            return new StatusView(n.name(), n.id(), n.role(), n.region(), n.host(), n.port(), n.state(),
                    n.detail(), n.routingTableSize(), n.storedValues(), n.uptimeMillis(),
                    new TreeMap<>(s.counters()));
        }
    }

    /**
     * A contact.
     *
     * @param log2Distance floor(log2(id XOR reference)) + 1, i.e. 160 minus the common prefix
     *                     length with the reference id (the node's own id or a lookup target);
     *                     0 means equal
     */
    public record ContactView(String id, String address, String role, String region, List<String> capabilities,
                              int log2Distance) {
        static ContactView of(Contact c, NodeId reference) {
            List<String> caps = c.record().capabilities().stream().sorted().toList();
            int dist = reference == null ? -1 : NodeId.BITS - reference.commonPrefixLength(c.id());
            return new ContactView(hex(c.id()), c.endpoint(), c.record().role().configName(),
                    c.record().region(), caps, dist);
        }
    }

    /** One k-bucket. */
    public record BucketView(int index, List<ContactView> contacts, int replacements, long lastTouchedMillis) {
    }

    /** A node's routing table, as shown by {@code dht:routes}. */
    public record RoutesView(String node, String self, int k, int size, List<BucketView> buckets) {
        static RoutesView of(String node, RoutingSnapshot r) {
            List<BucketView> buckets = r.buckets().stream()
                    .map(b -> new BucketView(b.index(),
                            b.contacts().stream().map(c -> ContactView.of(c, r.self())).toList(),
                            b.replacements(), b.lastTouchedMillis()))
                    .toList();
            return new RoutesView(node, hex(r.self()), r.k(), r.size(), buckets);
        }
    }

    /** An iterative lookup, as shown by {@code dht:lookup}. */
    public record LookupView(String node, String key, String target, int hops, int queried, int failed,
                             long millis, List<ContactView> closest) {
        static LookupView of(String node, String key, LookupResult r) {
            return new LookupView(node, key, hex(r.target()), r.hops(), r.queried(), r.failed(), r.millis(),
                    r.closest().stream().map(c -> ContactView.of(c, r.target())).toList());
        }
    }

    /** A value read by {@code dht:get}; {@code value} is the stored JSON document itself. */
    public record ValueView(String node, String key, JsonNode value, String publisher, long version,
                            String expiresAt) {
        static ValueView of(String node, DhtValue v) {
            return new ValueView(node, v.key(), Args.parse(v.json(), "stored value is not valid JSON"),
                    hex(v.publisher()), v.version(), v.expiresAt() == null ? null : v.expiresAt().toString());
        }
    }

    /** The outcome of {@code dht:put} or {@code dht:delete}. */
    public record StoreView(String node, String operation, String key, String keyId, int replicas, int targets,
                            long millis) {
        static StoreView of(String node, String operation, StoreResult r) {
            return new StoreView(node, operation, r.key(), hex(r.keyId()), r.replicas(), r.targets(), r.millis());
        }
    }

    /** The outcome of {@code dht:ping}. */
    public record PingView(String node, String target, ContactView responder, double rttMillis) {
        static PingView of(String node, String target, DhtNode.PingResult p) {
            return new PingView(node, target, ContactView.of(p.responder(), null), p.rtt().toNanos() / 1e6);
        }
    }

    static String hex(NodeId id) {
        return id == null ? null : id.toHex();
    }
}
