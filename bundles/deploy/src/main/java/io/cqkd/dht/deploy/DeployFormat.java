package io.cqkd.dht.deploy;

import java.util.Locale;

/** The output formats, each with the files it writes into the output directory. */
public enum DeployFormat {
    /** {@code docker-compose.yml}: one service per node, on one host. */
    COMPOSE("compose"),
    /** {@code docker-stack.yml}: a Docker Swarm stack, workers as one replicated service. */
    SWARM("swarm"),
    /** {@code cqkd-<level>.yaml} plus {@code kustomization.yaml}: StatefulSets and headless Services. */
    K8S("k8s");

    private final String optionName;

    DeployFormat(String optionName) {
        this.optionName = optionName;
    }

    /** The name used by {@code --format}. */
    public String optionName() {
        return optionName;
    }

    /**
     * Parses {@code compose}, {@code swarm} or {@code k8s} ({@code kubernetes} is accepted too).
     *
     * @throws DeployException naming the accepted values
     */
    public static DeployFormat parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("kubernetes")) {
            return K8S;
        }
        for (DeployFormat f : values()) {
            if (f.optionName.equals(t)) {
                return f;
            }
        }
        throw new DeployException("--format must be compose, swarm or k8s (or a comma list of them), got '" + text + "'");
    }
}
