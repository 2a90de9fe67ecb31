package io.cqkd.dht.core.osgi;

import io.cqkd.dht.core.netty.UdpRuntime;
import io.cqkd.dht.core.wire.codec.ClusterKey;
import java.time.Duration;
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

    /** Starts the event loops. An invalid default key is logged and ignored (nodes then run without it). */
    @Activate
    public DhtRuntime(RuntimeConfig cfg) {
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
        this.context = new RuntimeContext(new UdpRuntime(threads, rcvbuf, cfg.preferEpoll()), key,
                Duration.ofSeconds(window));
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
