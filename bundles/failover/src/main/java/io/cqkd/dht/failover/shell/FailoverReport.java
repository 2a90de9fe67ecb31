package io.cqkd.dht.failover.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cqkd.dht.api.failover.FailoverEvent;
import io.cqkd.dht.api.failover.FailoverStatus;
import io.cqkd.dht.api.failover.PolicyInfo;
import io.cqkd.dht.api.failover.WatchedNode;
import io.cqkd.dht.failover.FailoverSettings;
import io.cqkd.dht.shell.support.TextTable;
import io.cqkd.dht.tier.failover.FailoverLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the failover service's state as tables for people and JSON for scripts. Plain Java. */
final class FailoverReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FailoverReport() {
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** JSON: {@code {"events_total": n, "events": [ {time, observer, failed_node, ...} ]}}. */
    static String events(List<FailoverEvent> events, long total, boolean json) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("events_total", total);
            m.put("events", events.stream().map(FailoverLog::asMap).toList());
            return json(m);
        }
        if (events.isEmpty()) {
            return "no failover events (" + total + " recorded in total)\n";
        }
        TextTable t = new TextTable("TIME", "OBSERVER", "FAILED", "LEVEL", "REGION", "ACTION", "PROMOTED",
                "SESSIONS", "POLICY", "DETAIL").blankAs("");
        for (FailoverEvent e : events) {
            t.row(e.time(), e.observer(), e.failedNode(), e.level().configName(), dash(e.region()),
                    e.action().configName(), e.promotedNode().orElse("-"), e.sessionsMoved(), dash(e.policy()),
                    e.detail());
        }
        return t.toString() + events.size() + " shown, " + total + " recorded in total\n";
    }

    static String policy(PolicyInfo p, boolean json) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("active", p.active());
            m.put("bundle", p.bundle());
            m.put("target", p.target());
            m.put("registered", p.registered());
            m.put("settings", new java.util.TreeMap<>(p.settings()));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("probe_period_ms", p.detector().probePeriodMillis());
            d.put("probe_timeout_ms", p.detector().probeTimeoutMillis());
            d.put("suspicion_ms", p.detector().suspicionMillis());
            d.put("probe_missed_min", p.detector().minMissedProbes());
            m.put("detector", d);
            m.put("backups", new java.util.TreeMap<>(p.backups()));
            m.put("events_max", p.eventLimit());
            return json(m);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("active policy : ").append(p.active().isEmpty()
                ? "none (policy.target " + p.target() + " matches no policy service; failures are detected and "
                        + "logged, nobody fails over)"
                : p.active() + " [" + p.bundle() + "]").append('\n');
        sb.append("selected by   : policy.target = ").append(p.target()).append('\n');
        sb.append("registered    : ").append(p.registered().isEmpty() ? "none" : String.join(", ", p.registered()))
                .append('\n');
        sb.append("policy settings:").append(p.settings().isEmpty() ? " none" : "").append('\n');
        new java.util.TreeMap<>(p.settings()).forEach((k, v) -> sb.append("  ").append(k).append(" = ").append(v)
                .append('\n'));
        sb.append("detector (PID ").append("io.cqkd.dht.failover").append("): ")
                .append(FailoverSettings.describe(p.detector())).append(", declared failed after at least ")
                .append(p.detector().minimumDetectionMillis()).append(" ms without answer\n");
        sb.append("backups       : ").append(p.backups().isEmpty()
                ? "default rule (other nodes of the same level and region, same parent first)"
                : p.backups().size() + " configured, default rule for the others").append('\n');
        new java.util.TreeMap<>(p.backups()).forEach((k, v) -> sb.append("  ").append(k).append(" = ")
                .append(String.join(",", v)).append('\n'));
        sb.append("events kept   : ").append(p.eventLimit()).append('\n');
        return sb.toString();
    }

    static String status(FailoverStatus s, boolean json) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("watched", s.watched());
            m.put("suspected", rows(s.suspected()));
            m.put("failed", rows(s.failed()));
            return json(m);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(s.watched()).append(" watched, ").append(s.suspected().size()).append(" suspected, ")
                .append(s.failed().size()).append(" failed\n");
        if (s.suspected().isEmpty() && s.failed().isEmpty()) {
            return sb.toString();
        }
        TextTable t = new TextTable("STATE", "OBSERVER", "NODE", "LEVEL", "REGION", "RELATION", "SINCE", "MISSED")
                .blankAs("");
        List<WatchedNode> all = new ArrayList<>(s.failed());
        all.addAll(s.suspected());
        for (WatchedNode r : all) {
            t.row(r.state().configName(), r.observer(), r.node(), r.level().configName(), dash(r.region()),
                    r.relation().configName(), r.since(), r.missedProbes());
        }
        return sb.append(t).toString();
    }

    private static List<Map<String, Object>> rows(List<WatchedNode> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (WatchedNode r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("observer", r.observer());
            m.put("node", r.node());
            m.put("level", r.level().configName());
            m.put("region", r.region());
            m.put("relation", r.relation().configName());
            m.put("state", r.state().configName());
            m.put("since", r.since().toString());
            m.put("missed_probes", r.missedProbes());
            out.add(m);
        }
        return out;
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
