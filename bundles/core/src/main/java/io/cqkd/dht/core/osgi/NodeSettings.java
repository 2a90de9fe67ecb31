package io.cqkd.dht.core.osgi;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.engine.EngineConfig;
import io.cqkd.dht.core.tier.TierSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The effective, validated settings of one node: its {@link NodeConfig} with the seed environment
 * variables applied on top when {@code useEnvironment} is true. Plain Java and immutable, so it
 * is tested without OSGi and compared on {@code @Modified} to decide what must restart.
 *
 * <p>Environment variables (empty values are ignored):
 * <ul>
 *   <li>{@code DHT_PORT}: port, 0-65535;</li>
 *   <li>{@code NODE_ID}: 40 hex digits, or any other text, hashed with SHA-1;</li>
 *   <li>{@code BOOTSTRAP_NODES}: {@code host:port,host:port};</li>
 *   <li>{@code BOOTSTRAP_LEVEL}: {@code super|regional|local}, sets the role;</li>
 *   <li>{@code REGION}, {@code WORKER_ID} (positive), {@code MAX_CONNECTIONS} (positive).</li>
 * </ul>
 * Any invalid value makes {@link #parse} throw an {@link IllegalArgumentException} whose message
 * is one line naming the setting and the accepted values.
 *
 * @param name           node name
 * @param record         role, region, capabilities
 * @param bindHost       address to bind
 * @param advertisedHost address shown as the node's own
 * @param port           -1 allocate, 0 ephemeral, else explicit
 * @param workerId       WORKER_ID when given
 * @param nodeId         configured id; empty for a random one
 * @param bootstrap      bootstrap endpoints as configured (host, port), unresolved
 * @param engine         engine parameters
 * @param clusterKey     this node's cluster key text ("" = the runtime default)
 * @param maxConnections MAX_CONNECTIONS (0 = tier default)
 * @param receiveBufferBytes SO_RCVBUF of the node's socket (0 = runtime default, larger for bootstrap roles)
 * @param fromEnvironment names of the environment variables that were applied
 * @param tier           the bootstrap-tier parameters (name, level, region, capacity, lease, periods)
 */
public record NodeSettings(String name, NodeRecord record, InetAddress bindHost, String advertisedHost, int port,
                           OptionalInt workerId, Optional<NodeId> nodeId, List<HostPort> bootstrap,
                           EngineConfig engine, String clusterKey, int maxConnections, int receiveBufferBytes,
                           List<String> fromEnvironment, TierSettings tier) {
    /** Environment variable names read when {@code useEnvironment} is true. */
    public static final List<String> ENV_VARS = List.of("DHT_PORT", "NODE_ID", "BOOTSTRAP_NODES", "BOOTSTRAP_LEVEL",
            "REGION", "WORKER_ID", "MAX_CONNECTIONS");
    private static final Pattern HEX40 = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

    /** Defensive copies. */
    public NodeSettings {
        Objects.requireNonNull(name, "name");
        bootstrap = List.copyOf(bootstrap);
        fromEnvironment = List.copyOf(fromEnvironment);
    }

    /**
     * A host and port as configured.
     *
     * @param host host name or literal address
     * @param port 1-65535
     */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Port value meaning "allocate through the port-allocation service". */
    public static final int PORT_ALLOCATE = -1;

    /**
     * Parses and validates.
     *
     * @param cfg         the configuration
     * @param defaultName name to use when {@code cfg.name()} is empty (the factory configuration's name)
     * @param env         the environment (read only when {@code cfg.useEnvironment()})
     * @throws IllegalArgumentException with a one-line reason
     */
    public static NodeSettings parse(NodeConfig cfg, String defaultName, Map<String, String> env) {
        String name = cfg.name() == null || cfg.name().isBlank() ? defaultName : cfg.name().trim();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1-64 characters of A-Z a-z 0-9 . _ ~ -, got '" + name + "'");
        }
        NodeRole role = NodeRole.parse(cfg.role());
        String region = trim(cfg.region());
        int port = cfg.port();
        int workerId = cfg.workerId();
        String nodeIdText = trim(cfg.nodeId());
        List<String> bootstrapText = splitAll(cfg.bootstrap());
        int maxConnections = cfg.maxConnections();
        List<String> applied = new ArrayList<>();

        if (cfg.useEnvironment()) {
            String v;
            if ((v = env(env, "DHT_PORT")) != null) {
                port = parseInt("DHT_PORT", v, 0, 65535);
                applied.add("DHT_PORT");
            }
            if ((v = env(env, "NODE_ID")) != null) {
                nodeIdText = v;
                applied.add("NODE_ID");
            }
            if ((v = env(env, "BOOTSTRAP_NODES")) != null) {
                bootstrapText = splitAll(new String[] {v});
                applied.add("BOOTSTRAP_NODES");
            }
            if ((v = env(env, "BOOTSTRAP_LEVEL")) != null) {
                role = switch (v.toLowerCase(Locale.ROOT)) {
                    case "super" -> NodeRole.SUPER;
                    case "regional" -> NodeRole.REGIONAL;
                    case "local" -> NodeRole.LOCAL;
                    default -> throw new IllegalArgumentException("BOOTSTRAP_LEVEL must be super, regional or local, got '"
                            + printable(v) + "'");
                };
                applied.add("BOOTSTRAP_LEVEL");
            }
            if ((v = env(env, "REGION")) != null) {
                region = v;
                applied.add("REGION");
            }
            if ((v = env(env, "WORKER_ID")) != null) {
                workerId = parseInt("WORKER_ID", v, 1, Integer.MAX_VALUE);
                applied.add("WORKER_ID");
            }
            if ((v = env(env, "MAX_CONNECTIONS")) != null) {
                maxConnections = parseInt("MAX_CONNECTIONS", v, 1, Integer.MAX_VALUE);
                applied.add("MAX_CONNECTIONS");
            }
        }

        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port must be -1 (allocate), 0 (ephemeral) or 1-65535, got " + port);
        }
        if (workerId < 0) {
            throw new IllegalArgumentException("workerId must be positive (0 for none), got " + workerId);
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must not be negative, got " + maxConnections);
        }
        NodeRecord record;
        try {
            record = new NodeRecord(role, region, new LinkedHashSet<>(splitAll(cfg.capabilities())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node record: " + e.getMessage());
        }
        Optional<NodeId> nodeId = nodeIdText.isEmpty() ? Optional.empty()
                : Optional.of(HEX40.matcher(nodeIdText).matches() ? NodeId.ofHex(nodeIdText.toLowerCase(Locale.ROOT))
                        : NodeId.ofKey(nodeIdText));
        List<HostPort> bootstrap = new ArrayList<>();
        for (String b : bootstrapText) {
            bootstrap.add(parseHostPort(b));
        }
        InetAddress bindHost = literalOrResolve("bindHost", trim(cfg.bindHost()).isEmpty() ? "0.0.0.0" : trim(cfg.bindHost()));
        EngineConfig engine;
        try {
            engine = EngineConfig.defaults().toBuilder()
                    .k(cfg.k())
                    .alpha(cfg.alpha())
                    .rpcTimeoutMillis(cfg.rpcTimeoutMillis())
                    .rpcRetries(cfg.rpcRetries())
                    .lookupPeerTimeoutMillis(cfg.lookupPeerTimeoutMillis())
                    .lookupTimeoutMillis(cfg.lookupTimeoutMillis())
                    .maintenanceIntervalMillis(cfg.maintenanceIntervalMillis())
                    .bootstrapRecheckMillis(cfg.bootstrapRecheckMillis())
                    .replicateMillis(cfg.replicateMillis())
                    .republishMillis(cfg.republishMillis())
                    .tombstoneTtlMillis(cfg.tombstoneTtlMillis())
                    .maxStoredValues(cfg.maxStoredValues())
                    .requestRatePerSecond(cfg.requestRatePerSecond())
                    .requestBurst(cfg.requestBurst())
                    .globalRequestRatePerSecond(cfg.globalRequestRatePerSecond())
                    .globalRequestBurst(cfg.globalRequestBurst())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("engine: " + e.getMessage());
        }
        String key = cfg.clusterKey() == null ? "" : cfg.clusterKey().trim();
        if (cfg.receiveBufferBytes() < 0) {
            throw new IllegalArgumentException("receiveBufferBytes must not be negative, got " + cfg.receiveBufferBytes());
        }
        TierSettings tier;
        try {
            tier = TierSettings.defaults(name, role, record.region()).withCapacity(maxConnections)
                    .withPeriods(cfg.tierLeaseMillis(), cfg.tierReportMillis(), cfg.tierStatsMillis())
                    .withJoin(cfg.tierJoin(), cfg.expectedWorkers());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tier: " + e.getMessage());
        }
        return new NodeSettings(name, record, bindHost, trim(cfg.advertisedHost()), port,
                workerId > 0 ? OptionalInt.of(workerId) : OptionalInt.empty(), nodeId, bootstrap, engine, key,
                maxConnections, cfg.receiveBufferBytes(), applied, tier);
    }

    /**
     * True when going from {@code this} to {@code next} needs a restart of the node (new socket or
     * new engine). Only {@code maxConnections} is carried without one (the tier agent's capacity
     * changes live): the engine takes its
     * parameters at construction, so k, alpha, timeouts, rates and the bootstrap list apply through a
     * clean restart of that node (same id, same port when the port is explicit).
     */
    public boolean needsRestart(NodeSettings next) {
        return !(name.equals(next.name) && record.equals(next.record) && bindHost.equals(next.bindHost)
                && advertisedHost.equals(next.advertisedHost) && port == next.port && workerId.equals(next.workerId)
                && nodeId.equals(next.nodeId) && bootstrap.equals(next.bootstrap) && engine.equals(next.engine)
                && clusterKey.equals(next.clusterKey) && receiveBufferBytes == next.receiveBufferBytes
                && tier.withCapacity(1).equals(next.tier.withCapacity(1)));
    }

    /** True when the socket must be re-bound ({@code port}, bind host or name changed). */
    public boolean needsRebind(NodeSettings next) {
        return port != next.port || !bindHost.equals(next.bindHost) || !name.equals(next.name)
                || receiveBufferBytes != next.receiveBufferBytes
                || !workerId.equals(next.workerId) || !record.role().equals(next.record.role());
    }

    @Override
    public String toString() {
        // never shows the cluster key
        return "NodeSettings[name=" + name + ", role=" + record.role().configName() + ", region=" + record.region()
                + ", bind=" + bindHost.getHostAddress() + ", port=" + port + ", bootstrap=" + bootstrap
                + ", k=" + engine.k() + ", alpha=" + engine.alpha() + ", clusterKey=" + (clusterKey.isEmpty() ? "default" : "set")
                + ", env=" + fromEnvironment + "]";
    }

    static HostPort parseHostPort(String text) {
        String t = text.trim();
        String host;
        String portText;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("bootstrap entry must be host:port or [ipv6]:port, got '" + printable(t) + "'");
            }
            host = t.substring(1, close);
            portText = t.substring(close + 2);
        } else {
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || t.indexOf(':') != colon) {
                throw new IllegalArgumentException("bootstrap entry must be host:port or [ipv6]:port, got '" + printable(t) + "'");
            }
            host = t.substring(0, colon);
            portText = t.substring(colon + 1);
        }
        if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == '/')) {
            throw new IllegalArgumentException("bootstrap entry has an invalid host: '" + printable(t) + "'");
        }
        return new HostPort(host, parseInt("bootstrap port of '" + printable(t) + "'", portText, 1, 65535));
    }

    private static InetAddress literalOrResolve(String what, String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException(what + " '" + printable(host) + "' does not resolve");
        }
    }

    private static int parseInt(String what, String v, int min, int max) {
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be an integer " + min + "-" + max + ", got '" + printable(v) + "'");
        }
    }

    private static String env(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    /** Splits every element on commas, trims, drops empties (FileInstall .cfg arrays arrive as one string). */
    static List<String> splitAll(String[] values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                if (v == null) {
                    continue;
                }
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
        }
        return out;
    }

    /** Shortens and strips control characters from user input echoed in a message. */
    static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }

}
