package io.cqkd.dht.api.tier;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A client-side bootstrap-selection strategy ({@code direct}, {@code two-level},
 * {@code three-level}, {@code adaptive}): given what the client knows of the tier, which
 * bootstrap nodes it should contact. Registered as a service with the property
 * {@code strategy=<name>} so configuration chooses one with a target filter; strategies are
 * stateless and may be swapped at runtime.
 *
 * <p>Contract for every implementation: never return an unhealthy node, never return a node
 * twice, order each level least-loaded first ({@link BootstrapNode#LOAD_ORDER}), be
 * deterministic (equal inputs give equal output) and never throw for an empty or partial view
 * (return what fits, possibly nothing).
 */
@ConsumerType
public interface BootstrapSelector {
    /** Service property naming the strategy. */
    String PROP_STRATEGY = "strategy";

    /** The strategy's name, equal to its {@value #PROP_STRATEGY} service property. */
    String name();

    /**
     * The bootstrap nodes to contact, grouped by level from the top (supers, then regionals,
     * then locals), each group least-loaded first.
     */
    List<BootstrapNode> select(SelectionRequest request, TierView view);
}
