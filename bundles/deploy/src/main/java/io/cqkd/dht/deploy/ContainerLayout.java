package io.cqkd.dht.deploy;

/**
 * Where things are inside the container image built by {@code distribution/Dockerfile}; the
 * manifests refer to these paths, and {@code DockerfileTest} checks that the Dockerfile agrees.
 */
public final class ContainerLayout {
    /** The unpacked distribution. */
    public static final String HOME = "/opt/cqkd";
    /** The launcher (the image's ENTRYPOINT). */
    public static final String LAUNCHER = HOME + "/bin/cqkd";
    /**
     * The health command: exits 0 only when the container's node is joined and serving, non-zero
     * with one line saying why otherwise; must answer in under a second.
     */
    public static final String HEALTH_COMMAND = HOME + "/bin/cqkd-health";
    /** Where Kubernetes mounts the per-pod tier settings of a bootstrap level. */
    public static final String TIER_ENV_DIR = "/etc/cqkd/tier";
    /** Health check period, seconds. */
    public static final int HEALTH_INTERVAL_SECONDS = 10;
    /** Health check timeout, seconds (the command itself answers in under one). */
    public static final int HEALTH_TIMEOUT_SECONDS = 3;
    /** Failed checks before unhealthy. */
    public static final int HEALTH_RETRIES = 3;
    /** Grace period after start: JVM start, port bind and join. */
    public static final int HEALTH_START_PERIOD_SECONDS = 60;

    private ContainerLayout() {
    }
}
