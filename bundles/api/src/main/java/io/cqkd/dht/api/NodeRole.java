package io.cqkd.dht.api;

import java.util.Locale;

/** What a node is in the CQKD network. The first three are the bootstrap tier's levels. */
public enum NodeRole {
    /** Top of the bootstrap tier (sb-primary ...), ports 5678-5681 by default. */
    SUPER,
    /** Regional bootstrap node (rb-east-1 ...), attached to a super node. */
    REGIONAL,
    /** Local bootstrap node (lb-001 ...), attached to a regional node. */
    LOCAL,
    /** An ordinary worker. */
    WORKER,
    /** A special protocol node such as Alice or Bob. */
    SPECIAL;

    /** values() copies its array on every call; the codec parses a role per contact. */
    private static final NodeRole[] ALL = values();

    /** True for the three bootstrap levels. */
    public boolean isBootstrap() {
        return this == SUPER || this == REGIONAL || this == LOCAL;
    }

    /** Lower-case name as used in configuration ({@code super}, {@code worker} ...). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configuration value, case-insensitively; names the accepted values when it fails. */
    public static NodeRole parse(String value) {
        if (value != null) {
            for (NodeRole r : ALL) {
                if (r.name().equalsIgnoreCase(value.trim())) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("unknown role '" + value
                + "' (expected super, regional, local, worker or special)");
    }
}
