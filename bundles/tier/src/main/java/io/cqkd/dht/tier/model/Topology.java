package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.TierView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bootstrap tier's shape: which nodes exist, their level, region, parent, port and capacity.
 *
 * <p>Defaults are the seed's: supers {@code sb-primary}, {@code sb-secondary},
 * {@code sb-tertiary}, {@code sb-quaternary} on 5678-5681; regionals grouped by region in the
 * order of {@link Spec#regions()} ({@code rb-east-1}, {@code rb-east-2}, {@code rb-west-1}, ...)
 * on 5682-5697, region number {@code i} attached to super {@code i mod supers} (east to
 * sb-primary, west to sb-secondary, north to sb-tertiary, south to sb-quaternary); locals
 * {@code lb-001} ... on 5698-5761, spread evenly and contiguously over the regionals in order
 * and inheriting their parent's region. Port bases are fixed so every level keeps its range
 * whatever the counts. A two-level tier ({@link Spec#twoLevel()}, {@link Bounds#TWO_LEVEL}) has
 * supers and regionals only: its workers join the regionals directly.
 */
public final class Topology {
    /** First super port. */
    public static final int SUPER_BASE_PORT = 5678;
    /** First regional port. */
    public static final int REGIONAL_BASE_PORT = 5682;
    /** First local port. */
    public static final int LOCAL_BASE_PORT = 5698;
    /** Super names, in order. */
    public static final List<String> SUPER_NAMES = List.of("sb-primary", "sb-secondary", "sb-tertiary", "sb-quaternary");
    /** Default regions, in order: region i attaches to super i mod supers. */
    public static final List<String> DEFAULT_REGIONS = List.of("east", "west", "north", "south");
    /** Seed default capacity of a super (MAX_CONNECTIONS). */
    public static final int SUPER_CAPACITY = 500;
    /** Seed default capacity of a regional. */
    public static final int REGIONAL_CAPACITY = 250;
    /** Seed default capacity of a local. */
    public static final int LOCAL_CAPACITY = 50;
    /** Allowed region names: they appear in node names and DHT keys. */
    public static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9_]{0,31}");

    /**
     * Allowed counts per level. {@link #SEED} is the seed's (a real deployment);
     * {@link #EMBEDDED} keeps the seed's maxima (the port ranges) but allows a small tier, such
     * as the one-container demo network (2 supers, 4 regionals, 8 locals); {@link #TWO_LEVEL} is
     * the seed's two-level tier (supers and regionals, no locals).
     */
    public enum Bounds {
        /** super 2-4, regional 8-16, local 32-64. */
        SEED(2, 4, 8, 16, 32, 64),
        /** super 1-4, regional 1-16, local 1-64. */
        EMBEDDED(1, 4, 1, 16, 1, 64),
        /**
         * The seed's two levels (seed 000: "two levels: super + regional of the worker's region"):
         * super 2-4, regional 8-16 and no locals; workers join a regional of their region directly.
         */
        TWO_LEVEL(2, 4, 8, 16, 0, 0);

        final int minSupers, maxSupers, minRegionals, maxRegionals, minLocals, maxLocals;

        Bounds(int minSupers, int maxSupers, int minRegionals, int maxRegionals, int minLocals, int maxLocals) {
            this.minSupers = minSupers;
            this.maxSupers = maxSupers;
            this.minRegionals = minRegionals;
            this.maxRegionals = maxRegionals;
            this.minLocals = minLocals;
            this.maxLocals = maxLocals;
        }
    }

    /**
     * What to build.
     *
     * @param supers           number of supers
     * @param regionals        number of regionals
     * @param locals           number of locals
     * @param regions          region names, in attachment order
     * @param host             host every node listens on
     * @param superCapacity    capacity of each super
     * @param regionalCapacity capacity of each regional
     * @param localCapacity    capacity of each local
     * @param bounds           allowed counts
     */
    public record Spec(int supers, int regionals, int locals, List<String> regions, String host, int superCapacity,
                       int regionalCapacity, int localCapacity, Bounds bounds) {
        /** Copies the regions. */
        public Spec {
            regions = List.copyOf(regions);
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(bounds, "bounds");
        }

        /** The seed's tier: 4 supers, 8 regionals in 4 regions, 32 locals, capacities 500/250/50, on 127.0.0.1. */
        public static Spec seed() {
            return new Spec(4, 8, 32, DEFAULT_REGIONS, "127.0.0.1", SUPER_CAPACITY, REGIONAL_CAPACITY,
                    LOCAL_CAPACITY, Bounds.SEED);
        }

        /**
         * The seed's two-level tier: 4 supers, 8 regionals in 4 regions, no locals, capacities
         * 500/250 (the local capacity is unused), {@link Bounds#TWO_LEVEL}, on 127.0.0.1.
         */
        public static Spec twoLevel() {
            return new Spec(4, 8, 0, DEFAULT_REGIONS, "127.0.0.1", SUPER_CAPACITY, REGIONAL_CAPACITY,
                    LOCAL_CAPACITY, Bounds.TWO_LEVEL);
        }

        /** The same with other counts. */
        public Spec withCounts(int supers, int regionals, int locals) {
            return new Spec(supers, regionals, locals, regions, host, superCapacity, regionalCapacity,
                    localCapacity, bounds);
        }

        /** The same with other regions. */
        public Spec withRegions(List<String> regions) {
            return new Spec(supers, regionals, locals, regions, host, superCapacity, regionalCapacity,
                    localCapacity, bounds);
        }

        /** The same with other capacities. */
        public Spec withCapacities(int superCapacity, int regionalCapacity, int localCapacity) {
            return new Spec(supers, regionals, locals, regions, host, superCapacity, regionalCapacity,
                    localCapacity, bounds);
        }

        /** The same with other bounds. */
        public Spec withBounds(Bounds bounds) {
            return new Spec(supers, regionals, locals, regions, host, superCapacity, regionalCapacity,
                    localCapacity, bounds);
        }

        /** The same on another host. */
        public Spec withHost(String host) {
            return new Spec(supers, regionals, locals, regions, host, superCapacity, regionalCapacity,
                    localCapacity, bounds);
        }
    }

    private final Spec spec;
    private final Map<String, TopologyNode> nodes;

    private Topology(Spec spec, Map<String, TopologyNode> nodes) {
        this.spec = spec;
        this.nodes = nodes;
    }

    /** The seed's default tier. */
    public static Topology defaults() {
        return build(Spec.seed());
    }

    /**
     * Builds and validates a tier.
     *
     * @throws IllegalArgumentException naming every problem found
     */
    public static Topology build(Spec spec) {
        validate(spec);
        Map<String, TopologyNode> out = new LinkedHashMap<>();
        for (int i = 0; i < spec.supers(); i++) {
            String name = SUPER_NAMES.get(i);
            out.put(name, new TopologyNode(name, NodeRole.SUPER, "", "", spec.host(), SUPER_BASE_PORT + i,
                    spec.superCapacity()));
        }
        List<TopologyNode> regionals = new ArrayList<>();
        int regionCount = spec.regions().size();
        for (int r = 0; r < regionCount; r++) {
            String region = spec.regions().get(r);
            int inRegion = spec.regionals() / regionCount + (r < spec.regionals() % regionCount ? 1 : 0);
            String parent = SUPER_NAMES.get(r % spec.supers());
            for (int k = 1; k <= inRegion; k++) {
                String name = "rb-" + region + "-" + k;
                TopologyNode n = new TopologyNode(name, NodeRole.REGIONAL, region, parent, spec.host(),
                        REGIONAL_BASE_PORT + regionals.size(), spec.regionalCapacity());
                regionals.add(n);
                out.put(name, n);
            }
        }
        for (int k = 0; k < spec.locals(); k++) {
            TopologyNode parent = regionals.get((int) ((long) k * regionals.size() / spec.locals()));
            String name = String.format(Locale.ROOT, "lb-%03d", k + 1);
            out.put(name, new TopologyNode(name, NodeRole.LOCAL, parent.region(), parent.name(), spec.host(),
                    LOCAL_BASE_PORT + k, spec.localCapacity()));
        }
        return new Topology(spec, java.util.Collections.unmodifiableMap(out));
    }

    private static void validate(Spec s) {
        List<String> problems = new ArrayList<>();
        Bounds b = s.bounds();
        range(problems, "super nodes", s.supers(), b.minSupers, b.maxSupers, b);
        range(problems, "regional nodes", s.regionals(), b.minRegionals, b.maxRegionals, b);
        range(problems, "local nodes", s.locals(), b.minLocals, b.maxLocals, b);
        if (s.regions().isEmpty()) {
            problems.add("at least one region is needed");
        }
        List<String> seen = new ArrayList<>();
        for (String r : s.regions()) {
            if (r == null || !REGION_NAME.matcher(r).matches()) {
                problems.add("region '" + r + "' must be 1-32 of a-z, 0-9, _ (starting with a letter or digit)");
            } else if (seen.contains(r)) {
                problems.add("region '" + r + "' is listed twice");
            }
            seen.add(r);
        }
        if (!s.regions().isEmpty() && s.regionals() < s.regions().size()) {
            problems.add(s.regions().size() + " regions need at least " + s.regions().size()
                    + " regional nodes, got " + s.regionals());
        }
        if (s.regionals() > 0 && s.locals() > 0 && s.locals() < s.regionals()) {
            problems.add(s.regionals() + " regional nodes need at least as many local nodes (one each), got "
                    + s.locals());
        }
        if (s.host().isBlank()) {
            problems.add("host must not be blank");
        }
        positive(problems, "super capacity", s.superCapacity());
        positive(problems, "regional capacity", s.regionalCapacity());
        positive(problems, "local capacity", s.localCapacity());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid bootstrap topology: " + String.join("; ", problems));
        }
    }

    private static void range(List<String> problems, String what, int value, int min, int max, Bounds b) {
        if (value < min || value > max) {
            problems.add(what + " must be " + (min == max ? String.valueOf(min) : min + "-" + max) + " ("
                    + b.name().toLowerCase(Locale.ROOT).replace('_', '-') + " bounds), got " + value);
        }
    }

    private static void positive(List<String> problems, String what, int value) {
        if (value < 1) {
            problems.add(what + " must be at least 1, got " + value);
        }
    }

    /** What this was built from. */
    public Spec spec() {
        return spec;
    }

    /** Every node: supers, regionals, locals, each in order. */
    public List<TopologyNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The node with this name. */
    public Optional<TopologyNode> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    /** The nodes of one level, in order. */
    public List<TopologyNode> level(NodeRole level) {
        return nodes.values().stream().filter(n -> n.level() == level).toList();
    }

    /** The children of a node, in order. */
    public List<TopologyNode> children(String name) {
        return nodes.values().stream().filter(n -> n.parent().equals(name)).toList();
    }

    /** True when the tier has no locals (the seed's two levels: workers join regionals directly). */
    public boolean twoLevel() {
        return spec.locals() == 0;
    }

    /** Regions, in attachment order. */
    public List<String> regions() {
        return spec.regions();
    }

    /** Every node as a {@link BootstrapNode} with no load yet, as a view at {@code nowMillis}. */
    public TierView initialView(long nowMillis) {
        List<BootstrapNode> list = nodes.values().stream().map(TopologyNode::asBootstrapNode).toList();
        return new TierView(list, nowMillis);
    }
}
