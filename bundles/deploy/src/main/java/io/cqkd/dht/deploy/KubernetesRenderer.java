package io.cqkd.dht.deploy;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.TopologyNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Kubernetes manifests: per tier level (super, regional, local) and for the workers a headless
 * Service and a StatefulSet, in {@code cqkd-<level>.yaml}, plus {@code kustomization.yaml} listing
 * them ({@code kubectl apply -k DIR}).
 *
 * <p><b>Per-pod settings of a bootstrap level.</b> A level's pods share one pod template, but each
 * bootstrap node has its own name, port, region and bootstrap list. The generator writes them into
 * a ConfigMap {@code cqkd-<level>-env} with one file per ordinal ({@code 0.env}, {@code 1.env},
 * ...: {@code KEY=value} lines, the same variables as the Compose services), mounted at
 * {@value ContainerLayout#TIER_ENV_DIR}. The container's command takes the ordinal from its pod
 * name ({@code POD_NAME} from the downward API, {@code cqkd-regional-3} -> 3), exports that file and
 * execs the launcher; a pod without a file (the StatefulSet scaled past the generated topology)
 * stops with one line saying so. The alternative, one StatefulSet per bootstrap node, gives 84
 * StatefulSets and Services for the seed's maximum and loses "one object per level".
 *
 * <p>Addresses: a pod is {@code cqkd-<level>-<ordinal>.cqkd-<level>} (the headless Service's DNS,
 * published before the pods are ready, so that nodes can join each other while starting). Workers
 * get no per-pod file: their port comes from the slot strategy fed by {@code POD_NAME}
 * ({@code cqkd-worker-17} -> 7017), {@code NODE_ID} is the pod name, and their bootstrap list is
 * every local. Worker pods declare no container port: the port differs per pod and a declared
 * port is informational for UDP without hostPort.
 */
final class KubernetesRenderer {
    /** The kustomization listing the files. */
    static final String KUSTOMIZATION = "kustomization.yaml";
    static final String APP = "cqkd";
    /** The container user of the image (numeric, so that runAsNonRoot can be verified). */
    static final long RUN_AS = 10001;

    private KubernetesRenderer() {
    }

    /** File name of a level's manifests. */
    static String fileOf(NodeRole level) {
        return "cqkd-" + level.configName() + ".yaml";
    }

    /** StatefulSet and Service name of a level. */
    static String setOf(NodeRole level) {
        return "cqkd-" + level.configName();
    }

    /** Every file, by name, in apply order. */
    static Map<String, String> render(Deployment d) {
        Map<String, String> files = new LinkedHashMap<>();
        List<Object> resources = new ArrayList<>();
        for (NodeRole level : List.of(NodeRole.SUPER, NodeRole.REGIONAL, NodeRole.LOCAL)) {
            files.put(fileOf(level), ComposeRenderer.header(d, "Kubernetes: kubectl apply -k <this directory>")
                    + Yaml.writeAll(bootstrapLevel(d, level)));
            resources.add(fileOf(level));
        }
        if (!d.workers().isEmpty()) {
            files.put(fileOf(NodeRole.WORKER), ComposeRenderer.header(d, "Kubernetes: kubectl apply -k <this directory>")
                    + Yaml.writeAll(workers(d)));
            resources.add(fileOf(NodeRole.WORKER));
        }
        files.put(KUSTOMIZATION, ComposeRenderer.header(d, "Kubernetes: kubectl apply -k <this directory>")
                + Yaml.write(Yaml.map("apiVersion", "kustomize.config.k8s.io/v1beta1", "kind", "Kustomization",
                "resources", resources)));
        return files;
    }

    /** The DNS name of a bootstrap node's pod. */
    static String podHost(Deployment d, TopologyNode n) {
        List<TopologyNode> level = d.topology().level(n.level());
        return setOf(n.level()) + "-" + level.indexOf(n) + "." + setOf(n.level());
    }

    /** The per-ordinal environment file of a bootstrap node. */
    static String envFile(Deployment d, TopologyNode n) {
        Map<String, Object> env = ComposeRenderer.bootstrapEnv(d, n);
        List<TopologyNode> joins = d.joins(n);
        if (!joins.isEmpty()) {
            env.put("BOOTSTRAP_NODES", joins.stream().map(j -> podHost(d, j) + ":" + j.port())
                    .collect(Collectors.joining(",")));
        }
        StringBuilder sb = new StringBuilder();
        env.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private static List<Object> bootstrapLevel(Deployment d, NodeRole level) {
        List<TopologyNode> nodes = d.topology().level(level);
        String name = setOf(level);
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            data.put(i + ".env", envFile(d, nodes.get(i)));
        }
        Map<String, Object> configMap = Yaml.map("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", metadata(name + "-env", level), "data", data);

        List<Object> servicePorts = new ArrayList<>();
        List<Object> containerPorts = new ArrayList<>();
        for (TopologyNode n : nodes) {
            servicePorts.add(Yaml.map("name", portName(n.port()), "port", n.port(), "targetPort", n.port(),
                    "protocol", "UDP"));
            containerPorts.add(Yaml.map("name", portName(n.port()), "containerPort", n.port(), "protocol", "UDP"));
        }
        String script = String.join("\n",
                "f=\"" + ContainerLayout.TIER_ENV_DIR + "/${POD_NAME##*-}.env\"",
                "if [ ! -r \"$f\" ]; then echo \"cqkd: no tier settings for pod $POD_NAME ($f): the StatefulSet has more"
                        + " replicas than the generated topology\" >&2; exit 64; fi",
                "set -a; . \"$f\"; set +a",
                "exec " + ContainerLayout.LAUNCHER + " --headless") + "\n";
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "node");
        container.put("image", d.image());
        container.put("command", Yaml.list("/bin/sh", "-c", script));
        container.put("env", Yaml.list(podNameEnv()));
        container.put("ports", containerPorts);
        container.put("resources", resources(d.resources(level)));
        probes(container);
        container.put("volumeMounts", Yaml.list(Yaml.map("name", "tier-env", "mountPath",
                ContainerLayout.TIER_ENV_DIR, "readOnly", true)));
        container.put("securityContext", containerSecurity());
        Map<String, Object> podSpec = podSpec(container);
        podSpec.put("volumes", Yaml.list(Yaml.map("name", "tier-env", "configMap", Yaml.map("name", name + "-env"))));
        // supers start one after the other (sb-secondary joins sb-primary); other levels in parallel
        return List.of(configMap, service(level, servicePorts),
                statefulSet(level, nodes.size(), level == NodeRole.SUPER ? "OrderedReady" : "Parallel", podSpec));
    }

    private static List<Object> workers(Deployment d) {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "node");
        container.put("image", d.image());
        container.put("args", Yaml.list("--headless"));
        container.put("env", Yaml.list(podNameEnv(),
                Yaml.map("name", "NODE_ID", "value", "$(POD_NAME)"),
                Yaml.map("name", "BOOTSTRAP_NODES", "value", d.topology().level(NodeRole.LOCAL).stream()
                        .map(l -> podHost(d, l) + ":" + l.port()).collect(Collectors.joining(",")))));
        container.put("resources", resources(d.resources(NodeRole.WORKER)));
        probes(container);
        container.put("securityContext", containerSecurity());
        return List.of(service(NodeRole.WORKER, List.of()),
                statefulSet(NodeRole.WORKER, d.workers().size(), "Parallel", podSpec(container)));
    }

    private static Map<String, Object> podNameEnv() {
        return Yaml.map("name", "POD_NAME", "valueFrom", Yaml.map("fieldRef", Yaml.map("fieldPath", "metadata.name")));
    }

    private static Map<String, Object> service(NodeRole level, List<Object> ports) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("clusterIP", "None");
        spec.put("publishNotReadyAddresses", true);
        spec.put("selector", selector(level));
        if (!ports.isEmpty()) {
            spec.put("ports", ports);
        }
        return Yaml.map("apiVersion", "v1", "kind", "Service", "metadata", metadata(setOf(level), level),
                "spec", spec);
    }

    private static Map<String, Object> statefulSet(NodeRole level, int replicas, String policy,
                                                   Map<String, Object> podSpec) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("serviceName", setOf(level));
        spec.put("replicas", replicas);
        spec.put("podManagementPolicy", policy);
        spec.put("selector", Yaml.map("matchLabels", selector(level)));
        spec.put("template", Yaml.map("metadata", Yaml.map("labels", labels(level)), "spec", podSpec));
        return Yaml.map("apiVersion", "apps/v1", "kind", "StatefulSet", "metadata", metadata(setOf(level), level),
                "spec", spec);
    }

    private static Map<String, Object> podSpec(Map<String, Object> container) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("terminationGracePeriodSeconds", 30);
        spec.put("securityContext", Yaml.map("runAsNonRoot", true, "runAsUser", RUN_AS, "runAsGroup", RUN_AS));
        spec.put("containers", Yaml.list(container));
        return spec;
    }

    private static void probes(Map<String, Object> container) {
        Map<String, Object> exec = Yaml.map("command", Yaml.list(ContainerLayout.HEALTH_COMMAND));
        container.put("readinessProbe", Yaml.map("exec", exec,
                "initialDelaySeconds", 10,
                "periodSeconds", ContainerLayout.HEALTH_INTERVAL_SECONDS,
                "timeoutSeconds", ContainerLayout.HEALTH_TIMEOUT_SECONDS,
                "failureThreshold", ContainerLayout.HEALTH_RETRIES));
        // liveness is the same check with more patience: a node that cannot rejoin for 2 minutes restarts
        container.put("livenessProbe", Yaml.map("exec", exec,
                "initialDelaySeconds", ContainerLayout.HEALTH_START_PERIOD_SECONDS,
                "periodSeconds", 20,
                "timeoutSeconds", ContainerLayout.HEALTH_TIMEOUT_SECONDS,
                "failureThreshold", 6));
    }

    private static Map<String, Object> containerSecurity() {
        return Yaml.map("allowPrivilegeEscalation", false, "capabilities", Yaml.map("drop", Yaml.list("ALL")));
    }

    private static Map<String, Object> resources(ResourceSpec r) {
        Map<String, Object> requests = new LinkedHashMap<>();
        if (r.cpuReservationMilli() > 0) {
            requests.put("cpu", ResourceSpec.k8sCpu(r.cpuReservationMilli()));
        }
        if (r.memoryReservationMiB() > 0) {
            requests.put("memory", ResourceSpec.k8sMemory(r.memoryReservationMiB()));
        }
        Map<String, Object> limits = new LinkedHashMap<>();
        if (r.cpuLimitMilli() > 0) {
            limits.put("cpu", ResourceSpec.k8sCpu(r.cpuLimitMilli()));
        }
        limits.put("memory", ResourceSpec.k8sMemory(r.memoryLimitMiB()));
        Map<String, Object> out = new LinkedHashMap<>();
        if (!requests.isEmpty()) {
            out.put("requests", requests);
        }
        out.put("limits", limits);
        return out;
    }

    private static Map<String, Object> metadata(String name, NodeRole level) {
        return Yaml.map("name", name, "labels", labels(level));
    }

    private static Map<String, Object> labels(NodeRole level) {
        Map<String, Object> l = selector(level);
        l.put("app.kubernetes.io/managed-by", "cqkd-deploy");
        return l;
    }

    private static Map<String, Object> selector(NodeRole level) {
        return Yaml.map("app.kubernetes.io/name", APP, "app.kubernetes.io/component", level.configName());
    }

    private static String portName(int port) {
        return String.format(Locale.ROOT, "udp-%d", port);
    }
}
