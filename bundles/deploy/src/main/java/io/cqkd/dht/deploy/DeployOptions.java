package io.cqkd.dht.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cqkd.dht.api.NodeRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The generator's options, shared by {@code bin/cqkd-deploy} and {@code deploy:generate}: option
 * values (by name, without the leading {@code --}) into a {@link DeployRequest}, and the topology
 * file format.
 *
 * <p>Topology file ({@code --topology FILE}, YAML; every key optional, defaults as the options):
 * <pre>
 * supers: 4
 * regionals: 8
 * locals: 32
 * workers: 1000
 * regions: [east, west, north, south]
 * image: cqkd-dht-node:latest
 * force: false
 * resources:
 *   super:  {limits: {memory: 512M, cpus: 0.5}, reservations: {memory: 256M, cpus: 0.25}}
 *   worker: {limits: {memory: 256M}, reservations: {memory: 128M}}
 * </pre>
 */
public final class DeployOptions {
    /** Options that take a value. */
    public static final List<String> VALUE_OPTIONS = List.of("supers", "regionals", "locals", "workers", "regions",
            "image", "format", "out", "topology", "limits", "reservations");
    /** Options without a value. */
    public static final List<String> FLAGS = List.of("force", "help");
    /** The options that describe the topology, which {@code --topology} replaces. */
    static final List<String> TOPOLOGY_OPTIONS = List.of("supers", "regionals", "locals", "workers", "regions",
            "image", "limits", "reservations");
    private static final Set<String> FILE_KEYS = Set.of("supers", "regionals", "locals", "workers", "regions", "image",
            "force", "resources");
    private static final List<NodeRole> LEVELS = List.of(NodeRole.SUPER, NodeRole.REGIONAL, NodeRole.LOCAL,
            NodeRole.WORKER);

    /** Usage text of the command line. */
    public static final String USAGE = String.join("\n",
            "usage: cqkd-deploy [--supers N] [--regionals N] [--locals N] [--workers N] [--regions east,west,...]",
            "                   [--image NAME] [--limits LEVEL=MEM[/CPUS],...] [--reservations LEVEL=MEM[/CPUS],...]",
            "                   [--force] [--format compose|swarm|k8s[,...]] --out DIR",
            "       cqkd-deploy --topology FILE [--force] [--format ...] --out DIR",
            "",
            "Generates deployment manifests for a CQKD bootstrap tier and its workers. Defaults are the seed's:",
            "4 supers, 8 regionals, 32 locals, regions east,west,north,south, 1000 workers, image cqkd-dht-node:latest,",
            "limits super=512M/0.5 regional=384M/0.5 local=256M/0.25 worker=256M, reservations super=256M/0.25",
            "regional=192M/0.25 local=128M/0.1 worker=128M. Counts must be within the seed's limits (supers 2-4,",
            "regionals 8-16, locals 32-64) unless --force (1-4, 1-16, 1-64); workers 0-1000 (ports 7000-7999).",
            "--format (default compose): compose -> docker-compose.yml, swarm -> docker-stack.yml,",
            "k8s -> cqkd-{super,regional,local,worker}.yaml + kustomization.yaml. Everything is validated before",
            "anything is written; an invalid topology writes nothing. Exit status: 0 ok, 2 invalid input, 1 write failed.");

    private DeployOptions() {
    }

