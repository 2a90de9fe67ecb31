package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cqkd.dht.core.sim.SimCluster;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    static final InetSocketAddress A = SimCluster.address(1);
    static final InetSocketAddress A_OTHER_PORT = new InetSocketAddress(A.getAddress(), 7001);

    int allowed(RateLimiter l, InetSocketAddress from, int tries, long now) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (l.check(from, now) == RateLimiter.Verdict.ALLOWED) {
                n++;
            }
        }
        return n;
    }

    @Test
    void perSourceBurstThenRate() {
        RateLimiter l = new RateLimiter(10, 20, 1_000, 1_000, 100, 0);
        assertEquals(20, allowed(l, A, 50, 0), "the burst");
        assertEquals(RateLimiter.Verdict.SOURCE_LIMITED, l.check(A, 0));
        assertEquals(5, allowed(l, A, 50, 500), "10/s refills 5 in 500 ms");
    }

    @Test
    void sameHostOtherPortIsAnotherSource() {
        RateLimiter l = new RateLimiter(10, 20, 1_000, 1_000, 100, 0);
        allowed(l, A, 50, 0);
        assertEquals(20, allowed(l, A_OTHER_PORT, 50, 0), "co-located nodes do not starve each other");
    }

    @Test
    void globalLimitHoldsAcrossSources() {
        RateLimiter l = new RateLimiter(100, 100, 10, 30, 1000, 0);
        int total = 0;
        for (int i = 1; i <= 10; i++) {
            total += allowed(l, SimCluster.address(i), 10, 0);
        }
        assertEquals(30, total);
        assertEquals(RateLimiter.Verdict.GLOBAL_LIMITED, l.check(SimCluster.address(11), 0));
    }

    @Test
    void trackedSourcesAreBounded() {
        RateLimiter l = new RateLimiter(10, 20, 1e9, 1_000_000_000, 50, 0);
        for (int i = 1; i <= 500; i++) {
            l.check(SimCluster.address(i), 0);
        }
        assertEquals(50, l.trackedSources());
    }
}
