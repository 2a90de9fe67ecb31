package io.cqkd.dht.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.shell.support.CommandFailure;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Validation of command arguments; every failure is a {@link CommandFailure} with one line. */
public final class Args {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Args() {
    }

    /** A non-empty key of at most {@link DhtLimits#MAX_KEY_BYTES} UTF-8 bytes. */
    public static String key(String key) {
        if (key == null || key.isEmpty()) {
            throw new CommandFailure("invalid key: empty");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > DhtLimits.MAX_KEY_BYTES) {
            throw new CommandFailure("invalid key: " + bytes + " bytes (limit " + DhtLimits.MAX_KEY_BYTES + ")");
        }
        return key;
    }

    /**
     * A well-formed JSON document of at most {@link DhtLimits#MAX_VALUE_BYTES} UTF-8 bytes,
     * returned unchanged.
     */
    public static String json(String json) {
        if (json == null || json.isBlank()) {
            throw new CommandFailure("invalid JSON: empty value");
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > DhtLimits.MAX_VALUE_BYTES) {
            throw new CommandFailure("value too large: " + bytes + " bytes (limit " + DhtLimits.MAX_VALUE_BYTES + ")");
        }
        parse(json, "invalid JSON");
        return json;
    }

    /** Parses JSON text; a failure is reported as "{@code what}: reason (line L, column C)". */
    static JsonNode parse(String json, String what) {
        try {
            return STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage();
            var loc = e.getLocation();
            String at = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            throw new CommandFailure(what + ": " + reason + at);
        }
    }

    /**
     * Parses {@code host:port} (IPv6 literals as {@code [::1]:5678}) and resolves the host.
     * The port must be 1-65535.
     */
    public static InetSocketAddress endpoint(String text) {
        if (text == null || text.isBlank()) {
            throw new CommandFailure("invalid address: empty (expected host:port)");
        }
        String s = text.trim();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new CommandFailure("invalid address '" + text + "' (expected host:port)");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon != s.indexOf(':')) {
                throw new CommandFailure("invalid address '" + text + "' (expected host:port)");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new CommandFailure("invalid port '" + port + "' in '" + text + "' (expected 1-65535)");
        }
        if (p < 1 || p > 65535) {
            throw new CommandFailure("invalid port " + p + " in '" + text + "' (expected 1-65535)");
        }
        InetSocketAddress address = new InetSocketAddress(host, p);
        if (address.isUnresolved()) {
            throw new CommandFailure("cannot resolve host '" + host + "'");
        }
        return address;
    }
}
