package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cqkd.dht.core.engine.Counters.MessageType;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.codec.Samples;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CountersTest {
    @Test
    void everyMessageClassHasAKindAndIsCountedUnderIt() {
        Counters c = new Counters();
        Set<MessageType> seen = EnumSet.noneOf(MessageType.class);
        for (Message m : Samples.all(3)) {
            MessageType t = MessageType.of(m);
            assertNotNull(t, m.getClass().getSimpleName() + " has no kind: inbound_by_type would miss it");
            long before = c.received(t);
            c.received(m);
            assertEquals(before + 1, c.received(t));
            seen.add(t);
        }
        assertEquals(EnumSet.allOf(MessageType.class), seen, "every kind is a message class of the protocol");
        assertEquals(seen.size(), c.inboundByType().size());
        assertEquals(c.received(MessageType.FIND_NODE), c.inboundByType().get("find_node"));
    }
}
