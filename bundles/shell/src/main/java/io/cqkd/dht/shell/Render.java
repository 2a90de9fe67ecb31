package io.cqkd.dht.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cqkd.dht.shell.Views.BucketView;
import io.cqkd.dht.shell.Views.ContactView;
import io.cqkd.dht.shell.Views.LookupView;
import io.cqkd.dht.shell.Views.NodeView;
import io.cqkd.dht.shell.Views.PingView;
import io.cqkd.dht.shell.Views.RoutesView;
import io.cqkd.dht.shell.Views.StatusView;
import io.cqkd.dht.shell.Views.StoreView;
import io.cqkd.dht.shell.Views.ValueView;
import io.cqkd.dht.shell.support.CommandFailure;
import io.cqkd.dht.shell.support.TextTable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text for people (aligned tables, key/value blocks) and JSON for scripts, from {@link Views}. */
public final class Render {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Render() {
    }

    /** {@code view} as indented JSON, ending with a newline. */
    public static String json(Object view) {
        try {
            return JSON.writeValueAsString(view) + "\n";
        } catch (JsonProcessingException e) {
            throw new CommandFailure("cannot render JSON: " + e.getOriginalMessage());
        }
    }

    /** The {@code dht:nodes} table. */
    public static String nodes(List<NodeView> nodes) {
        if (nodes.isEmpty()) {
            return "no DHT nodes in this container\n";
        }
        // DETAIL (why a node waits or failed) only when some node has something to say
        boolean details = nodes.stream().anyMatch(n -> n.detail() != null && !n.detail().isBlank());
        TextTable t = details
                ? new TextTable("NAME", "ID", "ROLE", "REGION", "PORT", "STATE", "ROUTES", "VALUES", "DETAIL")
                : new TextTable("NAME", "ID", "ROLE", "REGION", "PORT", "STATE", "ROUTES", "VALUES");
        t.alignRight(4, 6, 7);
        for (NodeView n : nodes) {
            if (details) {
                t.row(n.name(), n.id(), n.role(), n.region(), n.port(), n.state(), n.routingTableSize(),
                        n.storedValues(), CommandFailure.oneLine(n.detail() == null || n.detail().isBlank() ? "-" : n.detail()));
            } else {
                t.row(n.name(), n.id(), n.role(), n.region(), n.port(), n.state(), n.routingTableSize(),
                        n.storedValues());
            }
        }
        long ready = nodes.stream().filter(n -> "READY".equals(n.state())).count();
        return t.render() + nodes.size() + " nodes, " + ready + " READY\n";
    }

    /** The {@code dht:status} block of one node. */
    public static String status(StatusView s) {
        TextTable t = new TextTable("FIELD", "VALUE");
        t.row("name", s.name());
        t.row("id", s.id());
        t.row("role", s.role());
        t.row("region", s.region());
        t.row("address", s.host() + ":" + s.port());
        t.row("state", s.state());
        t.row("detail", s.detail());
        t.row("routes", s.routingTableSize());
        t.row("values", s.storedValues());
        t.row("uptime", duration(s.uptimeMillis()));
        for (Map.Entry<String, Long> c : s.counters().entrySet()) {
            t.row(c.getKey(), c.getValue());
        }
        return withoutHeader(t.render());
    }

    /** Several status blocks separated by blank lines. */
    public static String statuses(List<StatusView> all) {
        if (all.isEmpty()) {
            return "no DHT nodes in this container\n";
        }
        StringBuilder sb = new StringBuilder();
        for (StatusView s : all) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(status(s));
        }
        return sb.toString();
    }

    /** The {@code dht:routes} output: a summary line, then one row per contact. */
    public static String routes(RoutesView r) {
        StringBuilder sb = new StringBuilder();
        sb.append("node ").append(r.node()).append(" (").append(r.self()).append("): ")
                .append(r.size()).append(" contacts in ").append(r.buckets().size())
                .append(" buckets, k=").append(r.k()).append('\n');
        if (r.buckets().isEmpty()) {
            return sb.toString();
        }
        TextTable t = new TextTable("BUCKET", "ID", "ADDRESS", "ROLE", "REGION", "REPL").alignRight(0, 5);
        for (BucketView b : r.buckets()) {
            boolean first = true;
            for (ContactView c : b.contacts()) {
                t.row(b.index(), c.id(), c.address(), c.role(), c.region(), first ? b.replacements() : "");
                first = false;
            }
        }
        return sb.append(t.render()).toString();
    }

    /** The {@code dht:lookup} output: a summary line, then the closest nodes, closest first. */
    public static String lookup(LookupView l) {
        StringBuilder sb = new StringBuilder();
        sb.append("lookup '").append(l.key()).append("' (").append(l.target()).append(") via ").append(l.node())
                .append(": ").append(l.closest().size()).append(" closest, ").append(l.hops()).append(" hops, ")
                .append(l.queried()).append(" queried, ").append(l.failed()).append(" failed, ")
                .append(l.millis()).append(" ms\n");
        if (l.closest().isEmpty()) {
            return sb.toString();
        }
        TextTable t = new TextTable("#", "ID", "ADDRESS", "ROLE", "REGION", "LOG2DIST").alignRight(0, 5);
        int i = 1;
        for (ContactView c : l.closest()) {
            t.row(i++, c.id(), c.address(), c.role(), c.region(), c.log2Distance());
        }
        return sb.append(t.render()).toString();
    }

    /** The {@code dht:get} output without {@code --json}: the JSON document itself. */
    public static String value(ValueView v) {
        return v.value().toPrettyString() + "\n";
    }

    /** One line for {@code dht:put} and {@code dht:delete}. */
    public static String store(StoreView s) {
        String verb = "delete".equals(s.operation()) ? "deleted" : "stored";
        return verb + " '" + s.key() + "' (" + s.keyId() + ") via " + s.node() + ": " + s.replicas() + "/"
                + s.targets() + " replicas acknowledged in " + s.millis() + " ms\n";
    }

    /** One line for {@code dht:ping}. */
    public static String ping(PingView p) {
        ContactView r = p.responder();
        return String.format(Locale.ROOT, "pong from %s %s (%s%s) via %s in %.2f ms%n", r.address(), r.id(), r.role(),
                r.region() == null || r.region().isEmpty() ? "" : ", " + r.region(), p.node(), p.rttMillis());
    }

    /** Milliseconds as "3d 4h", "2h 5m", "4m 10s" or "12.3s". */
    static String duration(long ms) {
        if (ms < 0) {
            return "-";
        }
        long s = ms / 1000;
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86400) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86400) + "d " + (s % 86400 / 3600) + "h";
    }

    private static String withoutHeader(String table) {
        int nl = table.indexOf('\n');
        return nl < 0 ? table : table.substring(nl + 1);
    }
}
