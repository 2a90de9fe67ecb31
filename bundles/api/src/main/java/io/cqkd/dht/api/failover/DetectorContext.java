package io.cqkd.dht.api.failover;

/**
 * What the observer's failure detector knew when it declared a node failed.
 *
 * @param lastHeardMillis   when the node was last heard from, -1 never
 * @param suspectedAtMillis when it became SUSPECTED
 * @param failedAtMillis    when it was declared FAILED
 * @param missedProbes      probes that went unanswered since it was last heard from
 */
public record DetectorContext(long lastHeardMillis, long suspectedAtMillis, long failedAtMillis, int missedProbes) {
    /** Rejects a negative miss count. */
    public DetectorContext {
        if (missedProbes < 0) {
            throw new IllegalArgumentException("missed probes must be >= 0, got " + missedProbes);
        }
    }
}
