package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.util.List;
import java.util.Objects;

/**
 * What a bootstrap node answers to a join: admitted with a lease, referred to less-loaded nodes,
 * or refused. The answer to the JOIN message.
 */
public sealed interface AdmissionDecision {
    /**
     * Admitted (or renewed).
     *
     * @param peer          the peer
     * @param grantedMillis when
     * @param expiresMillis when the lease lapses unless renewed
     */
    record Admitted(NodeId peer, long grantedMillis, long expiresMillis) implements AdmissionDecision {
        /** Lease length. */
        public long leaseMillis() {
            return expiresMillis - grantedMillis;
        }
    }

    /**
     * Not admitted here (at capacity): try these, in order.
     *
     * @param alternatives healthy nodes with room, best first, never empty
     */
    record Referred(List<BootstrapNode> alternatives) implements AdmissionDecision {
        /** Copies; rejects an empty list. */
        public Referred {
            alternatives = List.copyOf(alternatives);
            if (alternatives.isEmpty()) {
                throw new IllegalArgumentException("a referral needs at least one alternative");
            }
        }
    }

    /**
     * Not admitted and nowhere to send the peer.
     *
     * @param reason why
     * @param detail one operator-readable line
     */
    record Refused(Reason reason, String detail) implements AdmissionDecision {
        /** Rejects nulls. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Why a join was refused. */
    enum Reason {
        /** The node is full and knows no healthy node with room at a suitable level. */
        AT_CAPACITY,
        /** The node does not accept joins now (draining, failed over) and knows nowhere else. */
        NOT_ACCEPTING
    }
}
