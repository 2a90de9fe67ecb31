package io.cqkd.dht.ports.shell;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortBinder;
import io.cqkd.dht.api.ports.PortRequest;
import io.cqkd.dht.ports.PortsAdmin;
import io.cqkd.dht.ports.UdpPortProbe;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands of scope {@code ports}. Thin: parsing and validation of arguments, rendering by
 * {@link PortsReport}. A bad argument is an {@link IllegalArgumentException} with a one-line
 * message, which Gogo prints without a stack trace.
 */
@Component(service = PortsCommands.class, property = {
        "osgi.command.scope=ports",
        "osgi.command.function=strategy",
        "osgi.command.function=list",
        "osgi.command.function=stats",
        "osgi.command.function=allocate",
        "osgi.command.function=history"})
public final class PortsCommands {
    private final PortsAdmin admin;
    private final PortBinder probe;

    /** Commands over {@code admin}; dry runs probe with a real UDP bind-and-close. */
    @Activate
    public PortsCommands(@Reference PortsAdmin admin) {
        this(admin, new UdpPortProbe());
    }

    /** Commands with a given probe (tests). */
    PortsCommands(PortsAdmin admin, PortBinder probe) {
        this.admin = admin;
        this.probe = probe;
    }

    @Descriptor("show the active port allocation strategy, its bundle, the registered strategies and the effective settings")
    public String strategy() {
        return PortsReport.strategy(admin.activeStrategy(), admin.registeredStrategies(), admin.settings());
    }

    @Descriptor("list the ports held in this container: owner node, role, worker id, strategy, allocation time, status")
    public String list(
            @Descriptor("print JSON instead of a table") @Parameter(names = "--json", presentValue = "true",
                    absentValue = "false") boolean json) {
        return PortsReport.list(admin.registry(), json);
    }

    @Descriptor("show utilization per port range (worker, bootstrap, special): total, used, percent, available, blocked")
    public String stats(
            @Descriptor("print JSON (keys total_ports, used_ports, utilization_percent, available_ports per range)")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        return PortsReport.stats(admin.utilization(), json);
    }

    @Descriptor("show the allocation history: allocations, releases, refusals and failures, oldest first")
    public String history(
            @Descriptor("print JSON instead of a table") @Parameter(names = "--json", presentValue = "true",
                    absentValue = "false") boolean json) {
        return PortsReport.history(admin.history(), admin.historyDropped(), json);
    }

    @Descriptor("show the port the active strategy would give a node now, without taking it (--dry-run is required)")
    public String allocate(
            @Descriptor("node role: super, regional, local, worker or special (default worker)")
            @Parameter(names = "--role", absentValue = "worker") String role,
            @Descriptor("WORKER_ID, 1-based") @Parameter(names = "--worker-id", absentValue = "") String workerId,
            @Descriptor("Docker Swarm task slot, 1-based") @Parameter(names = "--slot", absentValue = "") String slot,
            @Descriptor("Kubernetes StatefulSet pod name, e.g. cqkd-worker-17")
            @Parameter(names = "--pod", absentValue = "") String pod,
            @Descriptor("an explicit port (DHT_PORT): checked against policy, registry and the host")
            @Parameter(names = "--port", absentValue = "") String port,
            @Descriptor("only report the port; required: nodes allocate ports themselves, by binding them")
            @Parameter(names = "--dry-run", presentValue = "true", absentValue = "false") boolean dryRun) {
        if (!dryRun) {
            throw new IllegalArgumentException("ports:allocate needs --dry-run: a port is allocated only by the node "
                    + "that binds and holds it");
        }
        if (!slot.isEmpty() && !pod.isEmpty()) {
            throw new IllegalArgumentException("give --slot or --pod, not both");
        }
        NodeRole nodeRole;
        try {
            nodeRole = NodeRole.parse(role);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--role: " + e.getMessage());
        }
        PortRequest request = new PortRequest("(dry-run)", nodeRole, number("--port", port, 1, 65535),
                number("--worker-id", workerId, 1, Integer.MAX_VALUE), number("--slot", slot, 1, Integer.MAX_VALUE),
                pod.isBlank() ? Optional.empty() : Optional.of(pod.trim()));
        try {
            return PortsReport.preview(admin.preview(request, probe));
        } catch (PortAllocationException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    private static OptionalInt number(String option, String text, int min, int max) {
        if (text.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= min && v <= max) {
                return OptionalInt.of(v);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be an integer " + (max == Integer.MAX_VALUE
                ? ">= " + min : "in " + min + ".." + max) + ", got '" + text + "'");
    }
}
