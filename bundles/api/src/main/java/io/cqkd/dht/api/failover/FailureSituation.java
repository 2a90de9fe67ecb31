package io.cqkd.dht.api.failover;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.TierView;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link FailoverPolicy} may use to decide what to do about one failed node, as the
 * node that detected the failure (the observer) knows it.
 *
 * @param observer       name of the observing node (a bootstrap node's name, or a worker's node id)
 * @param observerRole   the observer's role
 * @param observerRegion the observer's region, "" when none
 * @param relation       how the failed node relates to the observer
 * @param failed         the failed node as last known (level, region, parent, last reported load)
 * @param view           what the observer knows of the tier now (for a parent: its children and
 *                       peers from their load reports; for a client: its last tier view)
 * @param backups        the configured backups of the failed node, in preference order (resolved
 *                       by the {@link FailoverSink} from its configuration; callers pass what
 *                       they know or an empty list)
 * @param unavailable    names the observer must not pick: nodes its detector holds SUSPECTED or
 *                       FAILED, and nodes already tried since this failure
 * @param candidates     client side: what the observer's bootstrap-selection strategy gives now,
 *                       grouped supers, regionals, locals and least-loaded first within a level;
 *                       may be empty, then policies fall back to {@link #view()}
 * @param detector       the detector's context of the declaration
 */
public record FailureSituation(String observer, NodeRole observerRole, String observerRegion,
                               WatchRelation relation, BootstrapNode failed, TierView view, List<String> backups,
                               Set<String> unavailable, List<BootstrapNode> candidates, DetectorContext detector) {
    /** Copies the collections; rejects nulls. */
    public FailureSituation {
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(observerRole, "observerRole");
        observerRegion = observerRegion == null ? "" : observerRegion;
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(failed, "failed");
        Objects.requireNonNull(view, "view");
        backups = List.copyOf(backups);
        unavailable = Set.copyOf(unavailable);
        candidates = List.copyOf(candidates);
        Objects.requireNonNull(detector, "detector");
    }

    /** The same situation with other backups (the sink fills them from configuration). */
    public FailureSituation withBackups(List<String> backups) {
        return new FailureSituation(observer, observerRole, observerRegion, relation, failed, view, backups,
                unavailable, candidates, detector);
    }

    /** True when {@code name} may be picked: not the failed node and not unavailable. */
    public boolean usable(String name) {
        return !name.equals(failed.name()) && !unavailable.contains(name);
    }
}
