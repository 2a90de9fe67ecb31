package io.cqkd.dht.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void emptySampleHasNoFigures() {
        Stats s = new Stats();
        assertEquals(0, s.count());
        assertTrue(Double.isNaN(s.p50()));
        assertTrue(Double.isNaN(s.mean()));
        assertTrue(Double.isNaN(s.max()));
    }

    @Test
    void percentilesUseThePeersDefinition() {
        // bench_node.mjs pct(): sorted[round(p/100 * (n-1))]
        Stats s = new Stats();
        for (int i = 100; i >= 1; i--) {
            s.add(i);
        }
        assertEquals(51, s.p50(), "round(0.5 * 99) = 50 -> 51");
        assertEquals(99, s.p99(), "round(0.99 * 99) = 98 -> 99");
        assertEquals(1, s.percentile(0));
        assertEquals(100, s.percentile(100));
        assertEquals(50.5, s.mean(), 1e-9);
        assertEquals(100, s.max());
    }

    @Test
    void singleValueIsEveryPercentile() {
        Stats s = new Stats();
        s.add(7.5);
        assertEquals(7.5, s.p50());
        assertEquals(7.5, s.p99());
    }

    @Test
    void addingAfterAPercentileKeepsItCorrect() {
        Stats s = new Stats();
        s.add(3);
        s.add(1);
        assertEquals(3, s.p99());
        s.add(2);
        assertEquals(2, s.p50());
        s.add(0.5);
        assertEquals(0.5, s.percentile(0));
    }

    @Test
    void refusesNaNAndBadPercentiles() {
        Stats s = new Stats();
        assertThrows(IllegalArgumentException.class, () -> s.add(Double.NaN));
        s.add(1);
        assertThrows(IllegalArgumentException.class, () -> s.percentile(101));
    }
}
