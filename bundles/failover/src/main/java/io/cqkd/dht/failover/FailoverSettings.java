package io.cqkd.dht.failover;

import io.cqkd.dht.api.failover.DetectorSettings;
import io.cqkd.dht.tier.failover.BackupPlan;
import io.cqkd.dht.tier.failover.FailoverLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The failover service's configuration (PID {@code io.cqkd.dht.failover}), validated. Invalid
 * values do not stop the service: each group falls back to its default and the problem is kept
 * in {@link #warnings()} (logged at WARN by the component).
 *
 * @param policyTarget the {@code policy.target} filter (only shown; SCR applies it)
 * @param eventLimit   events kept in the log
 * @param detector     failure-detector settings for every node of the container
 * @param backups      configured backups
 * @param warnings     what was invalid and replaced by a default
 */
public record FailoverSettings(String policyTarget, int eventLimit, DetectorSettings detector, BackupPlan backups,
                               List<String> warnings) {
    /** Property: LDAP filter selecting the policy service. */
    public static final String POLICY_TARGET = "policy.target";
    /** Property: events kept. */
    public static final String EVENTS_MAX = "events.max";
    /** Property: probe period in ms. */
    public static final String PROBE_PERIOD = "probe.period.ms";
    /** Property: probe timeout in ms. */
    public static final String PROBE_TIMEOUT = "probe.timeout.ms";
    /** Property: suspicion length in ms. */
    public static final String SUSPICION = "suspicion.ms";
    /** Property: unanswered probes before failure. */
    public static final String MISSED_MIN = "probe.missed.min";
    /** Property: backup entries {@code node=backup1,backup2}. */
    public static final String BACKUPS = "backups";
    /** Default policy filter: the seed's failover manager. */
    public static final String DEFAULT_TARGET = "(policy=promote-backup)";

    /** Copies. */
    public FailoverSettings {
        Objects.requireNonNull(policyTarget, "policyTarget");
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(backups, "backups");
        warnings = List.copyOf(warnings);
    }

    /** Every default. */
    public static FailoverSettings defaults() {
        return new FailoverSettings(DEFAULT_TARGET, FailoverLog.DEFAULT_LIMIT, DetectorSettings.DEFAULTS,
                BackupPlan.defaults(), List.of());
    }

    /** From component properties (absent keys take their defaults). */
    public static FailoverSettings from(Map<String, ?> props) {
        List<String> warnings = new ArrayList<>();
        Object t = props.get(POLICY_TARGET);
        String target = t == null || t.toString().isBlank() ? DEFAULT_TARGET : t.toString().trim();

        int eventLimit = (int) number(props, EVENTS_MAX, FailoverLog.DEFAULT_LIMIT, warnings);
        if (eventLimit < 1 || eventLimit > FailoverLog.MAX_LIMIT) {
            warnings.add(EVENTS_MAX + " must be 1-" + FailoverLog.MAX_LIMIT + ", got " + eventLimit + "; using "
                    + FailoverLog.DEFAULT_LIMIT);
            eventLimit = FailoverLog.DEFAULT_LIMIT;
        }

        long period = number(props, PROBE_PERIOD, DetectorSettings.DEFAULT_PROBE_PERIOD_MILLIS, warnings);
        long timeout = number(props, PROBE_TIMEOUT, DetectorSettings.DEFAULT_PROBE_TIMEOUT_MILLIS, warnings);
        long suspicion = number(props, SUSPICION, DetectorSettings.DEFAULT_SUSPICION_MILLIS, warnings);
        long missed = number(props, MISSED_MIN, DetectorSettings.DEFAULT_MIN_MISSED_PROBES, warnings);
        DetectorSettings detector = DetectorSettings.DEFAULTS;
        List<String> problems = DetectorSettings.problems(period, timeout, suspicion, (int) Math.min(missed, 1_000));
        if (problems.isEmpty()) {
            detector = new DetectorSettings(period, timeout, suspicion, (int) missed);
        } else {
            warnings.add("failure detector: " + String.join("; ", problems) + "; using the defaults "
                    + describe(DetectorSettings.DEFAULTS));
        }

        BackupPlan backups = BackupPlan.defaults();
        try {
            backups = BackupPlan.parse(strings(props.get(BACKUPS)));
        } catch (IllegalArgumentException e) {
            warnings.add(e.getMessage() + "; using the default rule for every node");
        }
        return new FailoverSettings(target, eventLimit, detector, backups, warnings);
    }

    /** {@code period=1000ms timeout=1000ms suspicion=5000ms missed=3}. */
    public static String describe(DetectorSettings d) {
        return "period=" + d.probePeriodMillis() + "ms timeout=" + d.probeTimeoutMillis() + "ms suspicion="
                + d.suspicionMillis() + "ms missed=" + d.minMissedProbes();
    }

    private static long number(Map<String, ?> props, String key, long def, List<String> warnings) {
        Object v = props.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            warnings.add(key + " must be a whole number, got '" + v + "'; using " + def);
            return def;
        }
    }

    private static List<String> strings(Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof String[] a) {
            return Arrays.asList(a);
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of(v.toString());
    }
}
