package io.cqkd.dht.core.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of one DHT node: factory PID {@value #PID}, one factory configuration per node
 * (FileInstall file {@code io.cqkd.dht.node-<name>.cfg}). Defaults are the engine's documented
 * defaults ({@code EngineConfig.defaults()}).
 */
@ObjectClassDefinition(id = NodeConfig.PID, name = "CQKD DHT node",
        description = "One Kademlia node of the CQKD DHT. Create one factory configuration per node; "
                + "a container can run one node or thousands.")
public @interface NodeConfig {
    /** The factory PID. */
    String PID = "io.cqkd.dht.node";

    /** Web-console hint for the name of a new factory configuration. */
    String webconsole_configurationFactory_nameHint() default "{name} ({role}, port {port})";

    @AttributeDefinition(name = "Name", description = "Name of the node, unique in the container (shell, logs, "
            + "port registry). Empty: the factory configuration's name (the part after the first '-' of the .cfg file).")
    String name() default "";

    @AttributeDefinition(name = "Role", description = "What the node is in the CQKD network. "
            + "BOOTSTRAP_LEVEL overrides it when useEnvironment is true.",
            options = {@Option(label = "Super bootstrap node", value = "super"),
                    @Option(label = "Regional bootstrap node", value = "regional"),
                    @Option(label = "Local bootstrap node", value = "local"),
                    @Option(label = "Worker", value = "worker"),
                    @Option(label = "Special protocol node (Alice, Bob ...)", value = "special")})
    String role() default "worker";

    @AttributeDefinition(name = "Region", description = "Region name announced in the node record, at most 32 "
            + "characters; empty for none. REGION overrides it when useEnvironment is true.")
    String region() default "";

    @AttributeDefinition(name = "Capabilities", description = "Capability tags announced in the node record "
            + "(at most 8, 1-32 characters each); a comma-separated list is accepted too.")
    String[] capabilities() default {};

    @AttributeDefinition(name = "Bind host", description = "Local address the UDP socket binds to; 0.0.0.0 for all "
            + "IPv4 interfaces, :: for all IPv6 interfaces.")
    String bindHost() default "0.0.0.0";

    @AttributeDefinition(name = "Advertised host", description = "Address the node shows as its own (status, "
            + "self contact). Empty: the bind host, or this host's address when binding a wildcard. Peers always "
            + "use the datagram's source address, so this never breaks routing.")
    String advertisedHost() default "";

    @AttributeDefinition(name = "Port", description = "UDP port. -1: allocate through the port-allocation service "
            + "(the node waits in WAITING_FOR_PORT until a strategy bundle provides it); 0: an ephemeral port "
            + "chosen by the OS; 1-65535: this port (through the allocation service when present, so it is "
            + "recorded in its registry). DHT_PORT overrides it when useEnvironment is true.")
    int port() default -1;

    @AttributeDefinition(name = "Worker id", description = "WORKER_ID, 1-based, used by slot-based port allocation; "
            + "0 for none. WORKER_ID overrides it when useEnvironment is true.")
    int workerId() default 0;

    @AttributeDefinition(name = "Node id", description = "40 hex digits; any other text is hashed with SHA-1. "
            + "Empty: a random id, kept for the life of this configuration. NODE_ID overrides it when "
            + "useEnvironment is true.")
    String nodeId() default "";

    @AttributeDefinition(name = "Bootstrap nodes", description = "host:port of nodes to join through, "
            + "comma-separated (IPv6 as [addr]:port). Empty: this node starts a network of its own. "
            + "BOOTSTRAP_NODES overrides it when useEnvironment is true.")
    String[] bootstrap() default {};

    @AttributeDefinition(name = "k", description = "Bucket size and replication factor (1-64).")
    int k() default 20;

    @AttributeDefinition(name = "alpha", description = "Lookup parallelism: requests in flight per lookup (1-k).")
    int alpha() default 3;

    @AttributeDefinition(name = "RPC timeout (ms)", description = "Time to wait for a response before retrying or failing.")
    long rpcTimeoutMillis() default 1000;

    @AttributeDefinition(name = "RPC retries", description = "Retries of a non-lookup RPC after a timeout (0-5).")
    int rpcRetries() default 1;

    @AttributeDefinition(name = "Lookup peer timeout (ms)", description = "After this a lookup stops waiting for a "
            + "peer and queries the next candidate (at most the RPC timeout).")
    long lookupPeerTimeoutMillis() default 500;

    @AttributeDefinition(name = "Lookup timeout (ms)", description = "Bound on a whole lookup.")
    long lookupTimeoutMillis() default 10_000;

    @AttributeDefinition(name = "Maintenance interval (ms)", description = "Period of the housekeeping tick "
            + "(expiry, bucket refresh, replication and republication jobs).")
    long maintenanceIntervalMillis() default 5_000;

    @AttributeDefinition(name = "Bootstrap recheck (ms)", description = "Partition healing: about this often a node "
            + "asks one bootstrap address (round-robin) for the contacts closest to its id, and looks itself up "
            + "when that names a node it did not know. One request per node per period. 0 disables.")
    long bootstrapRecheckMillis() default 60_000;

    @AttributeDefinition(name = "Replication period (ms)", description = "Every holder re-sends its values to the "
            + "current k closest this often. Must be below the republication period.")
    long replicateMillis() default 900_000;

    @AttributeDefinition(name = "Republication period (ms)", description = "The publisher re-stores its values this "
            + "often. Must be below the default TTL (24 h).")
    long republishMillis() default 3_600_000;

    @AttributeDefinition(name = "Tombstone TTL (ms)", description = "Shortest lifetime of the tombstone written by a delete.")
    long tombstoneTtlMillis() default 86_400_000;

    @AttributeDefinition(name = "Stored values limit", description = "Values and tombstones held for the network.")
    int maxStoredValues() default 16_384;

    @AttributeDefinition(name = "Cluster key", type = AttributeType.PASSWORD, description = "Shared secret (at least "
            + "16 characters). When set, every datagram carries a timestamp and an HMAC-SHA256, and datagrams "
            + "without a valid one are dropped. Empty: the runtime's default key (io.cqkd.dht.runtime), if any.")
    String clusterKey() default "";

    @AttributeDefinition(name = "Request rate per source", description = "Sustained requests per second accepted "
            + "from one source address and port.")
    double requestRatePerSecond() default 200;

    @AttributeDefinition(name = "Request burst per source", description = "Burst of requests accepted from one source.")
    int requestBurst() default 400;

    @AttributeDefinition(name = "Global request rate", description = "Sustained requests per second accepted from all sources.")
    double globalRequestRatePerSecond() default 20_000;

    @AttributeDefinition(name = "Global request burst", description = "Burst of requests accepted from all sources.")
    int globalRequestBurst() default 40_000;

    @AttributeDefinition(name = "Socket receive buffer (bytes)", description = "SO_RCVBUF of this node's socket. "
            + "0: the runtime's receiveBufferBytes, raised to 4 MiB for bootstrap roles (super, regional, local) "
            + "so a burst of joiners is not dropped by the kernel (the kernel caps it at net.core.rmem_max).")
    int receiveBufferBytes() default 0;

    @AttributeDefinition(name = "Max connections", description = "MAX_CONNECTIONS of the seed documents: sessions "
            + "a bootstrap node admits (used by the bootstrap tier); 0 for the tier's default.")
    int maxConnections() default 0;

    @AttributeDefinition(name = "Join through the tier", description = "Workers and special nodes: join through "
            + "the bootstrap tier (view, selection strategy, JOIN with referrals, lease renewal, LEAVE on stop) before "
            + "the Kademlia join. A node whose bootstrap nodes do not serve the tier joins by plain Kademlia. "
            + "Ignored by super, regional and local nodes.")
    boolean tierJoin() default true;

    @AttributeDefinition(name = "Expected workers", description = "The deployment's expected worker count (the seed's "
            + "worker_count), given to the selection strategy; adaptive picks direct up to 50, two-level up to 200, "
            + "three-level above. 0: unknown (small).")
    int expectedWorkers() default 0;

    @AttributeDefinition(name = "Selection strategy filter", description = "Target filter of the bootstrap-selection "
            + "strategy this node uses when it joins through the tier, e.g. (strategy=adaptive), (strategy=three-level). "
            + "Changing it, or stopping the strategy bundle, never restarts the node: its next join uses the new one; "
            + "with none bound it tries its bootstrap list in order.")
    String selector_target() default "(strategy=adaptive)";

    @AttributeDefinition(name = "Tier lease (ms)", description = "Bootstrap nodes: session lease they grant; clients "
            + "renew at a third of it.")
    long tierLeaseMillis() default 90_000;

    @AttributeDefinition(name = "Tier load report period (ms)", description = "Bootstrap nodes: how often they report "
            + "their load to their parent (supers: to their peers); a reporter silent for 3 periods is unhealthy.")
    long tierReportMillis() default 5_000;

    @AttributeDefinition(name = "Tier statistics period (ms)", description = "Bootstrap nodes: period of the "
            + "tier.load_stats log event. 0: the seed's (30 s super, 60 s regional and local).")
    long tierStatsMillis() default 0;

    @AttributeDefinition(name = "Use environment", description = "When true, the seed environment variables override "
            + "this configuration: DHT_PORT, NODE_ID, BOOTSTRAP_NODES, BOOTSTRAP_LEVEL (super|regional|local), "
            + "REGION, WORKER_ID, MAX_CONNECTIONS. Meant for one node per container.")
    boolean useEnvironment() default false;
}
