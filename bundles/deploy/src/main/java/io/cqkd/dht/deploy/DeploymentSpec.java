package io.cqkd.dht.deploy;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.Topology;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to deploy, as given on the command line or in a topology file, before validation
 * ({@link Deployment#plan} validates it).
 *
 * @param supers    super bootstrap nodes
 * @param regionals regional bootstrap nodes
 * @param locals    local bootstrap nodes
 * @param workers   workers (0 for the bootstrap tier alone)
 * @param regions   region names, in the tier's attachment order
 * @param image     container image of every node
 * @param resources limits and reservations per level (super, regional, local, worker)
 * @param force     allow counts outside the seed's limits (still within the port ranges)
 */
public record DeploymentSpec(int supers, int regionals, int locals, int workers, List<String> regions, String image,
                             Map<NodeRole, ResourceSpec> resources, boolean force) {
    /** The seed's image name. */
    public static final String DEFAULT_IMAGE = "cqkd-dht-node:latest";
    /** Workers in the seed's scenario (1000+, capped by the worker port range 7000-7999). */
    public static final int DEFAULT_WORKERS = 1000;

    /** Copies; fills a missing level's resources with its default. */
    public DeploymentSpec {
        regions = List.copyOf(regions);
        Objects.requireNonNull(image, "image");
        EnumMap<NodeRole, ResourceSpec> r = new EnumMap<>(NodeRole.class);
        r.putAll(defaultResources());
        r.putAll(resources);
        resources = Collections.unmodifiableMap(r);
    }

    /** The seed's deployment: the tier's defaults (4 supers, 8 regionals, 32 locals, east/west/north/south), 1000 workers. */
    public static DeploymentSpec seed() {
        Topology.Spec t = Topology.Spec.seed();
        return new DeploymentSpec(t.supers(), t.regionals(), t.locals(), DEFAULT_WORKERS, t.regions(), DEFAULT_IMAGE,
                Map.of(), false);
    }

    /** Default limits and reservations per level. */
    public static Map<NodeRole, ResourceSpec> defaultResources() {
        EnumMap<NodeRole, ResourceSpec> r = new EnumMap<>(NodeRole.class);
        r.put(NodeRole.SUPER, ResourceSpec.SUPER_DEFAULT);
        r.put(NodeRole.REGIONAL, ResourceSpec.REGIONAL_DEFAULT);
        r.put(NodeRole.LOCAL, ResourceSpec.LOCAL_DEFAULT);
        r.put(NodeRole.WORKER, ResourceSpec.WORKER_DEFAULT);
        return r;
    }

    /** This with other counts. */
    public DeploymentSpec withCounts(int supers, int regionals, int locals, int workers) {
        return new DeploymentSpec(supers, regionals, locals, workers, regions, image, resources, force);
    }

    /** This with other regions. */
    public DeploymentSpec withRegions(List<String> regions) {
        return new DeploymentSpec(supers, regionals, locals, workers, regions, image, resources, force);
    }

    /** This with another image. */
    public DeploymentSpec withImage(String image) {
        return new DeploymentSpec(supers, regionals, locals, workers, regions, image, resources, force);
    }

    /** This with other resources for some levels. */
    public DeploymentSpec withResources(Map<NodeRole, ResourceSpec> changed) {
        EnumMap<NodeRole, ResourceSpec> r = new EnumMap<>(NodeRole.class);
        r.putAll(resources);
        r.putAll(changed);
        return new DeploymentSpec(supers, regionals, locals, workers, regions, image, r, force);
    }

    /** This with {@code --force} on or off. */
    public DeploymentSpec withForce(boolean force) {
        return new DeploymentSpec(supers, regionals, locals, workers, regions, image, resources, force);
    }
}
