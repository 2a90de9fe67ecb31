package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.DhtError;
import io.cqkd.dht.api.DhtException;
import io.cqkd.dht.api.DhtLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValidationTest {
    final Validation v = new Validation(64);

    DhtException fails(Runnable r) {
        return assertThrows(DhtException.class, r::run);
    }

    @Test
    void keys() {
        assertEquals(DhtError.INVALID_KEY, fails(() -> v.checkKey("")).error());
        assertEquals(DhtError.INVALID_KEY, fails(() -> v.checkKey(null)).error());
        assertDoesNotThrow(() -> v.checkKey("a".repeat(DhtLimits.MAX_KEY_BYTES)));
        DhtException e = fails(() -> v.checkKey("é".repeat(129))); // 258 UTF-8 bytes
        assertEquals(DhtError.INVALID_KEY, e.error());
        assertEquals("key is 258 bytes, the limit is 256 bytes", e.getMessage());
    }

    @Test
    void jsonMustParseAndFit() {
        assertDoesNotThrow(() -> v.checkJson("{\"a\":[1,2,{\"b\":null}]}"));
        assertDoesNotThrow(() -> v.checkJson("42"));
        assertEquals(DhtError.INVALID_JSON, fails(() -> v.checkJson("{\"a\":")).error());
        assertEquals(DhtError.INVALID_JSON, fails(() -> v.checkJson("{} {}")).error());
        assertEquals(DhtError.INVALID_JSON, fails(() -> v.checkJson("")).error());
        assertEquals(DhtError.INVALID_JSON, fails(() -> v.checkJson("not json")).error());
        assertEquals(DhtError.INVALID_JSON, fails(() -> v.checkJson("[".repeat(65) + "]".repeat(65))).error(),
                "nesting is bounded");
        String big = "\"" + "x".repeat(DhtLimits.MAX_VALUE_BYTES) + "\"";
        DhtException e = fails(() -> v.checkJson(big));
        assertEquals(DhtError.VALUE_TOO_LARGE, e.error());
        assertEquals("value is 8194 bytes, the limit is 8192 bytes", e.getMessage());
        for (String bad : new String[] {"{\"a\":", "[1,2", "nul"}) {
            String msg = fails(() -> v.checkJson(bad)).getMessage();
            assertFalse(msg.contains("\n"), "one line: " + msg);
        }
    }

    @Test
    void ttl() {
        assertEquals(DhtError.INVALID_TTL, fails(() -> v.checkTtl(Duration.ZERO)).error());
        assertEquals(DhtError.INVALID_TTL, fails(() -> v.checkTtl(Duration.ofSeconds(-1))).error());
        assertEquals(DhtError.INVALID_TTL, fails(() -> v.checkTtl(DhtLimits.MAX_TTL.plusMillis(1))).error());
        assertEquals(DhtError.INVALID_TTL, fails(() -> v.checkTtl(null)).error());
        assertDoesNotThrow(() -> v.checkTtl(DhtLimits.MAX_TTL));
        assertDoesNotThrow(() -> v.checkTtl(Duration.ofMillis(1)));
    }

    @Test
    void utf8Length() {
        assertEquals(3, Validation.utf8Length("abc"));
        assertEquals(2, Validation.utf8Length("é"));
        assertEquals(3, Validation.utf8Length("€"));
        assertEquals(4, Validation.utf8Length("😀"));
        assertTrue(Validation.utf8Length("a😀é") == 7);
    }
}
