package io.cqkd.dht.select.common;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.TierView;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The small tier the strategy bundles' tests select from: 3 supers (sb-tertiary unhealthy), 3
 * regionals, 3 locals. Shared with the select-* modules' tests through this module's test-jar.
 */
public final class SmallTier {
    private SmallTier() {
    }

    private static BootstrapNode n(String name, NodeRole level, String region, String parent, int active,
                                   boolean healthy) {
        int cap = level == NodeRole.SUPER ? 500 : level == NodeRole.REGIONAL ? 250 : 50;
        return new BootstrapNode(name, Optional.empty(), level, region, parent,
                InetSocketAddress.createUnresolved("127.0.0.1", 5678), active, cap, healthy, 0);
    }

    /** The tier. */
    public static final TierView VIEW = new TierView(List.of(
            n("sb-primary", NodeRole.SUPER, "", "", 100, true),
            n("sb-secondary", NodeRole.SUPER, "", "", 10, true),
            n("sb-tertiary", NodeRole.SUPER, "", "", 0, false),
            n("rb-east-1", NodeRole.REGIONAL, "east", "sb-primary", 50, true),
            n("rb-east-2", NodeRole.REGIONAL, "east", "sb-primary", 5, true),
            n("rb-west-1", NodeRole.REGIONAL, "west", "sb-secondary", 0, true),
            n("lb-001", NodeRole.LOCAL, "east", "rb-east-1", 20, true),
            n("lb-002", NodeRole.LOCAL, "east", "rb-east-2", 2, true),
            n("lb-003", NodeRole.LOCAL, "west", "rb-west-1", 0, true)), 0);

    /** The nodes' names, in order. */
    public static List<String> names(List<BootstrapNode> nodes) {
        return nodes.stream().map(BootstrapNode::name).toList();
    }
}
