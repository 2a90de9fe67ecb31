package io.cqkd.dht.core.engine;

/**
 * A token bucket: {@code ratePerSecond} tokens per second up to {@code burst}. Time is passed in
 * (engine milliseconds), so it is deterministic under a manual clock. Not thread-safe.
 */
public final class TokenBucket {
    private final double ratePerMilli;
    private final double burst;
    private double tokens;
    private long lastMillis;

    /** A full bucket at engine time {@code now}. */
    public TokenBucket(double ratePerSecond, int burst, long now) {
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.lastMillis = now;
    }

    /** Takes one token if there is one. */
    public boolean tryAcquire(long now) {
        refill(now);
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /** Tokens available at {@code now}. */
    public double available(long now) {
        refill(now);
        return tokens;
    }

    /**
     * True when the bucket is full at {@code now} (a read: nothing changes): it then behaves exactly
     * like a new bucket created at {@code now}, so a holder of many buckets may drop it.
     */
    public boolean fullAt(long now) {
        return tokens >= burst || (now > lastMillis && tokens + (now - lastMillis) * ratePerMilli >= burst);
    }

    private void refill(long now) {
        if (now > lastMillis) {
            tokens = Math.min(burst, tokens + (now - lastMillis) * ratePerMilli);
            lastMillis = now;
        }
    }
}
