package io.cqkd.dht.core.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.cqkd.dht.api.DhtError;
import io.cqkd.dht.api.DhtException;
import io.cqkd.dht.api.DhtLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Checks of caller input and of values received from the network, against {@link DhtLimits}.
 * Failures are {@link DhtException}s with one-line messages fit for an operator. Thread-safe.
 */
public final class Validation {
    /** One thread-safe factory per nesting limit, shared by every node of the JVM. */
    private static final java.util.concurrent.ConcurrentHashMap<Integer, JsonFactory> FACTORIES =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final JsonFactory json;

    /** A validator accepting JSON nested at most {@code maxNesting} deep. */
    public Validation(int maxNesting) {
        this.json = FACTORIES.computeIfAbsent(maxNesting, n -> JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(n)
                        .maxStringLength(DhtLimits.MAX_VALUE_BYTES)
                        .maxNumberLength(1000)
                        .build())
                .build());
    }

    /** UTF-8 length of {@code s}. */
    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** A key: non-empty, at most {@link DhtLimits#MAX_KEY_BYTES} UTF-8 bytes. */
    public void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new DhtException(DhtError.INVALID_KEY, "key is empty");
        }
        int n = utf8Length(key);
        if (n > DhtLimits.MAX_KEY_BYTES) {
            throw new DhtException(DhtError.INVALID_KEY, "key is " + n + " bytes, the limit is "
                    + DhtLimits.MAX_KEY_BYTES + " bytes");
        }
    }

    /** A value: one well-formed JSON document of at most {@link DhtLimits#MAX_VALUE_BYTES} UTF-8 bytes. */
    public void checkJson(String value) {
        if (value == null) {
            throw new DhtException(DhtError.INVALID_JSON, "value is missing");
        }
        int n = utf8Length(value);
        if (n > DhtLimits.MAX_VALUE_BYTES) {
            throw new DhtException(DhtError.VALUE_TOO_LARGE, "value is " + n + " bytes, the limit is "
                    + DhtLimits.MAX_VALUE_BYTES + " bytes");
        }
        try (JsonParser p = json.createParser(value)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new DhtException(DhtError.INVALID_JSON, "value is not JSON: it is empty");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new DhtException(DhtError.INVALID_JSON, "value is not JSON: trailing content at "
                        + location(p));
            }
        } catch (StreamConstraintsException e) {
            throw new DhtException(DhtError.INVALID_JSON, "value is not acceptable JSON: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException jp && jp.getLocation() != null
                    ? " at line " + jp.getLocation().getLineNr() + " column " + jp.getLocation().getColumnNr() : "";
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException jp
                    ? jp.getOriginalMessage() : e.getMessage();
            throw new DhtException(DhtError.INVALID_JSON, "value is not JSON" + where + ": " + oneLine(msg));
        }
    }

    /** A TTL in (0, {@link DhtLimits#MAX_TTL}]. */
    public void checkTtl(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(DhtLimits.MAX_TTL) > 0) {
            throw new DhtException(DhtError.INVALID_TTL, "ttl must be more than 0 and at most "
                    + DhtLimits.MAX_TTL.toHours() + " hours, got " + (ttl == null ? "none" : ttl.toString()));
        }
    }

    /** True when {@code value} passes {@link #checkJson}. */
    public boolean isValidJson(String value) {
        try {
            checkJson(value);
            return true;
        } catch (DhtException e) {
            return false;
        }
    }

    private static String location(JsonParser p) {
        var l = p.currentLocation();
        return "line " + l.getLineNr() + " column " + l.getColumnNr();
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "malformed";
        }
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > 160 ? t.substring(0, 160) + "..." : t;
    }
}
