package io.cqkd.dht.tier.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A structured log event: a name plus ordered key/values, rendered as one line
 * {@code event=<name> key=value ...}. Values with spaces, quotes or '=' are quoted.
 *
 * @param event  event name ({@code tier.load_stats})
 * @param fields key/values in order
 */
public record LoadStatsEvent(String event, Map<String, Object> fields) {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:/@+-]*");

    /** Copies the fields, keeping their order. */
    public LoadStatsEvent {
        Objects.requireNonNull(event, "event");
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** One log line. */
    public String toLogLine() {
        StringBuilder b = new StringBuilder("event=").append(event);
        fields.forEach((k, v) -> b.append(' ').append(k).append('=').append(render(v)));
        return b.toString();
    }

    private static String render(Object v) {
        String s = String.valueOf(v);
        if (!s.isEmpty() && PLAIN.matcher(s).matches()) {
            return s;
        }
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
