package io.cqkd.dht.tier.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.api.tier.HealthSummary;
import io.cqkd.dht.api.tier.WorkerRegistration;
import java.nio.charset.StandardCharsets;

/**
 * JSON forms of the tier's values, with the seed's exact keys: a worker registration
 * {@code {"node_id", "address", "port", "registered_at"}} and the health summary
 * ({@link HealthSummary#JSON_KEYS}).
 */
public final class TierJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TierJson() {
    }

    /** The DHT value of a worker registration. */
    public static String worker(WorkerRegistration w) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("node_id", w.nodeId());
        o.put("address", w.address());
        o.put("port", w.port());
        o.put("registered_at", w.registeredAt());
        return write(o);
    }

    /**
     * Parses a worker registration read from the DHT. Unknown fields are ignored (newer
     * writers); missing or mistyped ones are an error.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static WorkerRegistration parseWorker(String json) {
        if (json == null || json.getBytes(StandardCharsets.UTF_8).length > DhtLimits.MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("worker registration missing or larger than "
                    + DhtLimits.MAX_VALUE_BYTES + " bytes");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("worker registration is not JSON: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("worker registration must be a JSON object");
        }
        return new WorkerRegistration(text(n, "node_id"), text(n, "address"), (int) number(n, "port", true),
                number(n, "registered_at", false));
    }

    /** The health summary as a JSON object with exactly its seven keys, in order. */
    public static String health(HealthSummary h) {
        return write(MAPPER.valueToTree(h.asMap()));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("worker registration: '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static long number(JsonNode n, String field, boolean isInt) {
        JsonNode v = n.get(field);
        if (v == null || !(isInt ? v.canConvertToInt() && v.isIntegralNumber() : v.isIntegralNumber() && v.canConvertToLong())) {
            throw new IllegalArgumentException("worker registration: '" + field + "' must be an integer");
        }
        return v.asLong();
    }

    private static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen for a tree of plain values", e);
        }
    }
}
