package io.cqkd.dht.api.tier;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One bootstrap node (super, regional or local) running in this container, as the node runtime
 * registers it: one service per bootstrap node, with the service properties {@value #PROP_NAME},
 * {@value #PROP_LEVEL} and {@value #PROP_REGION}. The tier service aggregates them.
 */
@ProviderType
public interface TierNode {
    /** Service property: the node's name in the tier. */
    String PROP_NAME = "tier.node.name";
    /** Service property: super, regional or local. */
    String PROP_LEVEL = "tier.node.level";
    /** Service property: the node's region ("" for none). */
    String PROP_REGION = "tier.node.region";

    /** The node's name in the tier. */
    String name();

    /**
     * What the node knows now. Never blocks for long (it waits at most a few seconds for the
     * node's engine thread); a node that is not running returns a snapshot with
     * {@link TierNodeSnapshot#running()} false.
     */
    TierNodeSnapshot snapshot();
}
