package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeRole;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A container's place in the tier, from its environment ({@link TierEnvironment}).
 *
 * @param level          BOOTSTRAP_LEVEL: super, regional, local, worker (default) or special
 * @param region         REGION, lower-case, "" for none (always "" for a super)
 * @param bootstrapNodes BOOTSTRAP_NODES: whom to join (parent level, or the tier for a worker)
 * @param maxConnections MAX_CONNECTIONS for a bootstrap level (default 500/250/50), 0 otherwise
 * @param nodeId         NODE_ID, when given
 * @param dhtPort        DHT_PORT, when given (explicit port always wins)
 * @param warnings       values that were ignored, one line each, for a WARN log at startup
 */
public record TierConfig(NodeRole level, String region, List<HostPort> bootstrapNodes, int maxConnections,
                         Optional<String> nodeId, OptionalInt dhtPort, List<String> warnings) {
    /** Copies lists; rejects nulls. */
    public TierConfig {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(region, "region");
        bootstrapNodes = List.copyOf(bootstrapNodes);
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(dhtPort, "dhtPort");
        warnings = List.copyOf(warnings);
    }

    /** True for super, regional and local. */
    public boolean isBootstrap() {
        return level.isBootstrap();
    }
}
