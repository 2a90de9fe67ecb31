package io.cqkd.dht.select.threelevel;

import static io.cqkd.dht.select.common.SmallTier.VIEW;
import static io.cqkd.dht.select.common.SmallTier.names;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cqkd.dht.api.tier.SelectionRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreeLevelSelectorTest {
    @Test
    void nameMatchesServiceProperty() {
        assertEquals("three-level", new ThreeLevelSelector().name());
    }

    @Test
    void selects() {
        assertEquals(List.of("sb-secondary", "sb-primary", "rb-east-2", "rb-east-1", "lb-002", "lb-001", "lb-003"), names(new ThreeLevelSelector().select(new SelectionRequest("east", 1000), VIEW)));
    }
}
