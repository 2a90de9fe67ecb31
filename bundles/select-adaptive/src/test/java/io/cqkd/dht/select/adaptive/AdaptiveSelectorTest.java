package io.cqkd.dht.select.adaptive;

import static io.cqkd.dht.select.common.SmallTier.VIEW;
import static io.cqkd.dht.select.common.SmallTier.names;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cqkd.dht.api.tier.SelectionRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdaptiveSelectorTest {
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
