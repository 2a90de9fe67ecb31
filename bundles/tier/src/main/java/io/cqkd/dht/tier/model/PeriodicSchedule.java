package io.cqkd.dht.tier.model;

/**
 * When a periodic duty (load report, statistics event) is due, under the caller's clock. Missed
 * periods are not replayed: after a pause the duty runs once and the next one is a full period
 * later. Confined to one thread.
 */
public final class PeriodicSchedule {
    private final long periodMillis;
    private long nextDueMillis;

    /** First due at {@code startMillis + periodMillis}. */
    public PeriodicSchedule(long periodMillis, long startMillis) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("period must be > 0 ms, got " + periodMillis);
        }
        this.periodMillis = periodMillis;
        this.nextDueMillis = startMillis + periodMillis;
    }

    /** True (once) when the duty is due at {@code nowMillis}; then schedules the next. */
    public boolean poll(long nowMillis) {
        if (nowMillis < nextDueMillis) {
            return false;
        }
        nextDueMillis += periodMillis;
        if (nextDueMillis <= nowMillis) {
            nextDueMillis = nowMillis + periodMillis;
        }
        return true;
    }

    /** When the duty is next due (for the engine's timer). */
    public long nextDueMillis() {
        return nextDueMillis;
    }

    /** The period. */
    public long periodMillis() {
        return periodMillis;
    }
}
