package io.cqkd.dht.api.tier;

import java.util.Objects;

/**
 * A worker as its regional bootstrap node registers it in the DHT, under
 * {@link #key(String, String) region:{region}:worker:{node_id}} with the JSON value
 * {@code {"node_id", "address", "port", "registered_at"}}.
 *
 * @param nodeId       the worker's node id (40 hex digits, as announced)
 * @param address      the worker's IP address or host
 * @param port         the worker's UDP port
 * @param registeredAt when the registration was first made, epoch milliseconds
 */
public record WorkerRegistration(String nodeId, String address, int port, long registeredAt) {
    /** The key format, with {@code {region}} and {@code {node_id}} placeholders. */
    public static final String KEY_FORMAT = "region:{region}:worker:{node_id}";

    /** Validates ids, address and port. */
    public WorkerRegistration {
        checkPart("node id", nodeId);
        Objects.requireNonNull(address, "address");
        if (address.isBlank()) {
            throw new IllegalArgumentException("worker address must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("worker port out of range: " + port);
        }
    }

    /** {@code region:{region}:worker:{node_id}}. */
    public static String key(String region, String nodeId) {
        checkPart("region", region);
        checkPart("node id", nodeId);
        return "region:" + region + ":worker:" + nodeId;
    }

    /** This registration's key in {@code region}. */
    public String key(String region) {
        return key(region, nodeId);
    }

    private static void checkPart(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.indexOf(':') >= 0 || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(what + " must be non-empty, without ':' or spaces: '" + value + "'");
        }
    }
}
