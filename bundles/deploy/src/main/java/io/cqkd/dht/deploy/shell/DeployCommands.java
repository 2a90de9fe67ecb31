package io.cqkd.dht.deploy.shell;

import io.cqkd.dht.deploy.DeployOptions;
import io.cqkd.dht.deploy.ManifestGenerator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;

/**
 * {@code deploy:generate}: the same generator and options as {@code bin/cqkd-deploy}, from the
 * Gogo shell. Thin: the options go to {@link DeployOptions#request}, the work to
 * {@link ManifestGenerator#generate}. A bad option or an invalid topology is an
 * {@link IllegalArgumentException} with a one-line message (Gogo prints it without a stack trace)
 * and nothing is written.
 */
@Component(service = DeployCommands.class, property = {
        "osgi.command.scope=deploy",
        "osgi.command.function=generate"})
public final class DeployCommands {

    @Descriptor("generate Docker Compose, Docker Swarm or Kubernetes manifests for a bootstrap tier and its workers"
            + " (validated completely before anything is written)")
    public String generate(
            @Descriptor("super bootstrap nodes (seed: 2-4, default 4)") @Parameter(names = "--supers", absentValue = "") String supers,
            @Descriptor("regional bootstrap nodes (seed: 8-16, default 8)") @Parameter(names = "--regionals", absentValue = "") String regionals,
            @Descriptor("local bootstrap nodes (seed: 32-64, default 32)") @Parameter(names = "--locals", absentValue = "") String locals,
            @Descriptor("workers, 0-1000 (ports 7000-7999; default 1000)") @Parameter(names = "--workers", absentValue = "") String workers,
            @Descriptor("regions, comma-separated (default east,west,north,south)") @Parameter(names = "--regions", absentValue = "") String regions,
            @Descriptor("container image (default cqkd-dht-node:latest)") @Parameter(names = "--image", absentValue = "") String image,
            @Descriptor("limits per level: LEVEL=MEM[/CPUS],... e.g. super=512M/0.5,worker=256M") @Parameter(names = "--limits", absentValue = "") String limits,
            @Descriptor("reservations per level: LEVEL=MEM[/CPUS],... e.g. super=256M/0.25") @Parameter(names = "--reservations", absentValue = "") String reservations,
            @Descriptor("topology file (YAML) instead of the count options") @Parameter(names = "--topology", absentValue = "") String topology,
            @Descriptor("allow counts outside the seed's limits (still within the port ranges)") @Parameter(names = "--force", presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("compose, swarm or k8s, or a comma list (default compose)") @Parameter(names = "--format", absentValue = "") String format,
            @Descriptor("output directory (required)") @Parameter(names = "--out", absentValue = "") String out) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("supers", supers);
        v.put("regionals", regionals);
        v.put("locals", locals);
        v.put("workers", workers);
        v.put("regions", regions);
        v.put("image", image);
        v.put("limits", limits);
        v.put("reservations", reservations);
        v.put("topology", topology);
        v.put("force", Boolean.toString(force));
        v.put("format", format);
        v.put("out", out);
        ManifestGenerator.Result r = ManifestGenerator.generate(DeployOptions.request(v));
        StringBuilder sb = new StringBuilder(r.summary());
        for (Path p : r.files()) {
            sb.append("\n  wrote ").append(p);
        }
        return sb.toString();
    }
}
