package io.cqkd.dht.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One generator run: what to deploy, in which formats, into which directory.
 *
 * @param spec    the topology and its resources
 * @param formats output formats, without duplicates, in the order given
 * @param out     output directory (created when missing)
 */
public record DeployRequest(DeploymentSpec spec, List<DeployFormat> formats, Path out) {
    /** Copies; rejects nulls and an empty format list. */
    public DeployRequest {
        Objects.requireNonNull(spec, "spec");
        formats = List.copyOf(formats);
        Objects.requireNonNull(out, "out");
        if (formats.isEmpty()) {
            throw new DeployException("--format needs at least one of compose, swarm, k8s");
        }
    }
}
