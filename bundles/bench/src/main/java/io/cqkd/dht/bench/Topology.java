package io.cqkd.dht.bench;

import java.util.Locale;

/**
 * How the benchmark network is shaped; each shape is a {@link NetworkPlan} ({@link NetworkPlan#of}).
 */
public enum Topology {
    /** S ordinary seed nodes; every joiner bootstraps off all of them (the peers' workload). */
    FLAT("flat"),
    /** Super and regional bootstrap nodes, each worker joins a regional of its region ({@link TwoLevelPlan}). */
    TWO_LEVEL("two-level"),
    /** Super, regional and local bootstrap nodes, each worker joins a local ({@link ThreeLevelPlan}). */
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
