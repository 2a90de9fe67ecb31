package io.cqkd.dht.select.direct;

import static io.cqkd.dht.select.common.SmallTier.VIEW;
import static io.cqkd.dht.select.common.SmallTier.names;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cqkd.dht.api.tier.SelectionRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectSelectorTest {
    @Test
    void nameMatchesServiceProperty() {
        assertEquals("direct", new DirectSelector().name());
    }

    @Test
    void selects() {
        assertEquals(List.of("sb-secondary", "sb-primary"), names(new DirectSelector().select(new SelectionRequest("east", 10), VIEW)));
    }
}
