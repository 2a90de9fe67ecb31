package io.cqkd.dht.deploy;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.Topology;
import io.cqkd.dht.tier.model.TopologyNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A validated deployment: the bootstrap tier as the runtime builds it ({@link Topology}: the
 * seed's names, ports, regions and parents) plus the workers, each attached to a local. The
 * renderers only read this; every decision about who joins whom is made here, once, so the three
 * formats agree.
 *
 * <p>Who a node joins ({@code BOOTSTRAP_NODES}), first entry first:
 * <ul>
 *   <li>super {@code k}: the supers before it ({@code sb-secondary} joins {@code sb-primary}, as in
 *       the seed); the first super joins nobody;</li>
 *   <li>regional: its parent super, then the other supers (the seed gives the east regionals
 *       {@code sb-primary:5678,sb-secondary:5679});</li>
 *   <li>local: its parent regional, then the other regionals of its region;</li>
 *   <li>worker {@code i}: its local. Workers are spread evenly and contiguously over the locals in
 *       order (worker 1 .. first local), like the tier spreads locals over regionals.</li>
 * </ul>
 * A node starts after the one it attaches to ({@link #dependsOn}): a super after the supers before
 * it, every other node after its parent.
 */
public final class Deployment {
    /** First worker port (worker i gets 7000 + i - 1). */
    public static final int WORKER_BASE_PORT = 7000;
    /** Last worker port. */
    public static final int WORKER_LAST_PORT = 7999;
    /** Most workers: the size of the worker port range. */
    public static final int MAX_WORKERS = WORKER_LAST_PORT - WORKER_BASE_PORT + 1;
    /** Last port of the bootstrap range (5678-5761, 84 nodes). */
    public static final int BOOTSTRAP_LAST_PORT = 5761;

    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String DOMAIN_COMPONENT = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
    /** Docker's image reference grammar: [registry[:port]/]path[:tag][@sha256:digest]. */
    static final Pattern IMAGE = Pattern.compile("(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT
            + ")*(?::[0-9]{1,5})?/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
            + "(?:@sha256:[a-f0-9]{64})?");

    /**
     * One worker.
     *
     * @param name  {@code worker-i}
     * @param id    WORKER_ID, 1-based
     * @param port  7000 + id - 1
     * @param local the local bootstrap node it joins
     */
    public record Worker(String name, int id, int port, TopologyNode local) {
    }

    private final DeploymentSpec spec;
    private final Topology topology;
    private final List<Worker> workers;

    private Deployment(DeploymentSpec spec, Topology topology, List<Worker> workers) {
        this.spec = spec;
        this.topology = topology;
        this.workers = workers;
    }

    /**
     * Validates {@code spec} completely and plans the deployment.
     *
     * @throws DeployException one line listing every problem
     */
    public static Deployment plan(DeploymentSpec spec) {
        List<String> problems = new ArrayList<>();
        int superMax = Topology.REGIONAL_BASE_PORT - Topology.SUPER_BASE_PORT;
        int regionalMax = Topology.LOCAL_BASE_PORT - Topology.REGIONAL_BASE_PORT;
        int localMax = BOOTSTRAP_LAST_PORT - Topology.LOCAL_BASE_PORT + 1;
        if (spec.supers() < 1) {
            problems.add("at least one super node is needed, got " + spec.supers());
            if (spec.regionals() > 0) {
                problems.add("regional nodes need a super node to attach to");
            }
        }
        if (spec.regionals() < 1 && spec.locals() > 0) {
            problems.add("local nodes need a regional node to attach to");
        }
        fits(problems, "super nodes", spec.supers(), Topology.SUPER_BASE_PORT, superMax);
        fits(problems, "regional nodes", spec.regionals(), Topology.REGIONAL_BASE_PORT, regionalMax);
        fits(problems, "local nodes", spec.locals(), Topology.LOCAL_BASE_PORT, localMax);
        if (spec.workers() < 0) {
            problems.add("workers must be 0-" + MAX_WORKERS + ", got " + spec.workers());
        } else if (spec.workers() > MAX_WORKERS) {
            problems.add(spec.workers() + " workers do not fit the worker ports " + WORKER_BASE_PORT + "-"
                    + WORKER_LAST_PORT + " (at most " + MAX_WORKERS + ")");
        }
        if (spec.image().length() > 255 || !IMAGE.matcher(spec.image()).matches()) {
            problems.add("image '" + spec.image() + "' is not a valid image name ([registry/]name[:tag][@sha256:digest],"
                    + " lower-case name)");
        }
        if (!problems.isEmpty()) {
            throw new DeployException("invalid topology: " + String.join("; ", problems));
        }

        Topology.Spec seed = Topology.Spec.seed();
        Topology topology;
        try {
            topology = Topology.build(seed.withCounts(spec.supers(), spec.regionals(), spec.locals())
                    .withRegions(spec.regions())
                    .withBounds(spec.force() ? Topology.Bounds.EMBEDDED : Topology.Bounds.SEED));
        } catch (IllegalArgumentException e) {
            String hint = !spec.force() && e.getMessage().contains("(seed bounds)")
                    ? " (--force allows counts outside the seed's limits)" : "";
            throw new DeployException(e.getMessage() + hint, e);
        }
        List<TopologyNode> locals = topology.level(NodeRole.LOCAL);
        List<Worker> workers = new ArrayList<>(spec.workers());
        for (int i = 1; i <= spec.workers(); i++) {
            TopologyNode local = locals.get((int) ((long) (i - 1) * locals.size() / spec.workers()));
            workers.add(new Worker("worker-" + i, i, WORKER_BASE_PORT + i - 1, local));
        }
        return new Deployment(spec, topology, List.copyOf(workers));
    }

    private static void fits(List<String> problems, String what, int count, int base, int max) {
        if (count > max) {
            problems.add(count + " " + what + " do not fit the " + what.replace(" nodes", "") + " ports " + base + "-"
                    + (base + max - 1) + " (at most " + max + ")");
        } else if (count < 0) {
            problems.add(what + " must not be negative, got " + count);
        }
    }

    /** What this was planned from. */
    public DeploymentSpec spec() {
        return spec;
    }

    /** The bootstrap tier. */
    public Topology topology() {
        return topology;
    }

    /** Every bootstrap node: supers, regionals, locals, each in order. */
    public List<TopologyNode> bootstrapNodes() {
        return topology.nodes();
    }

    /** The workers, in order. */
    public List<Worker> workers() {
        return workers;
    }

    /** Limits and reservations of a level. */
    public ResourceSpec resources(NodeRole level) {
        return spec.resources().get(level);
    }

    /** The container image. */
    public String image() {
        return spec.image();
    }

    /** The node's parent, if it has one. */
    public Optional<TopologyNode> parent(TopologyNode node) {
        return node.parent().isEmpty() ? Optional.empty() : topology.node(node.parent());
    }

    /** Whom a bootstrap node joins, first choice first (see the class comment). */
    public List<TopologyNode> joins(TopologyNode node) {
        List<TopologyNode> out = new ArrayList<>();
        switch (node.level()) {
            case SUPER -> {
                for (TopologyNode s : topology.level(NodeRole.SUPER)) {
                    if (s.name().equals(node.name())) {
                        break;
                    }
                    out.add(s);
                }
            }
            case REGIONAL -> {
                TopologyNode parent = parent(node).orElseThrow();
                out.add(parent);
                topology.level(NodeRole.SUPER).stream().filter(s -> s != parent).forEach(out::add);
            }
            case LOCAL -> {
                TopologyNode parent = parent(node).orElseThrow();
                out.add(parent);
                topology.level(NodeRole.REGIONAL).stream()
                        .filter(r -> r != parent && r.region().equals(node.region())).forEach(out::add);
            }
            default -> throw new IllegalArgumentException("not a bootstrap node: " + node.name());
        }
        return out;
    }

    /** The nodes a bootstrap node starts after: a super after the supers before it, others after their parent. */
    public List<TopologyNode> dependsOn(TopologyNode node) {
        return node.level() == NodeRole.SUPER ? joins(node) : List.of(parent(node).orElseThrow());
    }

    /** One line describing the plan. */
    public String summary() {
        return String.format(Locale.ROOT, "%d supers, %d regionals, %d locals in regions %s, %d workers, image %s",
                topology.level(NodeRole.SUPER).size(), topology.level(NodeRole.REGIONAL).size(),
                topology.level(NodeRole.LOCAL).size(), String.join(",", topology.regions()), workers.size(),
                spec.image());
    }
}
