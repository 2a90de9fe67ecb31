package io.cqkd.dht.bench;

import java.util.Arrays;

/**
 * A growing sample of doubles with the summary figures the report needs. Percentiles use the same
 * definition as the peers' harnesses ({@code ../shared/peers/bench_node.mjs} {@code pct}): the element
 * at index {@code round(p/100 * (n-1))} of the sorted sample, so figures compare one to one.
 * Not thread-safe.
 */
public final class Stats {
    private double[] values = new double[16];
    private int n;
    private boolean sorted = true;

    /** Adds one observation (NaN is refused: a missing figure must not become a number). */
    public void add(double v) {
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException("NaN observation");
        }
        if (n == values.length) {
            values = Arrays.copyOf(values, n * 2);
        }
        if (n > 0 && v < values[n - 1]) {
            sorted = false;
        }
        values[n++] = v;
    }

    /** Number of observations. */
    public int count() {
        return n;
    }

    /** The p-th percentile (0..100), or NaN when empty. */
    public double percentile(double p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be 0..100, got " + p);
        }
        if (n == 0) {
            return Double.NaN;
        }
        sort();
        int idx = (int) Math.min(n - 1, Math.round(p / 100.0 * (n - 1)));
        return values[idx];
    }

    /** Median (see the class comment for the definition). */
    public double p50() {
        return percentile(50);
    }

    /** 99th percentile. */
    public double p99() {
        return percentile(99);
    }

    /** Arithmetic mean, NaN when empty. */
    public double mean() {
        if (n == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += values[i];
        }
        return s / n;
    }

    /** Largest observation, NaN when empty. */
    public double max() {
        if (n == 0) {
            return Double.NaN;
        }
        sort();
        return values[n - 1];
    }

    private void sort() {
        if (!sorted) {
            Arrays.sort(values, 0, n);
            sorted = true;
        }
    }
}
