package io.cqkd.dht.tier.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.HealthSummary;
import io.cqkd.dht.api.tier.SelectionPreview;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.api.tier.WorkerRegistration;
import io.cqkd.dht.shell.support.CommandFailure;
import io.cqkd.dht.shell.support.TextTable;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Text for people (aligned tables as {@code dht:*} prints them) and JSON for scripts, for the
 * {@code tier:*} commands. Pure functions of the values, for tests.
 */
final class TierReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TierReport() {
    }

    /** Indented JSON, ending with a newline. */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new CommandFailure("cannot render JSON: " + e.getOriginalMessage());
        }
    }

    // ---- tier:health

    static String health(HealthSummary h, boolean json) {
        if (json) {
            return json(h.asMap());
        }
        TextTable t = new TextTable("FIELD", "VALUE");
        h.asMap().forEach((k, v) -> t.row(k, v));
        return withoutHeader(t.render());
    }

    // ---- tier:nodes

    /** One row of {@code tier:nodes}; {@code last_report_age_ms} is null when the node never reported. */
    static Map<String, Object> nodeRow(BootstrapNode n, long asOfMillis, boolean local) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", n.name());
        m.put("level", n.level().configName());
        m.put("region", n.region());
        m.put("parent", n.parent());
        m.put("address", address(n.address()));
        m.put("active_sessions", n.activeSessions());
        m.put("capacity", n.capacity());
        m.put("utilization_percent", percent(n));
        m.put("healthy", n.healthy());
        m.put("last_report_age_ms", n.lastReportMillis() < 0 ? null : Math.max(0, asOfMillis - n.lastReportMillis()));
        m.put("local", local);
        return m;
    }

    static String nodes(TierView view, Set<String> localNames, boolean json) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BootstrapNode n : view.nodes()) {
            rows.add(nodeRow(n, view.asOfMillis(), localNames.contains(n.name())));
        }
        if (json) {
            return json(rows);
        }
        if (rows.isEmpty()) {
            return "no bootstrap nodes known in this container\n";
        }
        TextTable t = new TextTable("NAME", "LEVEL", "REGION", "PARENT", "ADDRESS", "SESSIONS", "CAPACITY", "UTIL%",
                "HEALTHY", "LAST REPORT", "HERE").alignRight(5, 6, 7);
        int healthy = 0;
        for (BootstrapNode n : view.nodes()) {
            healthy += n.healthy() ? 1 : 0;
            t.row(n.name(), n.level().configName(), n.region(), n.parent(), address(n.address()), n.activeSessions(),
                    n.capacity(), String.format(Locale.ROOT, "%.1f", percent(n)), n.healthy() ? "yes" : "NO",
                    n.lastReportMillis() < 0 ? "never" : age(view.asOfMillis() - n.lastReportMillis()),
                    localNames.contains(n.name()) ? "yes" : "no");
        }
        return t.render() + rows.size() + " bootstrap nodes, " + healthy + " healthy, " + localNames.size()
                + " running here\n";
    }

    // ---- tier:workers

    static Map<String, Object> workerRow(WorkerRegistration w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node_id", w.nodeId());
        m.put("address", w.address());
        m.put("port", w.port());
        m.put("registered_at", w.registeredAt());
        return m;
    }

    /**
     * {@code tier:workers}. {@code complete} is false when no regional of the region runs here:
     * the list then holds only this container's own workers read from the DHT, and the output says so.
     */
    static String workers(String region, List<WorkerRegistration> workers, boolean complete, boolean json) {
        String note = complete ? "" : "no regional node of region " + region + " runs in this container: "
                + "only this container's workers were looked up in the DHT (the DHT cannot list keys; "
                + "run tier:workers in the container of a regional of " + region + " for the full list)";
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("region", region);
            m.put("complete", complete);
            m.put("note", note);
            m.put("count", workers.size());
            m.put("workers", workers.stream().map(TierReport::workerRow).toList());
            return json(m);
        }
        StringBuilder sb = new StringBuilder();
        if (!workers.isEmpty()) {
            TextTable t = new TextTable("NODE ID", "ADDRESS", "PORT", "REGISTERED AT").alignRight(2);
            for (WorkerRegistration w : workers) {
                t.row(w.nodeId(), w.address(), w.port(), Instant.ofEpochMilli(w.registeredAt()));
            }
            sb.append(t.render());
        }
        sb.append(workers.size()).append(" workers registered in region ").append(region).append('\n');
        if (!complete) {
            sb.append("note: ").append(note).append('\n');
        }
        return sb.toString();
    }

    // ---- tier:selection

    static String selection(SelectionPreview p, String target, boolean json) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("strategy", p.strategy());
            m.put("target", target);
            m.put("region", p.request().region());
            m.put("expected_workers", p.request().expectedWorkers());
            m.put("picks", p.picks().stream().map(n -> nodeRow(n, 0, false)).map(r -> {
                r.remove("last_report_age_ms");
                r.remove("local");
                return r;
            }).toList());
            return json(m);
        }
        StringBuilder sb = new StringBuilder();
        String who = "region " + (p.request().hasRegion() ? p.request().region() : "(any)") + ", "
                + p.request().expectedWorkers() + " expected workers";
        if (p.strategy().isEmpty()) {
            return sb.append("strategy: none (no selection strategy matches ").append(target).append(")\n")
                    .append("a joining node would use its configured bootstrap list in order (").append(who)
                    .append(")\n").toString();
        }
        sb.append("strategy: ").append(p.strategy()).append(" (target ").append(target).append(")\n");
        sb.append("picks for ").append(who).append(": ").append(p.picks().size()).append('\n');
        if (!p.picks().isEmpty()) {
            TextTable t = new TextTable("#", "NAME", "LEVEL", "REGION", "ADDRESS", "SESSIONS", "CAPACITY", "UTIL%")
                    .alignRight(0, 5, 6, 7);
            int i = 1;
            for (BootstrapNode n : p.picks()) {
                t.row(i++, n.name(), n.level().configName(), n.region(), address(n.address()), n.activeSessions(),
                        n.capacity(), String.format(Locale.ROOT, "%.1f", percent(n)));
            }
            sb.append(t.render());
        }
        return sb.toString();
    }

    // ---- helpers

    static String address(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    private static double percent(BootstrapNode n) {
        return Math.round(n.utilization() * 10_000.0) / 100.0;
    }

    /** Milliseconds ago as "0.4s ago", "3m 2s ago". */
    static String age(long ms) {
        long m = Math.max(0, ms);
        if (m < 60_000) {
            return String.format(Locale.ROOT, "%.1fs ago", m / 1000.0);
        }
        long s = m / 1000;
        return s < 3600 ? (s / 60) + "m " + (s % 60) + "s ago" : (s / 3600) + "h " + (s % 3600 / 60) + "m ago";
    }

    private static String withoutHeader(String table) {
        int nl = table.indexOf('\n');
        return nl < 0 ? table : table.substring(nl + 1);
    }
}
