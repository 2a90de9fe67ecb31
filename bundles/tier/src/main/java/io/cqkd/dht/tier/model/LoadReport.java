package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What a bootstrap node periodically tells its parent (and its peers at the same level): who and
 * where it is and how loaded. The content of the LOAD_REPORT message.
 *
 * @param name           reporter's name
 * @param id             reporter's node id, when known
 * @param level          reporter's level
 * @param region         reporter's region ("" for supers)
 * @param parent         reporter's parent ("" for supers)
 * @param address        reporter's UDP address (the datagram's source)
 * @param activeSessions live sessions
 * @param capacity       capacity
 * @param healthy        the reporter's own view of its health (false while draining or failing)
 */
public record LoadReport(String name, Optional<NodeId> id, NodeRole level, String region, String parent,
                         InetSocketAddress address, int activeSessions, int capacity, boolean healthy) {
    /** Validates like {@link BootstrapNode}. */
    public LoadReport {
        Objects.requireNonNull(id, "id");
        // reuse BootstrapNode's validation so a bad report fails where it is built
        new BootstrapNode(name, id, level, region, parent, address, activeSessions, capacity, healthy, -1);
        region = region == null ? "" : region;
        parent = parent == null ? "" : parent;
    }

    /** A report of {@code node}'s current figures. */
    public static LoadReport of(BootstrapNode node, int activeSessions, int capacity, boolean healthy) {
        return new LoadReport(node.name(), node.id(), node.level(), node.region(), node.parent(), node.address(),
                activeSessions, capacity, healthy);
    }
}
