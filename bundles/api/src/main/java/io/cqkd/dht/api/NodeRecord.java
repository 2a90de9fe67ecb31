package io.cqkd.dht.api;

import java.util.Objects;
import java.util.Set;

/**
 * What a node announces about itself with every message: its role, its region (empty when it
 * has none) and its capabilities (free-form tags such as {@code qkd}, {@code alice}).
 *
 * @param role         the node's role
 * @param region       region name, never null ("" for none)
 * @param capabilities capability tags, immutable
 */
public record NodeRecord(NodeRole role, String region, Set<String> capabilities) {
    /** Longest region name carried on the wire. */
    public static final int MAX_REGION_LENGTH = 32;
    /** Most capabilities carried on the wire. */
    public static final int MAX_CAPABILITIES = 8;
    /** Longest capability tag carried on the wire. */
    public static final int MAX_CAPABILITY_LENGTH = 32;

    /** A plain worker with no region and no capabilities. */
    public static final NodeRecord WORKER = new NodeRecord(NodeRole.WORKER, "", Set.of());

    /** Validates bounds so a record always fits a datagram. */
    public NodeRecord {
        Objects.requireNonNull(role, "role");
        region = region == null ? "" : region;
        capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
        if (region.length() > MAX_REGION_LENGTH) {
            throw new IllegalArgumentException("region longer than " + MAX_REGION_LENGTH + " characters");
        }
        if (capabilities.size() > MAX_CAPABILITIES) {
            throw new IllegalArgumentException("more than " + MAX_CAPABILITIES + " capabilities");
        }
        for (String c : capabilities) {
            if (c.isEmpty() || c.length() > MAX_CAPABILITY_LENGTH) {
                throw new IllegalArgumentException("capability must be 1-" + MAX_CAPABILITY_LENGTH + " characters");
            }
        }
    }

    // Written out for the same reason as Contact's: the generated ones use invokedynamic.

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof NodeRecord r && role == r.role && region.equals(r.region)
                && capabilities.equals(r.capabilities);
    }

    @Override
    public int hashCode() {
        return (role.ordinal() * 31 + region.hashCode()) * 31 + capabilities.hashCode(); // ordinal: the same in every run
    }
}
