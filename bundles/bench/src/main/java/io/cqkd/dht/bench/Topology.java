package io.cqkd.dht.bench;

import java.util.Locale;

/**
 * How the benchmark network is shaped. Only {@link #FLAT} runs today; the tiered shapes need the
 * tier's network protocol in the engine (see {@link NetworkPlan} for the seam they plug into).
 */
public enum Topology {
    /** S ordinary seed nodes; every joiner bootstraps off all of them (the peers' workload). */
    FLAT("flat"),
    /** Super nodes and local bootstrap nodes, workers referred to a local one. */
    TWO_LEVEL("two-level"),
    /** Super, regional and local bootstrap nodes, workers referred down the tier. */
    THREE_LEVEL("three-level");

    private final String cliName;

    Topology(String cliName) {
        this.cliName = cliName;
    }

    /** The option value ({@code flat}, {@code two-level}, {@code three-level}). */
    public String cliName() {
        return cliName;
    }

    /** Parses an option value. */
    public static Topology parse(String s) {
        for (Topology t : values()) {
            if (t.cliName.equals(s.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("--topology must be flat, two-level or three-level, got '" + s + "'");
    }
}
