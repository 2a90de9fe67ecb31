package io.cqkd.dht.api.failover;

import io.cqkd.dht.api.NodeRole;
import java.time.Instant;
import java.util.Objects;

/**
 * One watched node as one observer's failure detector sees it: a row of {@code failover:status}
 * and the payload of {@link FailoverSink#stateChanged(WatchedNode)}.
 *
 * @param observer     the watching node
 * @param node         the watched node's name
 * @param level        its level
 * @param region       its region, "" for none
 * @param relation     how it relates to the observer
 * @param state        the detector's state
 * @param since        when it entered {@code state} (wall clock; the sink stamps it on receipt)
 * @param missedProbes unanswered probes since it was last heard from
 */
public record WatchedNode(String observer, String node, NodeRole level, String region, WatchRelation relation,
                          WatchState state, Instant since, int missedProbes) {
    /** Rejects nulls. */
    public WatchedNode {
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(level, "level");
        region = region == null ? "" : region;
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }

    /** The same row with another time. */
    public WatchedNode at(Instant since) {
        return new WatchedNode(observer, node, level, region, relation, state, since, missedProbes);
    }
}
