package io.cqkd.dht.api.tier;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's health summary of the bootstrap tier as one container sees it. Its JSON form has
 * exactly the keys of {@link #asMap()}.
 *
 * @param totalBootstrapNodes known bootstrap nodes ({@code total_bootstrap_nodes})
 * @param healthyNodes        of which healthy ({@code healthy_nodes})
 * @param totalConnections    active sessions over healthy nodes ({@code total_connections})
 * @param totalCapacity       capacity over healthy nodes ({@code total_capacity})
 * @param utilizationPercent  100 * connections / capacity, 0 when there is no capacity, rounded to
 *                            two decimals ({@code utilization_percent})
 * @param regionsCoverage     number of distinct regions with at least one healthy regional or
 *                            local node ({@code regions_coverage})
 * @param failoverEvents      failover events recorded so far ({@code failover_events})
 */
public record HealthSummary(int totalBootstrapNodes, int healthyNodes, long totalConnections, long totalCapacity,
                            double utilizationPercent, int regionsCoverage, long failoverEvents) {
    /** The JSON keys, in order. */
    public static final java.util.List<String> JSON_KEYS = java.util.List.of("total_bootstrap_nodes",
            "healthy_nodes", "total_connections", "total_capacity", "utilization_percent", "regions_coverage",
            "failover_events");

    /** The summary under its JSON keys, in {@link #JSON_KEYS} order (for {@code --json} output). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_bootstrap_nodes", totalBootstrapNodes);
        m.put("healthy_nodes", healthyNodes);
        m.put("total_connections", totalConnections);
        m.put("total_capacity", totalCapacity);
        m.put("utilization_percent", utilizationPercent);
        m.put("regions_coverage", regionsCoverage);
        m.put("failover_events", failoverEvents);
        return m;
    }
}
