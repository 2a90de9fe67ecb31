package io.cqkd.dht.core.osgi;

import io.cqkd.dht.core.netty.UdpRuntime;
import io.cqkd.dht.core.wire.codec.ClusterKey;
import java.nio.file.Path;
import java.time.Duration;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container's shared UDP runtime (PID {@value RuntimeConfig#PID}, optional): one set of
 * event loops for every node. Immediate, so the loops exist before the first node. A
 * configuration change deactivates and reactivates it, which restarts every node (they hold a
 * static reference to it). Registered under its own class, for the core bundle only.
 */
@Component(service = DhtRuntime.class, immediate = true, configurationPid = RuntimeConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RuntimeConfig.class)
public final class DhtRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(DhtRuntime.class);
    private final RuntimeContext context;

    /** Framework property naming the data directory when the configuration sets none. */
    public static final String DATA_DIR_PROPERTY = "cqkd.dataDir";

    /** Starts the event loops. An invalid default key is logged and ignored (nodes then run without it). */
    @Activate
    public DhtRuntime(RuntimeConfig cfg, BundleContext bundleContext) {
        String key = cfg.clusterKey() == null ? "" : cfg.clusterKey().trim();
        try {
            ClusterKey.parse(key);
        } catch (IllegalArgumentException e) {
            // nodes relying on the default fail with this reason; say it once here too
            LOG.warn("event=runtime_cluster_key_invalid reason=\"{}\"", e.getMessage());
        }
        int window = cfg.timestampWindowSeconds() > 0 ? cfg.timestampWindowSeconds() : 30;
        if (window != cfg.timestampWindowSeconds()) {
            LOG.warn("event=runtime_config_invalid attribute=timestampWindowSeconds value={} using=30",
                    cfg.timestampWindowSeconds());
        }
        int threads = cfg.threads() >= 0 && cfg.threads() <= 1024 ? cfg.threads() : 0;
        if (threads != cfg.threads()) {
            LOG.warn("event=runtime_config_invalid attribute=threads value={} using=0", cfg.threads());
        }
        int rcvbuf = Math.max(0, cfg.receiveBufferBytes());
        Path dataDir = dataDir(cfg.dataDir(), bundleContext == null ? null : bundleContext.getProperty(DATA_DIR_PROPERTY));
        this.context = new RuntimeContext(new UdpRuntime(threads, rcvbuf, cfg.preferEpoll()), key,
                Duration.ofSeconds(window)).withDataDir(dataDir);
        LOG.info("event=runtime_data_dir dir={}", dataDir == null ? "none (node state is not kept across restarts)" : dataDir);
    }

    /** The configured directory, else the framework property's, else null; an invalid path is logged and ignored. */
    static Path dataDir(String configured, String property) {
        String v = configured != null && !configured.isBlank() ? configured.trim()
                : property != null && !property.isBlank() ? property.trim() : null;
        if (v == null) {
            return null;
        }
        try {
            return Path.of(v).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            LOG.warn("event=runtime_config_invalid attribute=dataDir value=\"{}\" reason=\"{}\"", v, e.getMessage());
            return null;
        }
    }

    /** What nodes need from the runtime. */
    RuntimeContext context() {
        return context;
    }

    /** Stops the event loops (every node has been deactivated before, by SCR). */
    @Deactivate
    void deactivate() {
        context.udp().close();
    }
}
