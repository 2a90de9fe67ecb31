package io.cqkd.dht.api.failover;

import io.cqkd.dht.api.NodeRole;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One applied failover, as kept in the bounded event log and shown by {@code failover:events}.
 *
 * @param time          when it was recorded (wall clock)
 * @param observer      the node that detected the failure and applied the decision
 * @param failedNode    the failed (for {@link FailoverAction#RESTORE}: recovered) node
 * @param level         its level
 * @param region        its region, "" for none
 * @param action        what was done
 * @param promotedNode  the node that took over: the promoted backup, or for a client the node it
 *                      moved to; empty for {@link FailoverAction#MARK_FAILED} and when a client
 *                      escalated without a candidate
 * @param sessionsMoved sessions moved (parent: referrals planned onto remaining nodes; client: 1)
 * @param policy        the policy that decided ({@code restore} events carry the policy that promoted)
 * @param detail        one operator-readable line (capacity change, unplaced sessions, reason)
 */
public record FailoverEvent(Instant time, String observer, String failedNode, NodeRole level, String region,
                            FailoverAction action, Optional<String> promotedNode, int sessionsMoved, String policy,
                            String detail) {
    /** Structured-log event name. */
    public static final String LOG_EVENT = "tier.failover";

    /** Rejects nulls and a negative session count. */
    public FailoverEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(failedNode, "failedNode");
        Objects.requireNonNull(level, "level");
        region = region == null ? "" : region;
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(promotedNode, "promotedNode");
        Objects.requireNonNull(policy, "policy");
        detail = detail == null ? "" : detail;
        if (sessionsMoved < 0) {
            throw new IllegalArgumentException("sessions moved must be >= 0, got " + sessionsMoved);
        }
    }
}
