package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The seeds' environment variables into a {@link TierConfig}. The environment is passed in as a
 * map ({@code System.getenv()} in production, a literal map in tests).
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>BOOTSTRAP_LEVEL</td><td>super | regional | local | worker | special</td><td>worker</td></tr>
 *   <tr><td>REGION</td><td>region; required for regional and local, ignored for super</td><td>none</td></tr>
 *   <tr><td>BOOTSTRAP_NODES</td><td>host:port,host:port (IPv6 as [addr]:port); required except for supers</td><td>none</td></tr>
 *   <tr><td>MAX_CONNECTIONS</td><td>capacity of a bootstrap node, 1-100000</td><td>500 / 250 / 50 by level</td></tr>
 *   <tr><td>NODE_ID</td><td>node name or id, 1-64 of A-Z a-z 0-9 . _ -</td><td>none</td></tr>
 *   <tr><td>DHT_PORT</td><td>UDP port 1-65535, always wins over port strategies</td><td>none</td></tr>
 * </table>
 */
public final class TierEnvironment {
    /** Variable names. */
    public static final String BOOTSTRAP_LEVEL = "BOOTSTRAP_LEVEL";
    /** Variable names. */
    public static final String REGION = "REGION";
    /** Variable names. */
    public static final String BOOTSTRAP_NODES = "BOOTSTRAP_NODES";
    /** Variable names. */
    public static final String MAX_CONNECTIONS = "MAX_CONNECTIONS";
    /** Variable names. */
    public static final String NODE_ID = "NODE_ID";
    /** Variable names. */
    public static final String DHT_PORT = "DHT_PORT";
    /** Largest MAX_CONNECTIONS accepted. */
    public static final int MAX_CONNECTIONS_LIMIT = 100_000;
    /** Most BOOTSTRAP_NODES entries accepted. */
    public static final int MAX_BOOTSTRAP_NODES = 64;

    private static final Pattern NODE_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private TierEnvironment() {
    }

    /** Default capacity of a level: 500 super, 250 regional, 50 local, 0 otherwise. */
    public static int defaultCapacity(NodeRole level) {
        return switch (level) {
            case SUPER -> Topology.SUPER_CAPACITY;
            case REGIONAL -> Topology.REGIONAL_CAPACITY;
            case LOCAL -> Topology.LOCAL_CAPACITY;
            default -> 0;
        };
    }

    /**
     * Reads the tier variables from {@code env}; blank values count as absent.
     *
     * @throws TierConfigException listing every problem
     */
    public static TierConfig parse(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();

        NodeRole level = NodeRole.WORKER;
        String levelText = get(env, BOOTSTRAP_LEVEL);
        if (levelText != null) {
            try {
                level = NodeRole.parse(levelText);
            } catch (IllegalArgumentException e) {
                problems.add(BOOTSTRAP_LEVEL + "='" + levelText + "': " + e.getMessage());
            }
        }

        String region = "";
        String regionText = get(env, REGION);
        if (regionText != null) {
            String r = regionText.toLowerCase(Locale.ROOT);
            if (!Topology.REGION_NAME.matcher(r).matches()) {
                problems.add(REGION + "='" + regionText + "': must be 1-32 of a-z, 0-9, _");
            } else if (level == NodeRole.SUPER) {
                warnings.add(REGION + "='" + regionText + "' ignored: super nodes have no region");
            } else {
                region = r;
            }
        } else if (level == NodeRole.REGIONAL || level == NodeRole.LOCAL) {
            problems.add(REGION + " is required when " + BOOTSTRAP_LEVEL + "=" + level.configName());
        }

        List<HostPort> nodes = new ArrayList<>();
        String nodesText = get(env, BOOTSTRAP_NODES);
        if (nodesText != null) {
            for (String part : nodesText.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    nodes.add(HostPort.parse(part));
                } catch (IllegalArgumentException e) {
                    problems.add(BOOTSTRAP_NODES + ": " + e.getMessage());
                }
            }
            if (nodes.size() > MAX_BOOTSTRAP_NODES) {
                problems.add(BOOTSTRAP_NODES + ": at most " + MAX_BOOTSTRAP_NODES + " entries, got " + nodes.size());
            }
        }
        if (nodes.isEmpty() && level != NodeRole.SUPER
                && problems.stream().noneMatch(p -> p.startsWith(BOOTSTRAP_NODES))) {
            problems.add(BOOTSTRAP_NODES + " is required when " + BOOTSTRAP_LEVEL + "=" + level.configName()
                    + " (host:port,host:port)");
        }

        int maxConnections = defaultCapacity(level);
        String maxText = get(env, MAX_CONNECTIONS);
        if (maxText != null) {
            if (!level.isBootstrap()) {
                warnings.add(MAX_CONNECTIONS + "='" + maxText + "' ignored: only bootstrap nodes admit sessions");
            } else {
                OptionalInt v = integer(maxText);
                if (v.isEmpty() || v.getAsInt() < 1 || v.getAsInt() > MAX_CONNECTIONS_LIMIT) {
                    problems.add(MAX_CONNECTIONS + "='" + maxText + "': must be an integer 1-" + MAX_CONNECTIONS_LIMIT);
                } else {
                    maxConnections = v.getAsInt();
                }
            }
        }

        Optional<String> nodeId = Optional.empty();
        String idText = get(env, NODE_ID);
        if (idText != null) {
            if (NODE_ID_PATTERN.matcher(idText).matches()) {
                nodeId = Optional.of(idText);
            } else {
                problems.add(NODE_ID + "='" + idText + "': must be 1-64 of A-Z a-z 0-9 . _ -");
            }
        }

        OptionalInt port = OptionalInt.empty();
        String portText = get(env, DHT_PORT);
        if (portText != null) {
            OptionalInt v = integer(portText);
            if (v.isEmpty() || v.getAsInt() < 1 || v.getAsInt() > 65535) {
                problems.add(DHT_PORT + "='" + portText + "': must be a port 1-65535");
            } else {
                port = v;
            }
        }

        if (!problems.isEmpty()) {
            throw new TierConfigException(problems);
        }
        return new TierConfig(level, region, nodes, maxConnections, nodeId, port, warnings);
    }

    private static String get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static OptionalInt integer(String text) {
        try {
            return OptionalInt.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
