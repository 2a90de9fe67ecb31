package io.cqkd.dht.api.tier;

import java.util.Objects;

/**
 * What a client asks a {@link BootstrapSelector} for.
 *
 * @param region          the client's region, "" when it has none (then any region will do)
 * @param expectedWorkers how many workers the deployment expects (the seed's worker_count);
 *                        0 when unknown, which the adaptive strategy treats as small
 */
public record SelectionRequest(String region, int expectedWorkers) {
    /** Rejects a null region and a negative worker count. */
    public SelectionRequest {
        Objects.requireNonNull(region, "region");
        region = region.trim();
        if (expectedWorkers < 0) {
            throw new IllegalArgumentException("expected worker count must be >= 0, got " + expectedWorkers);
        }
    }

    /** True when a region was given. */
    public boolean hasRegion() {
        return !region.isEmpty();
    }
}
