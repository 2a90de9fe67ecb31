package io.cqkd.dht.tier.failover;

import io.cqkd.dht.api.failover.FailoverEvent;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The bounded failover event log: the last {@code limit} events, oldest first, and the count of
 * every event recorded (the {@code failover_events} of {@code tier:health}), which keeps growing
 * when old events are dropped. Also renders an event as one structured log line
 * ({@link #logLine}) and as a JSON-ready map ({@link #asMap}). Thread-safe.
 */
public final class FailoverLog {
    /** Default number of events kept. */
    public static final int DEFAULT_LIMIT = 1_000;
    /** Largest allowed limit. */
    public static final int MAX_LIMIT = 100_000;
    /** JSON keys of {@link #asMap}, in order. */
    public static final List<String> JSON_KEYS = List.of("time", "observer", "failed_node", "level", "region",
            "action", "promoted_node", "sessions_moved", "policy", "detail");

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:/@+-]+");

    private final ArrayDeque<FailoverEvent> events = new ArrayDeque<>();
    private int limit;
    private long count;

    /** @param limit events kept, 1 - {@value #MAX_LIMIT} */
    public FailoverLog(int limit) {
        this.limit = checkLimit(limit);
    }

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("failover event limit must be 1-" + MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }

    /** Records an event, dropping the oldest when full; returns its log line. */
    public String record(FailoverEvent event) {
        Objects.requireNonNull(event, "event");
        synchronized (this) {
            if (events.size() >= limit) {
                events.removeFirst();
            }
            events.addLast(event);
            count++;
        }
        return logLine(event);
    }

    /** The kept events, oldest first. */
    public synchronized List<FailoverEvent> events() {
        return List.copyOf(events);
    }

    /** Events recorded since creation, dropped ones included. */
    public synchronized long count() {
        return count;
    }

    /** Events kept at most. */
    public synchronized int limit() {
        return limit;
    }

    /** Changes the limit; lowering it drops the oldest events beyond it. */
    public synchronized void setLimit(int limit) {
        this.limit = checkLimit(limit);
        while (events.size() > limit) {
            events.removeFirst();
        }
    }

    /**
     * One structured log line: {@code event=tier.failover observer=... failed_node=... level=...
     * region=... action=... promoted_node=... sessions_moved=... policy=... detail=...}; values
     * that are empty or contain characters other than {@code A-Za-z0-9._:/@+-} are quoted, and
     * quotes, backslashes and line breaks inside them escaped, so one event is always one line.
     */
    public static String logLine(FailoverEvent e) {
        StringBuilder b = new StringBuilder("event=").append(FailoverEvent.LOG_EVENT);
        asMap(e).forEach((k, v) -> {
            if (!k.equals("time")) {
                b.append(' ').append(k).append('=').append(render(v));
            }
        });
        return b.toString();
    }

    /** The event under {@link #JSON_KEYS}: time as ISO-8601, enums lower-case, no promoted node as null. */
    public static Map<String, Object> asMap(FailoverEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", e.time().toString());
        m.put("observer", e.observer());
        m.put("failed_node", e.failedNode());
        m.put("level", e.level().configName());
        m.put("region", e.region());
        m.put("action", e.action().configName());
        m.put("promoted_node", e.promotedNode().orElse(null));
        m.put("sessions_moved", e.sessionsMoved());
        m.put("policy", e.policy());
        m.put("detail", e.detail());
        return m;
    }

    private static String render(Object v) {
        if (v == null) {
            return "-";
        }
        String s = v.toString();
        if (PLAIN.matcher(s).matches()) {
            return s;
        }
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n") + '"';
    }
}
