package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One bootstrap node of a {@link Topology}: its static description.
 *
 * @param name     unique name ({@code sb-primary}, {@code rb-east-1}, {@code lb-001})
 * @param level    super, regional or local
 * @param region   region, "" for supers
 * @param parent   parent's name, "" for supers
 * @param host     host or IP the node listens on
 * @param port     UDP port
 * @param capacity most concurrent sessions
 */
public record TopologyNode(String name, NodeRole level, String region, String parent, String host, int port,
                           int capacity) {
    /** As a {@link BootstrapNode} with no load yet reported (healthy until reports say otherwise). */
    public BootstrapNode asBootstrapNode() {
        return new BootstrapNode(name, Optional.empty(), level, region, parent,
                InetSocketAddress.createUnresolved(host, port), 0, capacity, true, -1);
    }
}
