package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.HealthSummary;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Computes the seed's {@link HealthSummary} from the known bootstrap nodes. */
public final class Health {
    private Health() {
    }

    /**
     * The summary: every node counts in {@code total_bootstrap_nodes}; connections and capacity
     * are summed over healthy nodes only (an unhealthy node's figures are stale and its capacity
     * is not available); {@code regions_coverage} counts regions with at least one healthy
     * regional or local node.
     */
    public static HealthSummary summarize(Collection<BootstrapNode> nodes, long failoverEvents) {
        int healthy = 0;
        long connections = 0;
        long capacity = 0;
        Set<String> regions = new HashSet<>();
        for (BootstrapNode n : nodes) {
            if (!n.healthy()) {
                continue;
            }
            healthy++;
            connections += n.activeSessions();
            capacity += n.capacity();
            if (n.level() != NodeRole.SUPER && !n.region().isEmpty()) {
                regions.add(n.region());
            }
        }
        double utilization = capacity == 0 ? 0.0 : Math.round(10_000.0 * connections / capacity) / 100.0;
        return new HealthSummary(nodes.size(), healthy, connections, capacity, utilization, regions.size(),
                failoverEvents);
    }
}
