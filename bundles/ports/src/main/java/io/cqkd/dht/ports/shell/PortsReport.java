package io.cqkd.dht.ports.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cqkd.dht.ports.HistoryEvent;
import io.cqkd.dht.ports.PortEntry;
import io.cqkd.dht.ports.PortSettings;
import io.cqkd.dht.ports.Preview;
import io.cqkd.dht.ports.RangeName;
import io.cqkd.dht.ports.RangeUsage;
import io.cqkd.dht.ports.StrategyInfo;
import io.cqkd.dht.shell.support.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Renders the allocation service's state as tables for people and JSON for scripts. Plain Java. */
final class PortsReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PortsReport() {
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Object worker(OptionalInt id) {
        return id.isPresent() ? id.getAsInt() : null;
    }

    private static String workerText(OptionalInt id) {
        return id.isPresent() ? Integer.toString(id.getAsInt()) : "-";
    }

    static String strategy(Optional<StrategyInfo> active, List<StrategyInfo> registered, PortSettings s) {
        StringBuilder sb = new StringBuilder();
        sb.append("active strategy : ").append(active.map(StrategyInfo::toString)
                .orElse("none (allocator.target " + s.allocatorTarget() + " matches no strategy service; "
                        + "explicit ports still work)")).append('\n');
        sb.append("selected by     : allocator.target = ").append(s.allocatorTarget()).append('\n');
        sb.append("registered      : ").append(registered.isEmpty() ? "none"
                : String.join(", ", registered.stream().map(i -> i.name() + " [" + i.bundle() + "]").toList()))
                .append('\n');
        sb.append("settings (PID io.cqkd.dht.ports; env BASE_PORT, PORT_OFFSET, LEGACY_PORT_MODE override):\n");
        TextTable t = new TextTable("  ATTRIBUTE", "VALUE", "SOURCE").blankAs("");
        Map<String, String> src = s.sources();
        t.row("  " + PortSettings.BASE_PORT, s.basePort(), src.get(PortSettings.BASE_PORT));
        t.row("  " + PortSettings.PORT_OFFSET, s.portOffset(), src.get(PortSettings.PORT_OFFSET));
        t.row("  " + PortSettings.LEGACY_PORT_MODE, s.legacyMode(), src.get(PortSettings.LEGACY_PORT_MODE));
        t.row("  " + PortSettings.LEGACY_PORT, s.legacyPort(), src.get(PortSettings.LEGACY_PORT));
        t.row("  " + PortSettings.RANGE_WORKER, s.ranges().get(RangeName.WORKER), src.get(PortSettings.RANGE_WORKER));
        t.row("  " + PortSettings.RANGE_BOOTSTRAP, s.ranges().get(RangeName.BOOTSTRAP),
                src.get(PortSettings.RANGE_BOOTSTRAP));
        t.row("  " + PortSettings.RANGE_SPECIAL, s.ranges().get(RangeName.SPECIAL), src.get(PortSettings.RANGE_SPECIAL));
        t.row("  " + PortSettings.ALLOWED_RANGES, PortSettings.joinRanges(s.allowedRanges()),
                src.get(PortSettings.ALLOWED_RANGES));
        t.row("  " + PortSettings.BLOCKED_PORTS, s.blocked().isEmpty() ? "-" : PortSettings.joinRanges(s.blocked()),
                src.get(PortSettings.BLOCKED_PORTS));
        t.row("  " + PortSettings.ONE_PORT_PER_WORKER, s.onePortPerWorker(), src.get(PortSettings.ONE_PORT_PER_WORKER));
        t.row("  " + PortSettings.HISTORY_SIZE, s.historySize(), src.get(PortSettings.HISTORY_SIZE));
        s.env().forEach((k, v) -> t.row("  env " + k, v, "environment (request default)"));
        sb.append(t);
        for (String w : s.warnings()) {
            sb.append("warning: ").append(w).append('\n');
        }
        return sb.toString();
    }

    static String list(List<PortEntry> entries, boolean json) {
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (PortEntry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("port", e.port());
                m.put("node", e.node());
                m.put("role", e.role().configName());
                m.put("worker_id", worker(e.workerId()));
                m.put("strategy", e.strategy());
                m.put("allocated_at", e.allocatedAt().toString());
                m.put("status", e.status().name().toLowerCase(Locale.ROOT));
                out.add(m);
            }
            return json(out);
        }
        TextTable t = new TextTable("PORT", "NODE", "ROLE", "WORKER", "STRATEGY", "ALLOCATED AT", "STATUS")
                .blankAs("");
        for (PortEntry e : entries) {
            t.row(e.port(), e.node(), e.role().configName(), workerText(e.workerId()), e.strategy(), e.allocatedAt(),
                    e.status().name().toLowerCase(Locale.ROOT));
        }
        return t.size() == 0 ? "no ports allocated in this container\n" : t + "" + t.size() + " port(s)\n";
    }

    static String stats(List<RangeUsage> usage, boolean json) {
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (RangeUsage u : usage) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("range", u.range().toString());
                m.put("total_ports", u.total());
                m.put("used_ports", u.used());
                m.put("utilization_percent", u.percent());
                m.put("available_ports", u.available());
                m.put("blocked_ports", u.blocked());
                out.put(u.name().label(), m);
            }
            return json(out);
        }
        TextTable t = new TextTable("RANGE", "PORTS", "TOTAL", "USED", "UTILIZATION", "AVAILABLE", "BLOCKED")
                .blankAs("");
        for (RangeUsage u : usage) {
            t.row(u.name().label(), u.range(), u.total(), u.used(), String.format(Locale.ROOT, "%.2f%%", u.percent()),
                    u.available(), u.blocked());
        }
        return t.toString();
    }

    static String history(List<HistoryEvent> events, long dropped, boolean json) {
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (HistoryEvent e : events) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("time", e.time().toString());
                m.put("event", e.kind().name().toLowerCase(Locale.ROOT));
                m.put("port", e.port() == 0 ? null : e.port());
                m.put("node", e.node());
                m.put("role", e.role().configName());
                m.put("worker_id", worker(e.workerId()));
                m.put("strategy", e.strategy());
                m.put("detail", e.detail());
                out.add(m);
            }
            return json(out);
        }
        TextTable t = new TextTable("TIME", "EVENT", "PORT", "NODE", "ROLE", "WORKER", "STRATEGY", "DETAIL")
                .blankAs("");
        for (HistoryEvent e : events) {
            t.row(e.time(), e.kind().name().toLowerCase(Locale.ROOT), e.port() == 0 ? "-" : e.port(), e.node(),
                    e.role().configName(), workerText(e.workerId()), e.strategy(), e.detail());
        }
        if (t.size() == 0) {
            return "no allocation events yet\n";
        }
        return t + (dropped > 0 ? dropped + " older event(s) dropped (history.size)\n" : "");
    }

    static String preview(Preview p) {
        return "dry run: port " + p.port() + " (strategy " + p.strategy() + ", " + p.rangeName().label() + " range "
                + p.range() + "; skipped " + p.skippedHeld() + " held here, " + p.skippedPolicy()
                + " refused by policy, " + p.skippedBusy() + " in use by other processes); nothing was allocated\n";
    }
}
