package io.cqkd.dht.tier.shell;

import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierService;
import io.cqkd.dht.api.tier.WorkerRegistration;
import io.cqkd.dht.shell.support.CommandFailure;
import io.cqkd.dht.tier.service.TierInsight;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands of scope {@code tier}, thin over {@link TierService} (and {@link TierInsight}
 * when the service offers it); rendering by {@link TierReport}. A command that cannot do its job
 * throws a {@link CommandFailure}: one line, no stack trace.
 */
@Component(service = TierCommands.class, property = {
        "osgi.command.scope=tier",
        "osgi.command.function=health",
        "osgi.command.function=nodes",
        "osgi.command.function=workers",
        "osgi.command.function=selection"})
public final class TierCommands {
    /** Longest wait for {@code tier:workers}. */
    static final Duration WORKERS_TIMEOUT = Duration.ofSeconds(15);

    private final TierService service;

    /** Commands over {@code service}. */
    @Activate
    public TierCommands(@Reference TierService service) {
        this.service = service;
    }

    @Descriptor("the seed's health summary of the bootstrap tier as this container sees it: total_bootstrap_nodes, "
            + "healthy_nodes, total_connections, total_capacity, utilization_percent, regions_coverage, failover_events")
    public String health(
            @Descriptor("print JSON with exactly the seed's keys")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        try {
            return TierReport.health(service.health(), json);
        } catch (RuntimeException e) {
            throw failure("tier health", e);
        }
    }

    @Descriptor("list every bootstrap node this container knows: name, level, region, parent, address, active "
            + "sessions, capacity, utilization, healthy, last report, whether it runs here")
    public String nodes(
            @Descriptor("print JSON (a list; keys name, level, region, parent, address, active_sessions, capacity, "
                    + "utilization_percent, healthy, last_report_age_ms, local)")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        try {
            return TierReport.nodes(service.view(), localNames(), json);
        } catch (RuntimeException e) {
            throw failure("tier nodes", e);
        }
    }

    @Descriptor("list the workers registered in the DHT for a region by its regional nodes")
    public String workers(
            @Descriptor("print JSON (keys region, complete, note, count, workers: node_id, address, port, registered_at)")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the region (east, west, ...)") String region) {
        if (region == null || region.isBlank()) {
            throw new CommandFailure("tier:workers: give a region, e.g. tier:workers east");
        }
        String r = region.trim();
        List<WorkerRegistration> workers;
        try {
            workers = service.workers(r).toCompletableFuture().get(WORKERS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("tier:workers " + r + ": interrupted");
        } catch (TimeoutException e) {
            throw new CommandFailure("tier:workers " + r + ": no answer within " + WORKERS_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw failure("tier:workers " + r, e.getCause());
        } catch (RuntimeException e) {
            throw failure("tier:workers " + r, e);
        }
        boolean complete = !(service instanceof TierInsight i) || i.hasLocalRegional(r);
        return TierReport.workers(r, workers, complete, json);
    }

    @Descriptor("list the workers registered in the DHT for a region (the region is required)")
    public String workers(
            @Descriptor("print JSON")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        return workers(json, "");
    }

    @Descriptor("show the active bootstrap-selection strategy and what it would pick now for a region and a "
            + "worker count")
    public String selection(
            @Descriptor("the joining node's region (default: none, any region)")
            @Parameter(names = {"-r", "--region"}, absentValue = "") String region,
            @Descriptor("expected worker count (default 0; adaptive: <= 50 direct, <= 200 two-level, else three-level)")
            @Parameter(names = {"-w", "--workers"}, absentValue = "0") int workers,
            @Descriptor("print JSON (keys strategy, target, region, expected_workers, picks)")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        SelectionRequest request;
        try {
            request = new SelectionRequest(region == null ? "" : region, workers);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("tier:selection: " + e.getMessage());
        }
        try {
            String target = service instanceof TierInsight i ? i.selectorTarget() : "?";
            return TierReport.selection(service.preview(request), target, json);
        } catch (RuntimeException e) {
            throw failure("tier:selection", e);
        }
    }

    private Set<String> localNames() {
        return service instanceof TierInsight i ? i.localNodeNames() : Set.of();
    }

    private static CommandFailure failure(String what, Throwable e) {
        if (e instanceof CommandFailure f) {
            return f;
        }
        String msg = e == null ? null : e.getMessage();
        return new CommandFailure(what + ": " + (msg == null || msg.isBlank() ? String.valueOf(e) : msg));
    }
}
