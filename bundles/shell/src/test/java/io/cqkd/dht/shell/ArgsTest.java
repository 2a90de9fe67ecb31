package io.cqkd.dht.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.shell.support.CommandFailure;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ArgsTest {
    @Test
    void acceptsHostPortAndBracketedIpv6() {
        InetSocketAddress a = Args.endpoint("127.0.0.1:5678");
        assertEquals(5678, a.getPort());
        assertTrue(a.getAddress().isLoopbackAddress());
        assertEquals(7000, Args.endpoint("[::1]:7000").getPort());
    }

    @Test
    void refusesBadAddressesWithOneLine() {
        for (String bad : new String[] {"", "nohost", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000",
                "127.0.0.1:x", ":5678", "::1:5678", "[::1]5678"}) {
            CommandFailure f = assertThrows(CommandFailure.class, () -> Args.endpoint(bad), bad);
            assertFalse(f.getMessage().contains("\n"));
        }
    }

    @Test
    void jsonMustBeOneWellFormedDocumentWithinTheLimit() {
        assertEquals("{\"a\":1}", Args.json("{\"a\":1}"));
        assertEquals("42", Args.json("42"));
        CommandFailure bad = assertThrows(CommandFailure.class, () -> Args.json("{a:1}"));
        assertTrue(bad.getMessage().startsWith("invalid JSON: "), bad.getMessage());
        assertTrue(bad.getMessage().contains("line 1, column"), bad.getMessage());
        assertThrows(CommandFailure.class, () -> Args.json("{} {}"));
        assertThrows(CommandFailure.class, () -> Args.json(" "));
        String big = "\"" + "x".repeat(DhtLimits.MAX_VALUE_BYTES) + "\"";
        CommandFailure tooBig = assertThrows(CommandFailure.class, () -> Args.json(big));
        assertEquals("value too large: " + (DhtLimits.MAX_VALUE_BYTES + 2) + " bytes (limit "
                + DhtLimits.MAX_VALUE_BYTES + ")", tooBig.getMessage());
    }

    @Test
    void keysAreNonEmptyAndBounded() {
        assertEquals("k", Args.key("k"));
        assertThrows(CommandFailure.class, () -> Args.key(""));
        assertThrows(CommandFailure.class, () -> Args.key("k".repeat(DhtLimits.MAX_KEY_BYTES + 1)));
    }

    @Test
    void failurePrintsAsItsMessageOnlyAndOnOneLine() {
        CommandFailure f = new CommandFailure("first\n  second\r\nthird");
        assertEquals("first second third", f.toString());
        assertEquals(0, f.getStackTrace().length);
    }
}
