package io.cqkd.dht.tier.service;

import java.util.Set;

/**
 * What the {@code tier:*} commands show beyond {@link io.cqkd.dht.api.tier.TierService}: which
 * nodes run here, whether a region's worker list is complete, which selector filter is
 * configured. Implemented by {@link TierRuntime}; the commands use it when the bound tier
 * service offers it (private to this bundle, not API).
 */
public interface TierInsight {
    /** Names of the bootstrap nodes running in this container. */
    Set<String> localNodeNames();

    /** True when a regional node of {@code region} runs in this container (its worker list is complete). */
    boolean hasLocalRegional(String region);

    /** The configured selector target filter. */
    String selectorTarget();
}
