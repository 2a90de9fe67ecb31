package io.cqkd.dht.deploy;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.TopologyNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code docker-compose.yml} (one host) and {@code docker-stack.yml} (Docker Swarm).
 *
 * <p>Compose: one service per bootstrap node and per worker, each publishing its own UDP port
 * (all on one host, so every published port is distinct), {@code depends_on} with
 * {@code condition: service_healthy} along the tier, limits and reservations under
 * {@code deploy.resources}.
 *
 * <p>Swarm: the bootstrap services as above but without {@code depends_on} (the stack format
 * has no health conditions; nodes retry their bootstrap list instead) and with their port published
 * in {@code host} mode, plus one {@code worker} service with {@code replicas} = workers whose tasks
 * take their port from their slot ({@code TASK_SLOT={{.Task.Slot}}} feeding the slot strategy:
 * slot 1 gets 7000). Every service uses {@code endpoint_mode: dnsrr}: a DHT contact must be the
 * task's own address, never a virtual IP. Workers publish nothing: they are reached over the
 * overlay network at their task address.
 */
final class ComposeRenderer {
    /** The Compose file. */
    static final String COMPOSE_FILE = "docker-compose.yml";
    /** The Swarm stack file. */
    static final String STACK_FILE = "docker-stack.yml";
    /** The network every service joins. */
    static final String NETWORK = "cqkd";
    /** The Swarm worker service. */
    static final String SWARM_WORKER_SERVICE = "worker";

    private ComposeRenderer() {
    }

    /** The Compose file. */
    static String compose(Deployment d) {
        Map<String, Object> services = new LinkedHashMap<>();
        for (TopologyNode n : d.bootstrapNodes()) {
            Map<String, Object> s = service(d, "cqkd-" + n.name());
            s.put("environment", bootstrapEnv(d, n));
            s.put("ports", Yaml.list(n.port() + ":" + n.port() + "/udp"));
            List<TopologyNode> after = d.dependsOn(n);
            if (!after.isEmpty()) {
                s.put("depends_on", healthy(after.stream().map(TopologyNode::name).toList()));
            }
            services.put(n.name(), finish(s, d.resources(n.level())));
        }
        for (Deployment.Worker w : d.workers()) {
            Map<String, Object> s = service(d, "cqkd-" + w.name());
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("DHT_PORT", Integer.toString(w.port()));
            env.put("WORKER_ID", Integer.toString(w.id()));
            env.put("NODE_ID", w.name());
            env.put("REGION", w.local().region());
            env.put("BOOTSTRAP_NODES", w.local().name() + ":" + w.local().port());
            s.put("environment", env);
            s.put("ports", Yaml.list(w.port() + ":" + w.port() + "/udp"));
            s.put("depends_on", healthy(List.of(w.local().name())));
            services.put(w.name(), finish(s, d.resources(NodeRole.WORKER)));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("services", services);
        doc.put("networks", Yaml.map(NETWORK, Yaml.map("driver", "bridge")));
        return header(d, "Docker Compose, one host: docker-compose up -d") + Yaml.write(doc);
    }

    /** The Swarm stack file. */
    static String swarm(Deployment d) {
        Map<String, Object> services = new LinkedHashMap<>();
        for (TopologyNode n : d.bootstrapNodes()) {
            Map<String, Object> s = service(d, null);
            s.put("environment", bootstrapEnv(d, n));
            s.put("ports", Yaml.list(Yaml.map("target", n.port(), "published", n.port(), "protocol", "udp",
                    "mode", "host")));
            Map<String, Object> deploy = swarmDeploy(1, d.resources(n.level()));
            s.put("networks", Yaml.list(NETWORK));
            s.put("healthcheck", healthcheck());
            s.put("deploy", deploy);
            services.put(n.name(), s);
        }
        if (!d.workers().isEmpty()) {
            Map<String, Object> s = service(d, null);
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("TASK_SLOT", "{{.Task.Slot}}");
            env.put("WORKER_ID", "{{.Task.Slot}}");
            env.put("NODE_ID", "worker-{{.Task.Slot}}");
            env.put("BOOTSTRAP_NODES", d.topology().level(NodeRole.LOCAL).stream()
                    .map(l -> l.name() + ":" + l.port()).collect(Collectors.joining(",")));
            s.put("environment", env);
            s.put("networks", Yaml.list(NETWORK));
            s.put("healthcheck", healthcheck());
            Map<String, Object> deploy = swarmDeploy(d.workers().size(), d.resources(NodeRole.WORKER));
            deploy.put("update_config", Yaml.map("parallelism", 50, "order", "stop-first"));
            s.put("deploy", deploy);
            services.put(SWARM_WORKER_SERVICE, s);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", "3.8");
        doc.put("services", services);
        doc.put("networks", Yaml.map(NETWORK, Yaml.map("driver", "overlay", "attachable", true)));
        return header(d, "Docker Swarm stack: docker stack deploy -c " + STACK_FILE + " cqkd") + Yaml.write(doc);
    }

    /** The environment of a bootstrap node, in the seed's order; {@code BOOTSTRAP_NODES} by service name. */
    static Map<String, Object> bootstrapEnv(Deployment d, TopologyNode n) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("DHT_PORT", Integer.toString(n.port()));
        env.put("NODE_ID", n.name());
        env.put("BOOTSTRAP_LEVEL", n.level().configName());
        if (!n.region().isEmpty()) {
            env.put("REGION", n.region());
        }
        List<TopologyNode> joins = d.joins(n);
        if (!joins.isEmpty()) {
            env.put("BOOTSTRAP_NODES", joins.stream().map(j -> j.name() + ":" + j.port()).collect(Collectors.joining(",")));
        }
        env.put("MAX_CONNECTIONS", Integer.toString(n.capacity()));
        return env;
    }

    private static Map<String, Object> service(Deployment d, String containerName) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("image", d.image());
        if (containerName != null) {
            s.put("container_name", containerName);
        }
        return s;
    }

