package io.cqkd.dht.select.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierView;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdaptiveSelectorTest {
    private static BootstrapNode n(String name, NodeRole level, String region, String parent, int active, boolean healthy) {
        int cap = level == NodeRole.SUPER ? 500 : level == NodeRole.REGIONAL ? 250 : 50;
        return new BootstrapNode(name, Optional.empty(), level, region, parent,
                InetSocketAddress.createUnresolved("127.0.0.1", 5678), active, cap, healthy, 0);
    }

    static final TierView VIEW = new TierView(List.of(
            n("sb-primary", NodeRole.SUPER, "", "", 100, true),
            n("sb-secondary", NodeRole.SUPER, "", "", 10, true),
            n("sb-tertiary", NodeRole.SUPER, "", "", 0, false),
            n("rb-east-1", NodeRole.REGIONAL, "east", "sb-primary", 50, true),
            n("rb-east-2", NodeRole.REGIONAL, "east", "sb-primary", 5, true),
            n("rb-west-1", NodeRole.REGIONAL, "west", "sb-secondary", 0, true),
            n("lb-001", NodeRole.LOCAL, "east", "rb-east-1", 20, true),
            n("lb-002", NodeRole.LOCAL, "east", "rb-east-2", 2, true),
            n("lb-003", NodeRole.LOCAL, "west", "rb-west-1", 0, true)), 0);

    static List<String> names(List<BootstrapNode> nodes) {
        return nodes.stream().map(BootstrapNode::name).toList();
    }

    @Test
    void nameMatchesServiceProperty() {
        assertEquals("adaptive", new AdaptiveSelector().name());
    }

    @Test
    void selects() {
        assertEquals(List.of("sb-secondary", "sb-primary", "rb-east-2", "rb-east-1", "lb-002", "lb-001", "lb-003"), names(new AdaptiveSelector().select(new SelectionRequest("east", 201), VIEW)));
    }

    @Test
    void seedThresholdsAt50And200() {
        AdaptiveSelector a = new AdaptiveSelector();
        assertEquals(List.of("sb-secondary", "sb-primary"), names(a.select(new SelectionRequest("east", 50), VIEW)));
        assertEquals(List.of("sb-secondary", "sb-primary", "rb-east-2", "rb-east-1"),
                names(a.select(new SelectionRequest("east", 51), VIEW)));
        assertEquals(List.of("sb-secondary", "sb-primary", "rb-east-2", "rb-east-1"),
                names(a.select(new SelectionRequest("east", 200), VIEW)));
        assertEquals(7, a.select(new SelectionRequest("east", 201), VIEW).size());
        assertEquals(io.cqkd.dht.select.common.Plan.DIRECT, a.planFor(0));
    }

    @Test
    void configuredThresholdsAndInvalidFallBackToSeed() {
        AdaptiveSelector a = new AdaptiveSelector(config(5, 10));
        assertEquals(io.cqkd.dht.select.common.Plan.DIRECT, a.planFor(5));
        assertEquals(io.cqkd.dht.select.common.Plan.TWO_LEVEL, a.planFor(6));
        assertEquals(io.cqkd.dht.select.common.Plan.THREE_LEVEL, a.planFor(11));
        a.modified(config(100, 20)); // two-level below direct: invalid, seed values
        assertEquals(io.cqkd.dht.select.common.Plan.DIRECT, a.planFor(50));
        assertEquals(io.cqkd.dht.select.common.Plan.TWO_LEVEL, a.planFor(51));
        assertEquals(io.cqkd.dht.select.common.Plan.THREE_LEVEL, a.planFor(201));
    }

    private static AdaptiveSelector.Config config(int direct, int two) {
        return new AdaptiveSelector.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return AdaptiveSelector.Config.class;
            }

            @Override
            public int direct_max_workers() {
                return direct;
            }

            @Override
            public int twolevel_max_workers() {
                return two;
            }
        };
    }
}
