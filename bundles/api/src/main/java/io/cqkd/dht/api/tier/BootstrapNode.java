package io.cqkd.dht.api.tier;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * A bootstrap node of the tier as someone knows it at one moment: where it sits in the topology,
 * where it listens and how loaded it last said it was.
 *
 * @param name             unique name in the tier ({@code sb-primary}, {@code rb-east-1}, {@code lb-001})
 * @param id               node id, empty while unknown (e.g. a node known only from BOOTSTRAP_NODES)
 * @param level            {@link NodeRole#SUPER}, {@link NodeRole#REGIONAL} or {@link NodeRole#LOCAL}
 * @param region           region, "" for none (supers have none)
 * @param parent           name of the parent node, "" for none (supers)
 * @param address          UDP address; may be unresolved (a host name from configuration)
 * @param activeSessions   admitted sessions at the last report, &gt;= 0
 * @param capacity         most concurrent sessions the node admits, &gt;= 0
 * @param healthy          false when the node reported unhealthy or its reports went stale
 * @param lastReportMillis time of the last load report, in the clock of whoever built this value
 *                         (engine milliseconds); -1 when it never reported
 */
public record BootstrapNode(String name, Optional<NodeId> id, NodeRole level, String region, String parent,
                            InetSocketAddress address, int activeSessions, int capacity, boolean healthy,
                            long lastReportMillis) {

    /**
     * Least-loaded first: {@link #utilization()}, then {@link #activeSessions()}, then
     * {@link #name()}, so that selection is deterministic for equal loads.
     */
    public static final Comparator<BootstrapNode> LOAD_ORDER = Comparator
            .comparingDouble(BootstrapNode::utilization)
            .thenComparingInt(BootstrapNode::activeSessions)
            .thenComparing(BootstrapNode::name);

    /** Validates: names non-empty, level a bootstrap level, counts non-negative. */
    public BootstrapNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(address, "address");
        region = region == null ? "" : region;
        parent = parent == null ? "" : parent;
        if (name.isBlank()) {
            throw new IllegalArgumentException("bootstrap node name must not be blank");
        }
        if (!level.isBootstrap()) {
            throw new IllegalArgumentException("bootstrap node " + name + " has level " + level.configName()
                    + " (expected super, regional or local)");
        }
        if (activeSessions < 0 || capacity < 0) {
            throw new IllegalArgumentException("bootstrap node " + name + ": negative sessions or capacity");
        }
    }

    /** Active sessions over capacity, 0..1 and above only if a report says so; 1 when capacity is 0. */
    public double utilization() {
        return capacity == 0 ? 1.0 : (double) activeSessions / capacity;
    }

    /** True when the last report leaves room for at least one more session. */
    public boolean hasHeadroom() {
        return activeSessions < capacity;
    }

    /** The same node with other load figures. */
    public BootstrapNode withLoad(int activeSessions, int capacity, boolean healthy, long lastReportMillis) {
        return new BootstrapNode(name, id, level, region, parent, address, activeSessions, capacity, healthy,
                lastReportMillis);
    }
}
