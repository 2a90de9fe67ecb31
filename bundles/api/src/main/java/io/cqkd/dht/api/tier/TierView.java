package io.cqkd.dht.api.tier;

import io.cqkd.dht.api.NodeRole;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a client knows of the bootstrap tier now: an immutable snapshot of nodes with their last
 * known load. Selection strategies only read it.
 *
 * @param nodes      the known bootstrap nodes, names unique
 * @param asOfMillis when the snapshot was taken (engine milliseconds)
 */
public record TierView(List<BootstrapNode> nodes, long asOfMillis) {
    /** Copies the list and rejects duplicate names. */
    public TierView {
        nodes = List.copyOf(nodes);
        Set<String> names = new HashSet<>();
        for (BootstrapNode n : nodes) {
            if (!names.add(n.name())) {
                throw new IllegalArgumentException("duplicate bootstrap node " + n.name() + " in tier view");
            }
        }
    }

    /** An empty view. */
    public static TierView empty(long asOfMillis) {
        return new TierView(List.of(), asOfMillis);
    }

    /** The node with this name. */
    public Optional<BootstrapNode> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** Every node of a level, in view order. */
    public List<BootstrapNode> level(NodeRole level) {
        return nodes.stream().filter(n -> n.level() == level).toList();
    }

    /**
     * Healthy nodes of {@code level} in {@code region} ("" = any region), least-loaded first
     * ({@link BootstrapNode#LOAD_ORDER}).
     */
    public List<BootstrapNode> healthy(NodeRole level, String region) {
        Objects.requireNonNull(region, "region");
        return nodes.stream()
                .filter(n -> n.level() == level && n.healthy())
                .filter(n -> region.isEmpty() || n.region().equals(region))
                .sorted(BootstrapNode.LOAD_ORDER)
                .toList();
    }

    /** Nodes whose parent is {@code parentName}, in view order. */
    public List<BootstrapNode> childrenOf(String parentName) {
        return nodes.stream().filter(n -> n.parent().equals(parentName)).toList();
    }

    /** The non-empty regions of the known nodes, sorted. */
    public SortedSet<String> regions() {
        SortedSet<String> r = new TreeSet<>();
        nodes.forEach(n -> {
            if (!n.region().isEmpty()) {
                r.add(n.region());
            }
        });
        return r;
    }
}