    private static Map<String, Object> finish(Map<String, Object> s, ResourceSpec r) {
        s.put("networks", Yaml.list(NETWORK));
        s.put("healthcheck", healthcheck());
        s.put("restart", "unless-stopped");
        s.put("deploy", Yaml.map("resources", resources(r)));
        return s;
    }

    private static Map<String, Object> healthy(List<String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, Yaml.map("condition", "service_healthy"));
        }
        return m;
    }

    static Map<String, Object> healthcheck() {
        return Yaml.map("test", Yaml.list("CMD", ContainerLayout.HEALTH_COMMAND),
                "interval", ContainerLayout.HEALTH_INTERVAL_SECONDS + "s",
                "timeout", ContainerLayout.HEALTH_TIMEOUT_SECONDS + "s",
                "retries", ContainerLayout.HEALTH_RETRIES,
                "start_period", ContainerLayout.HEALTH_START_PERIOD_SECONDS + "s");
    }

    private static Map<String, Object> swarmDeploy(int replicas, ResourceSpec r) {
        Map<String, Object> deploy = new LinkedHashMap<>();
        deploy.put("mode", "replicated");
        deploy.put("replicas", replicas);
        deploy.put("endpoint_mode", "dnsrr");
        deploy.put("resources", resources(r));
        deploy.put("restart_policy", Yaml.map("condition", "on-failure", "delay", "5s"));
        return deploy;
    }

    private static Map<String, Object> resources(ResourceSpec r) {
        Map<String, Object> limits = new LinkedHashMap<>();
        if (r.cpuLimitMilli() > 0) {
            limits.put("cpus", ResourceSpec.cpus(r.cpuLimitMilli()));
        }
        limits.put("memory", ResourceSpec.dockerMemory(r.memoryLimitMiB()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("limits", limits);
        Map<String, Object> reservations = new LinkedHashMap<>();
        if (r.cpuReservationMilli() > 0) {
            reservations.put("cpus", ResourceSpec.cpus(r.cpuReservationMilli()));
        }
        if (r.memoryReservationMiB() > 0) {
            reservations.put("memory", ResourceSpec.dockerMemory(r.memoryReservationMiB()));
        }
        if (!reservations.isEmpty()) {
            out.put("reservations", reservations);
        }
        return out;
    }

    static String header(Deployment d, String how) {
        List<String> lines = new ArrayList<>();
        lines.add("# Generated by cqkd-deploy: do not edit, regenerate.");
        lines.add("# " + d.summary());
        lines.add("# " + how);
        return String.join("\n", lines) + "\n";
    }
}
