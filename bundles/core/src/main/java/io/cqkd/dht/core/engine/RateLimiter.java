package io.cqkd.dht.core.engine;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits incoming requests: one token bucket per source (address AND port, so nodes sharing a
 * host do not starve each other), then one global bucket. The per-source map is bounded: the
 * least recently seen source is forgotten first (a forgotten source starts again with a full
 * bucket, which bounds memory at the cost of letting a flood of fresh sources through the
 * per-source limit; the global bucket still holds). A source whose bucket has refilled completely
 * is forgotten too (least recently seen first, a few per request): a full bucket and a new one are
 * the same thing, so this changes no verdict, and the map holds only the sources heard from within
 * the last {@code burst / rate} seconds instead of every source up to {@code maxSources} (at 1000
 * nodes on one host that was ~80 buckets and 15 KB per node). Not thread-safe: engine thread only.
 */
public final class RateLimiter {
    /** Why a request was refused, or that it was not. */
    public enum Verdict { ALLOWED, SOURCE_LIMITED, GLOBAL_LIMITED }

    private final double perSourceRate;
    private final int perSourceBurst;
    private final TokenBucket global;
    private final Map<InetSocketAddress, TokenBucket> sources;

    /**
     * A limiter.
     *
     * @param perSourceRate  sustained requests per second per source
     * @param perSourceBurst burst per source
     * @param globalRate     sustained requests per second over all sources
     * @param globalBurst    global burst
     * @param maxSources     sources tracked at most
     * @param now            engine time now
     */
    public RateLimiter(double perSourceRate, int perSourceBurst, double globalRate, int globalBurst,
                       int maxSources, long now) {
        this.perSourceRate = perSourceRate;
        this.perSourceBurst = perSourceBurst;
        this.global = new TokenBucket(globalRate, globalBurst, now);
        this.sources = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, TokenBucket> eldest) {
                return size() > maxSources;
            }
        };
    }

    /** Decides on one request from {@code source} at engine time {@code now}. */
    public Verdict check(InetSocketAddress source, long now) {
        forgetRefilled(now);
        TokenBucket b = sources.get(source);
        if (b == null) {
            b = new TokenBucket(perSourceRate, perSourceBurst, now);
            sources.put(source, b);
        }
        if (!b.tryAcquire(now)) {
            return Verdict.SOURCE_LIMITED;
        }
        return global.tryAcquire(now) ? Verdict.ALLOWED : Verdict.GLOBAL_LIMITED;
    }

    /**
     * Drops up to {@link #SWEEP_PER_CHECK} of the least recently seen sources whose bucket is full
     * at {@code now}, stopping at the first that is not: each check adds at most one source, so
     * this keeps up with any request rate at O(1) per check.
     */
    private void forgetRefilled(long now) {
        if (sources.isEmpty()) {
            return;
        }
        Iterator<TokenBucket> it = sources.values().iterator();
        for (int i = 0; i < SWEEP_PER_CHECK && it.hasNext(); i++) {
            if (!it.next().fullAt(now)) {
                return;
            }
            it.remove();
        }
    }

    /** Least recently seen sources examined per {@link #check}. */
    private static final int SWEEP_PER_CHECK = 2;

    /** Sources currently tracked. */
    public int trackedSources() {
        return sources.size();
    }
}
