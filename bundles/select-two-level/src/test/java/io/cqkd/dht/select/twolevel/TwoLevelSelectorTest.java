package io.cqkd.dht.select.twolevel;

import static io.cqkd.dht.select.common.SmallTier.VIEW;
import static io.cqkd.dht.select.common.SmallTier.names;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cqkd.dht.api.tier.SelectionRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwoLevelSelectorTest {
    @Test
    void nameMatchesServiceProperty() {
        assertEquals("two-level", new TwoLevelSelector().name());
    }

    @Test
    void selects() {
        assertEquals(List.of("sb-secondary", "sb-primary", "rb-east-2", "rb-east-1"), names(new TwoLevelSelector().select(new SelectionRequest("east", 100), VIEW)));
    }
}
