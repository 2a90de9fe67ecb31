package io.cqkd.dht.shell.control;

import java.io.IOException;
import java.time.Duration;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback control channel behind {@code bin/cqkd-client}: runs one Gogo command line per
 * TCP connection on 127.0.0.1 (see {@link ControlProtocol}). Always bound to the loopback
 * address; peers that are not loopback are refused. A configuration change restarts the
 * listener.
 */
@Component(immediate = true, service = {}, configurationPid = ControlChannel.PID)
@Designate(ocd = ControlChannel.Config.class)
public final class ControlChannel {
    /** Configuration PID (a singleton, so no '-' in it). */
    public static final String PID = "io.cqkd.dht.control";

    private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);

    /** The control channel's configuration. */
    @ObjectClassDefinition(id = PID, name = "CQKD control channel",
            description = "Loopback-only TCP channel that runs one Gogo command per connection (bin/cqkd-client).")
    public @interface Config {
        @AttributeDefinition(name = "Enabled", description = "Listen at all.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Port", description = "TCP port on 127.0.0.1 (0 = ephemeral). Outside the DHT"
                + " ranges 5678-5761, 6000-6099, 7000-7999. Two containers on one host need different ports.")
        int port() default ControlProtocol.DEFAULT_PORT;

        @AttributeDefinition(name = "Use environment", description = "When true and the environment variable "
                + ControlProtocol.PORT_ENV + " is set, its value is the port (it overrides Port).")
        boolean useEnvironment() default true;

        @AttributeDefinition(name = "Concurrent sessions", description = "Commands running at once; more"
                + " connections are answered 'busy'.", min = "1", max = "64")
        int maxSessions() default 4;

        @AttributeDefinition(name = "Longest command line", description = "In bytes; the default leaves room for"
                + " a put of the largest value.", min = "64", max = "1048576")
        int maxLineBytes() default ControlServer.Limits.MAX_LINE_DEFAULT;

        @AttributeDefinition(name = "Command timeout", description = "Seconds a command may run before the client is"
                + " answered with a timeout and the command interrupted.", min = "1", max = "3600")
        int commandTimeoutSeconds() default 60;
    }

    private final ControlServer server;

    /** Starts listening, unless disabled or the port is taken (then it logs one ERROR line and stays idle). */
    @Activate
    public ControlChannel(@Reference(name = "processor") CommandProcessor processor, Config config) {
        this.server = config.enabled() ? listen(processor, config) : null;
        if (server == null && !config.enabled()) {
            LOG.info("control.disabled");
        }
    }

    private static ControlServer listen(CommandProcessor processor, Config config) {
        int port = effectivePort(config, System.getenv(ControlProtocol.PORT_ENV));
        try {
            ControlServer.Limits limits = new ControlServer.Limits(config.maxLineBytes(), config.maxSessions(),
                    ControlServer.Limits.DEFAULT.readTimeout(), Duration.ofSeconds(config.commandTimeoutSeconds()),
                    ControlServer.Limits.DEFAULT.maxOutputBytes());
            ControlServer s = ControlServer.start(port, new GogoRunner(processor), limits);
            LOG.info("control.listening address=127.0.0.1:{} max_sessions={} command_timeout_s={}",
                    s.port(), limits.maxSessions(), config.commandTimeoutSeconds());
            return s;
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("control.listen_failed address=127.0.0.1:{} reason=\"{}\"", port, e.getMessage());
            return null;
        }
    }

    /** The configured port, or the environment's when allowed and valid. */
    static int effectivePort(Config config, String env) {
        if (config.useEnvironment() && env != null && !env.isBlank()) {
            try {
                int p = Integer.parseInt(env.trim());
                if (p >= 0 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            LOG.warn("control.bad_env variable={} value=\"{}\" using_port={}", ControlProtocol.PORT_ENV, env,
                    config.port());
        }
        return config.port();
    }

    /** The bound port, or -1 when not listening. */
    public int port() {
        return server == null ? -1 : server.port();
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
            LOG.info("control.stopped");
        }
    }
}
