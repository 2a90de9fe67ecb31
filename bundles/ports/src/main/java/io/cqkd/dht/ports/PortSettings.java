package io.cqkd.dht.ports;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortRange;
import io.cqkd.dht.api.ports.PortRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The effective, immutable port-allocation settings: Config Admin values (PID
 * {@code io.cqkd.dht.ports}) overlaid by the seeds' environment variables, validated, with
 * defaults for anything missing or invalid (each fallback adds a warning).
 *
 * <p>Precedence: an environment variable that is set wins over the configuration (it is the
 * per-container deployment knob), the configuration wins over the defaults. {@link #sources()}
 * says where each value came from.
 *
 * @param allocatorTarget  LDAP filter selecting the strategy service ({@code allocator.target})
 * @param basePort         port of worker 1 before the offset ({@code base.port}, env BASE_PORT)
 * @param portOffset       added to every worker port ({@code port.offset}, env PORT_OFFSET)
 * @param legacyMode       pin every worker to {@code legacyPort} ({@code legacy.port.mode}, env LEGACY_PORT_MODE)
 * @param legacyPort       the legacy port, 7000 ({@code legacy.port})
 * @param ranges           port range per kind of node ({@code range.worker}, {@code range.bootstrap}, {@code range.special})
 * @param allowedRanges    ports the policy allows; the role ranges when not configured ({@code allowed.ranges})
 * @param blocked          ports the policy refuses ({@code blocked.ports})
 * @param onePortPerWorker a worker id may hold one port only ({@code one.port.per.worker})
 * @param historySize      allocation events kept ({@code history.size})
 * @param env              the environment the request defaults come from (WORKER_ID, TASK_SLOT, POD_NAME)
 * @param sources          attribute -> "default", "config" or "env NAME"
 * @param warnings         what was invalid and what was used instead
 */
public record PortSettings(String allocatorTarget, int basePort, int portOffset, boolean legacyMode, int legacyPort,
                           Map<RangeName, PortRange> ranges, List<PortRange> allowedRanges, List<PortRange> blocked,
                           boolean onePortPerWorker, int historySize, Map<String, String> env,
                           Map<String, String> sources, List<String> warnings) {

    /** Configuration keys (Config Admin / metatype attribute ids). */
    public static final String ALLOCATOR_TARGET = "allocator.target";
    public static final String BASE_PORT = "base.port";
    public static final String PORT_OFFSET = "port.offset";
    public static final String LEGACY_PORT_MODE = "legacy.port.mode";
    public static final String LEGACY_PORT = "legacy.port";
    public static final String RANGE_WORKER = "range.worker";
    public static final String RANGE_BOOTSTRAP = "range.bootstrap";
    public static final String RANGE_SPECIAL = "range.special";
    public static final String ALLOWED_RANGES = "allowed.ranges";
    public static final String BLOCKED_PORTS = "blocked.ports";
    public static final String ONE_PORT_PER_WORKER = "one.port.per.worker";
    public static final String HISTORY_SIZE = "history.size";

    /** Environment variables of the seeds (DHT_PORT is the node's business) plus the orchestrator indices. */
    public static final String ENV_WORKER_ID = "WORKER_ID";
    public static final String ENV_BASE_PORT = "BASE_PORT";
    public static final String ENV_PORT_OFFSET = "PORT_OFFSET";
    public static final String ENV_LEGACY_PORT_MODE = "LEGACY_PORT_MODE";
    public static final String ENV_TASK_SLOT = "TASK_SLOT";
    public static final String ENV_POD_NAME = "POD_NAME";

    /** Defaults (seed 004, with the bootstrap range widened to the 84 ports seed 000 needs). */
    public static final String DEFAULT_TARGET = "(strategy=sequential)";
    public static final int DEFAULT_BASE_PORT = 7000;
    public static final int DEFAULT_PORT_OFFSET = 0;
    public static final boolean DEFAULT_LEGACY_MODE = false;
    public static final int DEFAULT_LEGACY_PORT = 7000;
    public static final String DEFAULT_RANGE_WORKER = "7000-7999";
    public static final String DEFAULT_RANGE_BOOTSTRAP = "5678-5761";
    public static final String DEFAULT_RANGE_SPECIAL = "6000-6099";
    public static final boolean DEFAULT_ONE_PORT_PER_WORKER = true;
    public static final int DEFAULT_HISTORY_SIZE = 1000;
    /** Upper bound of {@code history.size}. */
    public static final int MAX_HISTORY_SIZE = 100_000;

    private static final Pattern SIMPLE_TARGET = Pattern.compile("\\(\\s*strategy\\s*=\\s*([^()=*\\s]+)\\s*\\)");

    /** Makes the collections unmodifiable. */
    public PortSettings {
        ranges = Map.copyOf(ranges);
        allowedRanges = List.copyOf(allowedRanges);
        blocked = List.copyOf(blocked);
        env = Map.copyOf(env);
        sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        warnings = List.copyOf(warnings);
    }

    /** The defaults, with no environment. */
    public static PortSettings defaults() {
        return from(Map.of(), Map.of());
    }

    /**
     * Builds the effective settings from configuration properties (a component's properties or a
     * test map; values may be strings, numbers, booleans, arrays or collections) and the
     * environment. Never throws for bad values: they fall back with a warning.
     */
    public static PortSettings from(Map<String, ?> config, Map<String, String> env) {
        List<String> warnings = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        Reader r = new Reader(config, env, warnings, sources);

        String target = r.string(ALLOCATOR_TARGET, DEFAULT_TARGET);
        if (!target.startsWith("(") || !target.endsWith(")")) {
            warnings.add(ALLOCATOR_TARGET + "='" + target + "' is not an LDAP filter; using " + DEFAULT_TARGET);
            target = DEFAULT_TARGET;
            sources.put(ALLOCATOR_TARGET, "default");
        }
        int basePort = r.integer(BASE_PORT, ENV_BASE_PORT, DEFAULT_BASE_PORT, 1, 65535);
        int offset = r.integer(PORT_OFFSET, ENV_PORT_OFFSET, DEFAULT_PORT_OFFSET, -65535, 65535);
        boolean legacy = r.bool(LEGACY_PORT_MODE, ENV_LEGACY_PORT_MODE, DEFAULT_LEGACY_MODE);
        int legacyPort = r.integer(LEGACY_PORT, null, DEFAULT_LEGACY_PORT, 1, 65535);

        Map<RangeName, PortRange> ranges = new EnumMap<>(RangeName.class);
        ranges.put(RangeName.WORKER, r.range(RANGE_WORKER, DEFAULT_RANGE_WORKER));
        ranges.put(RangeName.BOOTSTRAP, r.range(RANGE_BOOTSTRAP, DEFAULT_RANGE_BOOTSTRAP));
        ranges.put(RangeName.SPECIAL, r.range(RANGE_SPECIAL, DEFAULT_RANGE_SPECIAL));
        checkOverlaps(ranges, warnings);

        List<PortRange> allowed = r.rangeList(ALLOWED_RANGES);
        if (allowed.isEmpty()) {
            allowed = List.copyOf(ranges.values());
            sources.put(ALLOWED_RANGES, "default (the role ranges)");
        }
        List<PortRange> blocked = r.rangeList(BLOCKED_PORTS);
        boolean onePerWorker = r.bool(ONE_PORT_PER_WORKER, null, DEFAULT_ONE_PORT_PER_WORKER);
        int historySize = r.integer(HISTORY_SIZE, null, DEFAULT_HISTORY_SIZE, 1, MAX_HISTORY_SIZE);

        PortRange workers = ranges.get(RangeName.WORKER);
        if (!workers.contains(basePort + offset)) {
            warnings.add("base.port " + basePort + " + port.offset " + offset + " = " + (basePort + offset)
                    + " lies outside the worker range " + workers + "; worker indices wrap into the range");
        }
        if (legacy && !allowed.stream().anyMatch(a -> a.contains(legacyPort))) {
            warnings.add("legacy port " + legacyPort + " is outside the allowed ranges; legacy workers will be refused");
        }

        Map<String, String> requestEnv = new LinkedHashMap<>();
        for (String key : List.of(ENV_WORKER_ID, ENV_TASK_SLOT, ENV_POD_NAME)) {
            String value = env.get(key);
            if (value != null && !value.isBlank()) {
                requestEnv.put(key, value.trim());
            }
        }
        return new PortSettings(target, basePort, offset, legacy, legacyPort, ranges, allowed, blocked, onePerWorker,
                historySize, requestEnv, sources, warnings);
    }

    /** The range a node of {@code role} takes its port from. */
    public PortRange rangeFor(NodeRole role) {
        return ranges.get(RangeName.of(role));
    }

    /** Index 0 of the index-based strategies: BASE_PORT + PORT_OFFSET for workers, the range's first port otherwise. */
    public int baseFor(NodeRole role) {
        return role == NodeRole.WORKER ? basePort + portOffset : rangeFor(role).first();
    }

    /** The strategy name when the target has the simple form {@code (strategy=NAME)}, else the filter itself. */
    public String targetStrategyName() {
        Matcher m = SIMPLE_TARGET.matcher(allocatorTarget.trim());
        return m.matches() ? m.group(1) : allocatorTarget;
    }

    /** Why the policy refuses {@code port}, or null when it allows it. */
    public String refusal(int port) {
        for (PortRange b : blocked) {
            if (b.contains(port)) {
                return "port " + port + " is blocked by policy (" + BLOCKED_PORTS + " " + b + ")";
            }
        }
        for (PortRange a : allowedRanges) {
            if (a.contains(port)) {
                return null;
            }
        }
        return "port " + port + " is out of the allowed ranges " + joinRanges(allowedRanges);
    }

    /**
     * The request with what the environment supplies and the request lacks: WORKER_ID (workers
     * only), TASK_SLOT and POD_NAME.
     *
     * @throws PortAllocationException when a variable the request needs is not a valid number
     */
    public PortRequest withEnvironment(PortRequest request) throws PortAllocationException {
        OptionalInt workerId = request.workerId();
        if (workerId.isEmpty() && request.role() == NodeRole.WORKER && env.containsKey(ENV_WORKER_ID)) {
            workerId = OptionalInt.of(positive(ENV_WORKER_ID, env.get(ENV_WORKER_ID)));
        }
        OptionalInt slot = request.slot();
        if (slot.isEmpty() && env.containsKey(ENV_TASK_SLOT)) {
            slot = OptionalInt.of(positive(ENV_TASK_SLOT, env.get(ENV_TASK_SLOT)));
        }
        Optional<String> pod = request.podName();
        if (pod.isEmpty() && env.containsKey(ENV_POD_NAME)) {
            pod = Optional.of(env.get(ENV_POD_NAME));
        }
        return new PortRequest(request.nodeName(), request.role(), request.explicitPort(), workerId, slot, pod);
    }

    private static int positive(String name, String value) throws PortAllocationException {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PortAllocationException("environment variable " + name + "='" + value
                + "' is not a positive integer");
    }

    /** {@code 5678-5761, 6000-6099}. */
    public static String joinRanges(Collection<PortRange> ranges) {
        return ranges.stream().map(PortRange::toString).collect(Collectors.joining(", "));
    }

    private static void checkOverlaps(Map<RangeName, PortRange> ranges, List<String> warnings) {
        List<RangeName> names = List.copyOf(ranges.keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                PortRange a = ranges.get(names.get(i));
                PortRange b = ranges.get(names.get(j));
                if (a.first() <= b.last() && b.first() <= a.last()) {
                    warnings.add("the " + names.get(i).label() + " range " + a + " overlaps the "
                            + names.get(j).label() + " range " + b);
                }
            }
        }
    }

    /** Reads typed values, recording sources and warnings. */
    private record Reader(Map<String, ?> config, Map<String, String> env, List<String> warnings,
                          Map<String, String> sources) {

        String string(String key, String dflt) {
            Object v = config.get(key);
            if (v == null || v.toString().isBlank()) {
                sources.put(key, "default");
                return dflt;
            }
            sources.put(key, "config");
            return v.toString().trim();
        }

        int integer(String key, String envName, int dflt, int min, int max) {
            int value = dflt;
            String source = "default";
            Object v = config.get(key);
            if (v != null && !v.toString().isBlank()) {
                Integer parsed = parseInt(key, v.toString(), min, max);
                if (parsed != null) {
                    value = parsed;
                    source = "config";
                }
            }
            if (envName != null && env.get(envName) != null && !env.get(envName).isBlank()) {
                Integer parsed = parseInt("environment variable " + envName, env.get(envName), min, max);
                if (parsed != null) {
                    value = parsed;
                    source = "env " + envName;
                }
            }
            sources.put(key, source);
            return value;
        }

        private Integer parseInt(String what, String text, int min, int max) {
            try {
                int parsed = Integer.parseInt(text.trim());
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
                warnings.add(what + "=" + text.trim() + " is outside " + min + ".." + max + "; ignored");
            } catch (NumberFormatException e) {
                warnings.add(what + "='" + text + "' is not an integer; ignored");
            }
            return null;
        }

        boolean bool(String key, String envName, boolean dflt) {
            boolean value = dflt;
            String source = "default";
            Object v = config.get(key);
            if (v != null && !v.toString().isBlank()) {
                Boolean parsed = parseBool(key, v.toString());
                if (parsed != null) {
                    value = parsed;
                    source = "config";
                }
            }
            if (envName != null && env.get(envName) != null && !env.get(envName).isBlank()) {
                Boolean parsed = parseBool("environment variable " + envName, env.get(envName));
                if (parsed != null) {
                    value = parsed;
                    source = "env " + envName;
                }
            }
            sources.put(key, source);
            return value;
        }

        private Boolean parseBool(String what, String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            switch (t) {
                case "true", "yes", "1", "on":
                    return Boolean.TRUE;
                case "false", "no", "0", "off":
                    return Boolean.FALSE;
                default:
                    warnings.add(what + "='" + text + "' is not a boolean (true/false); ignored");
                    return null;
            }
        }

        PortRange range(String key, String dflt) {
            Object v = config.get(key);
            if (v != null && !v.toString().isBlank()) {
                try {
                    PortRange parsed = PortRange.parse(v.toString());
                    sources.put(key, "config");
                    return parsed;
                } catch (IllegalArgumentException e) {
                    warnings.add(key + ": " + e.getMessage() + "; using " + dflt);
                }
            }
            sources.put(key, "default");
            return PortRange.parse(dflt);
        }

        /** Entries separated by commas or array elements; each a port or FIRST-LAST. */
        List<PortRange> rangeList(String key) {
            List<String> items = new ArrayList<>();
            Object v = config.get(key);
            if (v instanceof String[] array) {
                items.addAll(List.of(array));
            } else if (v instanceof Collection<?> c) {
                c.forEach(o -> items.add(String.valueOf(o)));
            } else if (v != null) {
                items.add(v.toString());
            }
            List<PortRange> out = new ArrayList<>();
            for (String item : items) {
                for (String part : item.split(",")) {
                    String p = part.trim();
                    if (p.isEmpty()) {
                        continue;
                    }
                    try {
                        out.add(p.contains("-") ? PortRange.parse(p) : single(p));
                    } catch (IllegalArgumentException e) {
                        warnings.add(key + ": '" + p + "' is neither a port nor FIRST-LAST; ignored");
                    }
                }
            }
            sources.put(key, out.isEmpty() ? "default" : "config");
            return out;
        }

        private static PortRange single(String p) {
            int port = Integer.parseInt(p);
            return new PortRange(port, port);
        }
    }
}
