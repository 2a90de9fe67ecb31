package io.cqkd.dht.core.netty;

/**
 * Lets one log line through per interval, counting the ones it suppressed, so that hostile or
 * faulty traffic cannot flood the log. Thread-safe enough for logging (a rare duplicate line is
 * acceptable).
 */
final class LogThrottle {
    private final long intervalNanos;
    private volatile long next;
    private long suppressed;

    LogThrottle(long intervalMillis) {
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.next = System.nanoTime();
    }

    /** -1 when the line must be suppressed, otherwise the number suppressed since the last one. */
    synchronized long admit() {
        long now = System.nanoTime();
        if (now - next < 0) {
            suppressed++;
            return -1;
        }
        next = now + intervalNanos;
        long s = suppressed;
        suppressed = 0;
        return s;
    }
}
