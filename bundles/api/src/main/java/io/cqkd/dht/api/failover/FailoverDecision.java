package io.cqkd.dht.api.failover;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link FailoverPolicy} decided. A value: the observer applies it (see the package
 * documentation and {@code docs/failover.md} for what each kind means for the tier agent).
 * Client-side kinds are {@link TryNext} and {@link Escalate}; server-side (the observer manages
 * the failed node) kinds are {@link Promote} and {@link MarkFailed}; {@link Restore} follows a
 * recovery; {@link NoAction} is always possible.
 */
public sealed interface FailoverDecision {
    /** The role a promoted backup takes, as the seed says. */
    String ROLE_PRIMARY = "primary";

    /** The kind of decision, as it appears in events. */
    FailoverAction action();

    /** Sessions this decision moves (client: 1 for itself; parent: the planned referrals). */
    int sessionsMoved();

    /**
     * Part of a rebalance: {@code sessions} of the failed node's sessions are expected to land on
     * {@code node}.
     *
     * @param node     a remaining healthy node
     * @param sessions how many, &gt; 0
     */
    record Referral(String node, int sessions) {
        /** Validates. */
        public Referral {
            Objects.requireNonNull(node, "node");
            if (sessions <= 0) {
                throw new IllegalArgumentException("a referral moves at least one session, got " + sessions);
            }
        }
    }

    /**
     * Do nothing.
     *
     * @param reason one operator-readable line
     */
    record NoAction(String reason) implements FailoverDecision {
        /** Rejects null. */
        public NoAction {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public FailoverAction action() {
            return FailoverAction.NONE;
        }

        @Override
        public int sessionsMoved() {
            return 0;
        }
    }

    /**
     * Client side: join (or report to) {@code next} instead of the failed node; if that fails
     * too, ask again with the failed attempts in {@link FailureSituation#unavailable()}.
     *
     * @param next the node to try now
     * @param then the other usable nodes of the same level, in order
     */
    record TryNext(BootstrapNode next, List<BootstrapNode> then) implements FailoverDecision {
        /** Copies. */
        public TryNext {
            Objects.requireNonNull(next, "next");
            then = List.copyOf(then);
        }

        @Override
        public FailoverAction action() {
            return FailoverAction.RETRY_NEXT;
        }

        @Override
        public int sessionsMoved() {
            return 1;
        }
    }

    /**
     * Client side: no usable node is left at the failed node's level; go to the level above.
     *
     * @param level      the level to go to (REGIONAL after a LOCAL, SUPER after a REGIONAL)
     * @param candidates usable nodes of that level, best first (the failed node's parent first
     *                   when usable); empty means: fall back to the configured BOOTSTRAP_NODES
     */
    record Escalate(NodeRole level, List<BootstrapNode> candidates) implements FailoverDecision {
        /** Copies. */
        public Escalate {
            Objects.requireNonNull(level, "level");
            candidates = List.copyOf(candidates);
        }

        @Override
        public FailoverAction action() {
            return FailoverAction.ESCALATE;
        }

        @Override
        public int sessionsMoved() {
            return 1;
        }
    }

    /**
     * Server side (the seed's failover manager): {@code failed} is marked failed; {@code backup}
     * takes its place with role {@value FailoverDecision#ROLE_PRIMARY} and its capacity raised from
     * {@code capacityBefore} to {@code capacityAfter}; referrals are rebalanced onto the remaining
     * nodes as {@code rebalance} says.
     *
     * @param failed         the failed node's name
     * @param backup         the promoted backup as known before promotion
     * @param capacityBefore the backup's capacity before
     * @param capacityAfter  its capacity from now on (the seed: doubled)
     * @param rebalance      where the failed node's sessions are expected to go (the backup
     *                       included, with its new capacity), most first
     * @param unplaced       sessions that fit nowhere (those clients escalate)
     */
    record Promote(String failed, BootstrapNode backup, int capacityBefore, int capacityAfter,
                   List<Referral> rebalance, int unplaced) implements FailoverDecision {
        /** Validates. */
        public Promote {
            Objects.requireNonNull(failed, "failed");
            Objects.requireNonNull(backup, "backup");
            rebalance = List.copyOf(rebalance);
            if (capacityBefore < 0 || capacityAfter < capacityBefore || unplaced < 0) {
                throw new IllegalArgumentException("invalid promotion of " + backup.name() + ": capacity "
                        + capacityBefore + " -> " + capacityAfter + ", unplaced " + unplaced);
            }
        }

        @Override
        public FailoverAction action() {
            return FailoverAction.PROMOTE_BACKUP;
        }

        @Override
        public int sessionsMoved() {
            return rebalance.stream().mapToInt(Referral::sessions).sum();
        }
    }

    /**
     * Server side without promotion: {@code failed} is marked failed and referrals are rebalanced
     * onto the remaining nodes.
     *
     * @param failed    the failed node's name
     * @param rebalance where its sessions are expected to go, most first
     * @param unplaced  sessions that fit nowhere
     * @param reason    why nobody was promoted (policy without promotion, no usable backup)
     */
    record MarkFailed(String failed, List<Referral> rebalance, int unplaced, String reason)
            implements FailoverDecision {
        /** Validates. */
        public MarkFailed {
            Objects.requireNonNull(failed, "failed");
            rebalance = List.copyOf(rebalance);
            Objects.requireNonNull(reason, "reason");
            if (unplaced < 0) {
                throw new IllegalArgumentException("unplaced must be >= 0, got " + unplaced);
            }
        }

        @Override
        public FailoverAction action() {
            return FailoverAction.MARK_FAILED;
        }

        @Override
        public int sessionsMoved() {
            return rebalance.stream().mapToInt(Referral::sessions).sum();
        }
    }

    /**
     * A failed node answers again: it takes its place back (it becomes healthy with its next
     * load report) and the backup promoted for it returns to {@code capacity}.
     *
     * @param recovered the node that came back
     * @param backup    the backup that was promoted for it
     * @param capacity  the backup's capacity before its promotion
     */
    record Restore(String recovered, String backup, int capacity) implements FailoverDecision {
        /** Validates. */
        public Restore {
            Objects.requireNonNull(recovered, "recovered");
            Objects.requireNonNull(backup, "backup");
            if (capacity < 0) {
                throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
            }
        }

        @Override
        public FailoverAction action() {
            return FailoverAction.RESTORE;
        }

        @Override
        public int sessionsMoved() {
            return 0;
        }
    }
}
