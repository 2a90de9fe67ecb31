package io.cqkd.dht.core.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the container-wide UDP runtime: PID {@value #PID} (file {@code io.cqkd.dht.runtime.cfg}). */
@ObjectClassDefinition(id = RuntimeConfig.PID, name = "CQKD DHT runtime",
        description = "Event loops shared by every DHT node of the container, and cluster-wide defaults. "
                + "A change restarts the runtime and with it every node.")
public @interface RuntimeConfig {
    /** The singleton PID. */
    String PID = "io.cqkd.dht.runtime";

    @AttributeDefinition(name = "Event-loop threads", description = "Threads shared by all nodes' sockets and "
            + "engines; 0 = one per available processor.")
    int threads() default 0;

    @AttributeDefinition(name = "Socket receive buffer (bytes)", description = "SO_RCVBUF of each node's socket; "
            + "0 = the OS default. Keep it modest when running thousands of nodes.")
    int receiveBufferBytes() default 256 * 1024;

    @AttributeDefinition(name = "Prefer epoll", description = "Use the native epoll transport when available "
            + "(Linux x86_64); false forces NIO.")
    boolean preferEpoll() default true;

    @AttributeDefinition(name = "Default cluster key", type = AttributeType.PASSWORD, description = "Cluster key for "
            + "nodes that configure none (at least 16 characters); empty for no authentication.")
    String clusterKey() default "";

    @AttributeDefinition(name = "Timestamp window (s)", description = "Accepted clock difference of authenticated "
            + "datagrams; older or newer ones are dropped as stale (replay protection).")
    int timestampWindowSeconds() default 30;

    @AttributeDefinition(name = "Data directory", required = false, description = "Where each node keeps its id "
            + "and a snapshot of its routing table across restarts (<dir>/<node>.json), so a restarted container "
            + "rejoins from its old neighbours. Empty: the framework property cqkd.dataDir (the distribution sets "
            + "${app.home}/data); when that is unset too, nothing is kept.")
    String dataDir() default "";
}