    /**
     * Command-line arguments into option values: {@code --name value}, {@code --name=value}, flags.
     *
     * @throws DeployException for an unknown option, a missing value or a repeated option
     */
    public static Map<String, String> parseArgs(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new DeployException("unexpected argument '" + a + "' (options start with --; try --help)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (FLAGS.contains(name)) {
                if (value != null && !value.equals("true") && !value.equals("false")) {
                    throw new DeployException("--" + name + " takes no value, got '" + value + "'");
                }
                value = value == null ? "true" : value;
            } else if (VALUE_OPTIONS.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new DeployException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
            } else {
                throw new DeployException("unknown option --" + name + " (try --help)");
            }
            if (values.put(name, value) != null) {
                throw new DeployException("--" + name + " is given twice");
            }
        }
        return values;
    }

    /**
     * Option values into a request; blank values count as absent.
     *
     * @throws DeployException for a bad value or a bad topology file (the topology itself is
     *                         validated by {@link Deployment#plan})
     */
    public static DeployRequest request(Map<String, String> values) {
        Map<String, String> v = new LinkedHashMap<>();
        values.forEach((k, val) -> {
            if (val != null && !val.isBlank()) {
                v.put(k, val.trim());
            }
        });
        DeploymentSpec spec = DeploymentSpec.seed();
        if (v.containsKey("topology")) {
            List<String> both = TOPOLOGY_OPTIONS.stream().filter(v::containsKey).map(o -> "--" + o).toList();
            if (!both.isEmpty()) {
                throw new DeployException("give --topology or " + String.join(", ", both) + ", not both");
            }
            spec = readTopology(Path.of(v.get("topology")));
        } else {
            spec = spec.withCounts(
                    count(v, "supers", spec.supers()), count(v, "regionals", spec.regionals()),
                    count(v, "locals", spec.locals()), count(v, "workers", spec.workers()));
            if (v.containsKey("regions")) {
                spec = spec.withRegions(regions("--regions", Arrays.asList(v.get("regions").split(",", -1))));
            }
            if (v.containsKey("image")) {
                spec = spec.withImage(v.get("image"));
            }
            spec = spec.withResources(resources(spec.resources(), v.get("limits"), v.get("reservations")));
        }
        if (Boolean.parseBoolean(v.getOrDefault("force", "false"))) {
            spec = spec.withForce(true);
        }
        Set<DeployFormat> formats = new LinkedHashSet<>();
        for (String f : v.getOrDefault("format", "compose").split(",", -1)) {
            formats.add(DeployFormat.parse(f));
        }
        if (!v.containsKey("out")) {
            throw new DeployException("--out DIR is required");
        }
        return new DeployRequest(spec, new ArrayList<>(formats), Path.of(v.get("out")));
    }

    private static int count(Map<String, String> v, String name, int fallback) {
        String t = v.get(name);
        if (t == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new DeployException("--" + name + " must be an integer, got '" + t + "'");
        }
    }

    private static List<String> regions(String what, List<String> names) {
        List<String> out = new ArrayList<>();
        for (String r : names) {
            out.add(r.trim());
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw new DeployException(what + " has an empty region name: '" + String.join(",", names) + "'");
        }
        return out;
    }

    /** Applies {@code LEVEL=MEM[/CPUS],...} limits and reservations to {@code base}. */
    static Map<NodeRole, ResourceSpec> resources(Map<NodeRole, ResourceSpec> base, String limits, String reservations) {
        Map<NodeRole, ResourceSpec> r = new EnumMap<>(base);
        Map<NodeRole, int[]> lim = levelValues("--limits", limits);
        Map<NodeRole, int[]> res = levelValues("--reservations", reservations);
        for (NodeRole level : LEVELS) {
            ResourceSpec s = r.get(level);
            int[] l = lim.get(level);
            int[] q = res.get(level);
            try {
                if (l != null && q != null) {
                    s = new ResourceSpec(l[0], l[1], q[0], q[1]);
                } else if (l != null) {
                    s = s.withLimit(l[0], l[1]);
                } else if (q != null) {
                    s = s.withReservation(q[0], q[1]);
                }
            } catch (DeployException e) {
                throw new DeployException(level.configName() + ": " + e.getMessage());
            }
            r.put(level, s);
        }
        return r;
    }

    private static Map<NodeRole, int[]> levelValues(String option, String text) {
        Map<NodeRole, int[]> out = new EnumMap<>(NodeRole.class);
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new DeployException(option + " entries are LEVEL=MEM[/CPUS] (e.g. super=512M/0.5), got '" + part + "'");
            }
            NodeRole level = level(option, part.substring(0, eq).trim());
            String[] mc = part.substring(eq + 1).split("/", -1);
            if (mc.length > 2) {
                throw new DeployException(option + " " + part + ": expected MEM or MEM/CPUS");
            }
            int mem = ResourceSpec.parseMemoryMiB(option + " " + level.configName() + " memory", mc[0]);
            int cpu = mc.length == 2 ? ResourceSpec.parseCpuMilli(option + " " + level.configName() + " CPUs", mc[1]) : 0;
            if (out.put(level, new int[] {mem, cpu}) != null) {
                throw new DeployException(option + " gives " + level.configName() + " twice");
            }
        }
        return out;
    }

    private static NodeRole level(String what, String text) {
        for (NodeRole l : LEVELS) {
            if (l.configName().equals(text.toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new DeployException(what + ": level must be super, regional, local or worker, got '" + text + "'");
    }

    /**
     * Reads a topology file (format in the class comment).
     *
     * @throws DeployException naming the file and the key at fault
     */
    public static DeploymentSpec readTopology(Path file) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new DeployException("cannot read topology file " + file + ": " + oneLine(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new DeployException("topology file " + file + " must be a YAML mapping (supers: 4, ...)");
        }
        String where = "topology file " + file + ": ";
        try {
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!FILE_KEYS.contains(k)) {
                    throw new DeployException("unknown key '" + k + "' (known: " + String.join(", ",
                            FILE_KEYS.stream().sorted().toList()) + ")");
                }
            }
            DeploymentSpec seed = DeploymentSpec.seed();
            DeploymentSpec spec = seed.withCounts(integer(root, "supers", seed.supers()),
                    integer(root, "regionals", seed.regionals()), integer(root, "locals", seed.locals()),
                    integer(root, "workers", seed.workers()));
            JsonNode regions = root.get("regions");
            if (regions != null) {
                List<String> names = new ArrayList<>();
                if (regions.isArray()) {
                    regions.forEach(n -> names.add(n.isTextual() ? n.asText() : n.toString()));
                } else if (regions.isTextual()) {
                    names.addAll(Arrays.asList(regions.asText().split(",", -1)));
                } else {
                    throw new DeployException("'regions' must be a list of names");
                }
                spec = spec.withRegions(regions("'regions'", names));
            }
            JsonNode image = root.get("image");
            if (image != null) {
                if (!image.isTextual()) {
                    throw new DeployException("'image' must be a string");
                }
                spec = spec.withImage(image.asText().trim());
            }
            JsonNode force = root.get("force");
            if (force != null) {
                if (!force.isBoolean()) {
                    throw new DeployException("'force' must be true or false");
                }
                spec = spec.withForce(force.asBoolean());
            }
            JsonNode res = root.get("resources");
            if (res != null) {
                spec = spec.withResources(fileResources(res, spec.resources()));
            }
            return spec;
        } catch (DeployException e) {
            throw new DeployException(where + e.getMessage(), e);
        }
    }

    private static int integer(JsonNode root, String key, int fallback) {
        JsonNode n = root.get(key);
        if (n == null) {
            return fallback;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new DeployException("'" + key + "' must be an integer, got " + n);
        }
        return n.asInt();
    }

    private static Map<NodeRole, ResourceSpec> fileResources(JsonNode res, Map<NodeRole, ResourceSpec> base) {
        if (!res.isObject()) {
            throw new DeployException("'resources' must map levels to {limits, reservations}");
        }
        StringBuilder limits = new StringBuilder();
        StringBuilder reservations = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = res.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            NodeRole level = level("'resources'", e.getKey());
            JsonNode v = e.getValue();
            if (!(v instanceof ObjectNode)) {
                throw new DeployException("'resources." + e.getKey() + "' must have limits and/or reservations");
            }
            for (Iterator<String> f = v.fieldNames(); f.hasNext(); ) {
                String k = f.next();
                if (!k.equals("limits") && !k.equals("reservations")) {
                    throw new DeployException("unknown key 'resources." + e.getKey() + "." + k
                            + "' (known: limits, reservations)");
                }
            }
            append(limits, level, v.get("limits"), "resources." + e.getKey() + ".limits");
            append(reservations, level, v.get("reservations"), "resources." + e.getKey() + ".reservations");
        }
        return resources(base, limits.toString(), reservations.toString());
    }

    private static void append(StringBuilder sb, NodeRole level, JsonNode n, String where) {
        if (n == null) {
            return;
        }
        if (!n.isObject() || n.get("memory") == null) {
            throw new DeployException("'" + where + "' needs memory (and optionally cpus)");
        }
        for (Iterator<String> f = n.fieldNames(); f.hasNext(); ) {
            String k = f.next();
            if (!k.equals("memory") && !k.equals("cpus")) {
                throw new DeployException("unknown key '" + where + "." + k + "' (known: memory, cpus)");
            }
        }
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(level.configName()).append('=').append(n.get("memory").asText());
        if (n.get("cpus") != null) {
            sb.append('/').append(n.get("cpus").asText());
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ");
    }
}
