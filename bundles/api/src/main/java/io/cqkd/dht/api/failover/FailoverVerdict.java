package io.cqkd.dht.api.failover;

import io.cqkd.dht.api.tier.BootstrapNode;
import java.util.Objects;

/**
 * A decision as the {@link FailoverSink} hands it to the observer: which policy made it, for
 * whom and about which node. The observer applies {@link #decision()} and then reports it with
 * {@link FailoverSink#applied(FailoverVerdict, int)}.
 *
 * @param policy   name of the policy that decided ("" when none was bound: then the decision is
 *                 {@link FailoverDecision.NoAction}; {@code restore} for restorations, which the
 *                 sink decides itself)
 * @param observer the observer it was made for
 * @param node     the failed (or recovered) node
 * @param relation how {@code node} relates to the observer
 * @param decision the decision
 */
public record FailoverVerdict(String policy, String observer, BootstrapNode node, WatchRelation relation,
                              FailoverDecision decision) {
    /** Rejects nulls. */
    public FailoverVerdict {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(decision, "decision");
    }

    /** True when there is something to apply. */
    public boolean actionable() {
        return !(decision instanceof FailoverDecision.NoAction);
    }
}
