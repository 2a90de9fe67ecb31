package io.cqkd.dht.ports;

import io.cqkd.dht.api.NodeRole;
import java.util.Locale;

/** The configurable port ranges: one per kind of node. */
public enum RangeName {
    /** Workers: 7000-7999 by default. */
    WORKER,
    /** The bootstrap tier (super, regional and local): 5678-5761 by default. */
    BOOTSTRAP,
    /** Special protocol nodes (Alice, Bob): 6000-6099 by default. */
    SPECIAL;

    /** The range a node of {@code role} gets its ports from. */
    public static RangeName of(NodeRole role) {
        return switch (role) {
            case WORKER -> WORKER;
            case SPECIAL -> SPECIAL;
            case SUPER, REGIONAL, LOCAL -> BOOTSTRAP;
        };
    }

    /** Lower-case name as shown by the commands and used in configuration keys. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
