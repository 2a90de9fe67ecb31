package io.cqkd.dht.tier.embedded;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.Topology;
import io.cqkd.dht.tier.model.TopologyNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The node configurations of an embedded network: pure, no OSGi. Names, levels, regions,
 * parents and capacities come from {@link Topology} ({@link Topology.Bounds#EMBEDDED}); ports
 * keep the seed's layout shifted to {@code basePort}. Who joins whom follows docs/deployment.md:
 * super k the supers before it; a regional its parent super, then the other supers; a local its
 * parent regional, then the other regionals of its region; worker i its local (workers spread
 * evenly and contiguously over the locals in order).
 *
 * @param supers           super nodes
 * @param regionals        regional nodes
 * @param locals           local nodes
 * @param workers          workers
 * @param regions          regions, in attachment order
 * @param host             bind and advertised host
 * @param basePort         sb-primary's port
 * @param workerBasePort   -1 allocate (port=-1, workerId=i), 0 ephemeral, N explicit N+i-1
 * @param tierReportMillis bootstrap nodes' load-report period
 */
public record EmbeddedPlan(int supers, int regionals, int locals, int workers, List<String> regions, String host,
                           int basePort, int workerBasePort, long tierReportMillis) {
    /** Default counts: the one-container network. */
    public static final int DEFAULT_SUPERS = 2;
    /** Default regionals. */
    public static final int DEFAULT_REGIONALS = 4;
    /** Default locals. */
    public static final int DEFAULT_LOCALS = 8;
    /** Default workers. */
    public static final int DEFAULT_WORKERS = 64;
    /** Most workers. */
    public static final int MAX_WORKERS = 1000;
    /** Default host. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default base port (the seed's). */
    public static final int DEFAULT_BASE_PORT = Topology.SUPER_BASE_PORT;
    /** Default report period of the embedded bootstrap nodes. */
    public static final long DEFAULT_REPORT_MILLIS = 2_000;
    /** Node factory PID. */
    public static final String NODE_FACTORY_PID = "io.cqkd.dht.node";
    /** Property marking a node configuration as created by the embedded network. */
    public static final String OWNER_PROPERTY = "embedded.owner";

    /** Validates what Topology does not: workers, ports, period. */
    public EmbeddedPlan {
        regions = List.copyOf(regions);
        Objects.requireNonNull(host, "host");
        List<String> problems = new ArrayList<>();
        if (workers < 0 || workers > MAX_WORKERS) {
            problems.add("workers must be 0-" + MAX_WORKERS + ", got " + workers);
        }
        int span = Topology.LOCAL_BASE_PORT - Topology.SUPER_BASE_PORT + Math.max(locals, 0);
        if (basePort < 1 || basePort + span - 1 > 65535) {
            problems.add("basePort " + basePort + " leaves no room for the bootstrap nodes (1-" + (65536 - span) + ")");
        }
        if (workerBasePort < -1 || workerBasePort > 0 && workerBasePort + workers - 1 > 65535) {
            problems.add("workerBasePort must be -1, 0 or a port with room for " + workers + " workers, got "
                    + workerBasePort);
        }
        if (tierReportMillis < 100) {
            problems.add("tierReportMillis must be >= 100, got " + tierReportMillis);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** The plan of a configuration. */
    static EmbeddedPlan of(EmbeddedConfig c) {
        return new EmbeddedPlan(c.supers(), c.regionals(), c.locals(), c.workers(), regions(c.regions()), c.host(),
                c.basePort(), c.workerBasePort(), c.tierReportMillis());
    }

    /** Regions from a multi-value attribute whose entries may themselves be comma-separated (a .cfg string). */
    static List<String> regions(String[] values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String r : v.split(",")) {
                    if (!r.isBlank()) {
                        out.add(r.trim());
                    }
                }
            }
        }
        return out;
    }

    /** The tier (validated; names every problem). */
    public Topology topology() {
        return Topology.build(Topology.Spec.seed().withCounts(supers, regionals, locals).withRegions(regions)
                .withHost(host).withBounds(Topology.Bounds.EMBEDDED));
    }

    /** Port of a topology node with the layout shifted to {@link #basePort}. */
    public int portOf(TopologyNode n) {
        return n.port() - Topology.SUPER_BASE_PORT + basePort;
    }

    /**
     * Every node's configuration properties by node name, in start order (supers, regionals,
     * locals, workers). Each carries {@value #OWNER_PROPERTY}=true.
     */
    public Map<String, Map<String, Object>> nodes() {
        Topology t = topology();
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        List<TopologyNode> supersList = t.level(NodeRole.SUPER);
        List<TopologyNode> regionalsList = t.level(NodeRole.REGIONAL);
        List<TopologyNode> localsList = t.level(NodeRole.LOCAL);
        for (int i = 0; i < supersList.size(); i++) {
            List<String> boot = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                boot.add(address(supersList.get(j)));
            }
            out.put(supersList.get(i).name(), bootstrapNode(supersList.get(i), boot));
        }
        for (TopologyNode r : regionalsList) {
            List<String> boot = new ArrayList<>();
            TopologyNode parent = t.node(r.parent()).orElseThrow();
            boot.add(address(parent));
            supersList.stream().filter(s -> s != parent).forEach(s -> boot.add(address(s)));
            out.put(r.name(), bootstrapNode(r, boot));
        }
        for (TopologyNode l : localsList) {
            List<String> boot = new ArrayList<>();
            TopologyNode parent = t.node(l.parent()).orElseThrow();
            boot.add(address(parent));
            regionalsList.stream().filter(r -> r != parent && r.region().equals(l.region()))
                    .forEach(r -> boot.add(address(r)));
            out.put(l.name(), bootstrapNode(l, boot));
        }
        for (int i = 1; i <= workers; i++) {
            TopologyNode local = localsList.get((int) ((long) (i - 1) * localsList.size() / workers));
            Map<String, Object> p = common("worker-" + i, NodeRole.WORKER, local.region());
            p.put("port", workerBasePort < 0 ? -1 : workerBasePort == 0 ? 0 : workerBasePort + i - 1);
            p.put("workerId", i);
            p.put("bootstrap", new String[] {address(local)});
            p.put("expectedWorkers", workers);
            out.put("worker-" + i, p);
        }
        return out;
    }

    private Map<String, Object> bootstrapNode(TopologyNode n, List<String> bootstrap) {
        Map<String, Object> p = common(n.name(), n.level(), n.region());
        p.put("port", portOf(n));
        p.put("bootstrap", bootstrap.toArray(String[]::new));
        p.put("maxConnections", n.capacity());
        p.put("tierReportMillis", tierReportMillis);
        return p;
    }

    private Map<String, Object> common(String name, NodeRole role, String region) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("role", role.configName());
        p.put("region", region);
        p.put("bindHost", host);
        p.put("nodeId", name); // hashed with SHA-1: the same id after every restart
        p.put(OWNER_PROPERTY, Boolean.TRUE);
        return p;
    }

    private String address(TopologyNode n) {
        return host + ":" + portOf(n);
    }
}
