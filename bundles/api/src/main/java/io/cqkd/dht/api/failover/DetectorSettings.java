package io.cqkd.dht.api.failover;

import java.util.ArrayList;
import java.util.List;

/**
 * Failure-detector configuration, the same for every watched node of a container.
 *
 * <p>A node is declared failed no earlier than {@code probeTimeoutMillis + suspicionMillis}
 * after the first unanswered probe, and only after {@code minMissedProbes} probes went
 * unanswered. A pause shorter than that (a GC pause, a slow container) or a lost packet never
 * causes failover: with the defaults (probe every 1 s, timeout 1 s, suspicion 5 s, 3 misses)
 * a node is declared failed 6-7 s after it stops answering and a 3 s pause leaves about 3 s of
 * margin.
 *
 * @param probePeriodMillis  time between two probes of one node, 100 ms - 10 min
 * @param probeTimeoutMillis time after which an unanswered probe counts as missed, 50 ms - 10 min,
 *                           at most the probe period (one probe outstanding per node)
 * @param suspicionMillis    how long a node stays SUSPECTED before it may be declared FAILED,
 *                           0 - 1 h; at least one probe period so that one more probe is sent
 * @param minMissedProbes    unanswered probes needed to declare failure, 2 - 100 (2 is the least
 *                           that makes a single lost packet harmless)
 */
public record DetectorSettings(long probePeriodMillis, long probeTimeoutMillis, long suspicionMillis,
                               int minMissedProbes) {
    /** Default probe period. */
    public static final long DEFAULT_PROBE_PERIOD_MILLIS = 1_000;
    /** Default probe timeout. */
    public static final long DEFAULT_PROBE_TIMEOUT_MILLIS = 1_000;
    /** Default suspicion length. */
    public static final long DEFAULT_SUSPICION_MILLIS = 5_000;
    /** Default unanswered probes before failure. */
    public static final int DEFAULT_MIN_MISSED_PROBES = 3;
    /** The defaults. */
    public static final DetectorSettings DEFAULTS = new DetectorSettings(DEFAULT_PROBE_PERIOD_MILLIS,
            DEFAULT_PROBE_TIMEOUT_MILLIS, DEFAULT_SUSPICION_MILLIS, DEFAULT_MIN_MISSED_PROBES);

    /**
     * Validates every value.
     *
     * @throws IllegalArgumentException naming every problem
     */
    public DetectorSettings {
        List<String> problems = problems(probePeriodMillis, probeTimeoutMillis, suspicionMillis, minMissedProbes);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid failure-detector settings: " + String.join("; ", problems));
        }
    }

    /** The problems of a candidate configuration, empty when it is valid. */
    public static List<String> problems(long probePeriodMillis, long probeTimeoutMillis, long suspicionMillis,
                                        int minMissedProbes) {
        List<String> p = new ArrayList<>();
        if (probePeriodMillis < 100 || probePeriodMillis > 600_000) {
            p.add("probe period must be 100-600000 ms, got " + probePeriodMillis);
        }
        if (probeTimeoutMillis < 50 || probeTimeoutMillis > 600_000) {
            p.add("probe timeout must be 50-600000 ms, got " + probeTimeoutMillis);
        } else if (probeTimeoutMillis > probePeriodMillis) {
            p.add("probe timeout (" + probeTimeoutMillis + " ms) must not exceed the probe period ("
                    + probePeriodMillis + " ms)");
        }
        if (suspicionMillis < 0 || suspicionMillis > 3_600_000) {
            p.add("suspicion must be 0-3600000 ms, got " + suspicionMillis);
        } else if (suspicionMillis < probePeriodMillis) {
            p.add("suspicion (" + suspicionMillis + " ms) must be at least one probe period ("
                    + probePeriodMillis + " ms)");
        }
        if (minMissedProbes < 2 || minMissedProbes > 100) {
            p.add("missed probes before failure must be 2-100, got " + minMissedProbes);
        }
        return p;
    }

    /** Earliest time from the first unanswered probe to a FAILED declaration. */
    public long minimumDetectionMillis() {
        return probeTimeoutMillis + suspicionMillis;
    }
}
