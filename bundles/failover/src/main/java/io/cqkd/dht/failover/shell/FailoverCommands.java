package io.cqkd.dht.failover.shell;

import io.cqkd.dht.api.failover.FailoverService;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands of scope {@code failover}, thin over {@link FailoverService}; rendering by
 * {@link FailoverReport}.
 */
@Component(service = FailoverCommands.class, property = {
        "osgi.command.scope=failover",
        "osgi.command.function=events",
        "osgi.command.function=policy",
        "osgi.command.function=status"})
public final class FailoverCommands {
    private final FailoverService service;

    /** Commands over {@code service}. */
    @Activate
    public FailoverCommands(@Reference FailoverService service) {
        this.service = service;
    }

    @Descriptor("list the recorded failover events, oldest first: time, observer, failed node, level, region, "
            + "action, promoted node, sessions moved, policy")
    public String events(
            @Descriptor("print JSON (keys events_total and events: time, observer, failed_node, level, region, "
                    + "action, promoted_node, sessions_moved, policy, detail)")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        return FailoverReport.events(service.events(), service.eventCount(), json);
    }

    @Descriptor("show the active failover policy, how it is selected, its settings, the failure-detector settings "
            + "and the configured backups")
    public String policy(
            @Descriptor("print JSON instead of text")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        return FailoverReport.policy(service.policy(), json);
    }

    @Descriptor("show the suspected and failed bootstrap nodes, per observing node")
    public String status(
            @Descriptor("print JSON (keys watched, suspected, failed)")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        return FailoverReport.status(service.status(), json);
    }
}
