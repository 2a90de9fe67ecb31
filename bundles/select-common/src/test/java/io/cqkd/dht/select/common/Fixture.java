package io.cqkd.dht.select.common;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.TierView;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds small tier views for tests. */
final class Fixture {
    private final List<BootstrapNode> nodes = new ArrayList<>();
    private int port = 5678;

    Fixture node(String name, NodeRole level, String region, String parent, int active, int capacity, boolean healthy) {
        nodes.add(new BootstrapNode(name, Optional.empty(), level, region, parent,
                InetSocketAddress.createUnresolved("127.0.0.1", port++), active, capacity, healthy, 0));
        return this;
    }

    Fixture sup(String name, int active) {
        return node(name, NodeRole.SUPER, "", "", active, 500, true);
    }

    Fixture reg(String name, String region, String parent, int active) {
        return node(name, NodeRole.REGIONAL, region, parent, active, 250, true);
    }

    Fixture loc(String name, String region, String parent, int active) {
        return node(name, NodeRole.LOCAL, region, parent, active, 50, true);
    }

    TierView view() {
        return new TierView(nodes, 0);
    }

    static List<String> names(List<BootstrapNode> nodes) {
        return nodes.stream().map(BootstrapNode::name).toList();
    }

    /**
     * 4 supers, 8 regionals (east/west/north/south x2), 32 locals (4 per regional), loads chosen
     * so that order differs from name order.
     */
    static Fixture seedLike() {
        Fixture f = new Fixture();
        String[] supers = {"sb-primary", "sb-secondary", "sb-tertiary", "sb-quaternary"};
        int[] superLoad = {300, 100, 200, 50};
        for (int i = 0; i < 4; i++) {
            f.sup(supers[i], superLoad[i]);
        }
        String[] regions = {"east", "west", "north", "south"};
        int local = 1;
        for (int r = 0; r < 4; r++) {
            for (int j = 1; j <= 2; j++) {
                String rb = "rb-" + regions[r] + "-" + j;
                f.reg(rb, regions[r], supers[r], j == 1 ? 200 : 20 + r);
                for (int k = 0; k < 4; k++, local++) {
                    f.loc(String.format("lb-%03d", local), regions[r], rb, (local * 7) % 50);
                }
            }
        }
        return f;
    }
}
