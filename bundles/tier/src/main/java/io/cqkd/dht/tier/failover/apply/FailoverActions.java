package io.cqkd.dht.tier.failover.apply;

import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.tier.model.ChildLoadTable;
import io.cqkd.dht.tier.model.LoadReport;
import io.cqkd.dht.tier.model.SessionTable;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies a server-side failover decision to what a parent knows ({@link ChildLoadTable}) and to
 * a backup's own {@link SessionTable}. The parent's tier agent calls
 * {@link #applyAtParent}, sends the returned {@link CapacityOrder} (if any) to the backup, whose
 * agent calls {@link #applyAtBackup}; then the parent reports the verdict to the failover sink
 * with {@link ParentOutcome#sessionsMoved()}.
 *
 * <p>At the parent:
 * <ul>
 *   <li>the failed node is marked failed: recorded as an unhealthy reporter with no sessions,
 *       so no referral and no health figure uses it until its own next load report (after it
 *       recovered) replaces the entry;</li>
 *   <li>a promoted backup's entry gets its new capacity at once (keeping its estimated load), so
 *       referrals use the room before the backup's next report confirms it;</li>
 *   <li>the rebalance is applied as referral estimates ({@link ChildLoadTable#noteReferral}): each
 *       remaining node counts the sessions expected to land on it until its next report, so the
 *       parent's referral answers spread the failed node's clients as planned.</li>
 * </ul>
 * Nodes the parent's table does not know are skipped (and not counted as moved).
 */
public final class FailoverActions {
    private FailoverActions() {
    }

    /**
     * A capacity change the parent must send to a backup (a PROMOTE or RESTORE message).
     *
     * @param backup       the backup's name
     * @param address      its address
     * @param capacity     its capacity from now on
     * @param takesPlaceOf the failed node it replaces as primary; "" on a restore
     */
    public record CapacityOrder(String backup, InetSocketAddress address, int capacity, String takesPlaceOf) {
        /** True for a promotion, false for a restore. */
        public boolean promotion() {
            return !takesPlaceOf.isEmpty();
        }
    }

    /**
     * What applying a decision at the parent did.
     *
     * @param sessionsMoved referral estimates applied (sessions expected to move)
     * @param order         the capacity change to send to a backup, if any
     */
    public record ParentOutcome(int sessionsMoved, Optional<CapacityOrder> order) {
    }

    /**
     * Applies a {@link FailoverDecision.Promote}, {@link FailoverDecision.MarkFailed} or
     * {@link FailoverDecision.Restore} to {@code table}.
     *
     * @param decision  the decision
     * @param subject   the failed (or, for a restore, recovered) node as the parent knew it
     * @param table     the parent's load table of its children and peers
     * @param nowMillis now (engine milliseconds)
     * @throws IllegalArgumentException for a client-side decision or one about another node
     */
    public static ParentOutcome applyAtParent(FailoverDecision decision, BootstrapNode subject, ChildLoadTable table,
                                              long nowMillis) {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(table, "table");
        if (decision instanceof FailoverDecision.Promote p) {
            sameNode(p.failed(), subject);
            markFailed(subject, table, nowMillis);
            BootstrapNode backup = table.node(p.backup().name(), nowMillis).orElse(p.backup());
            if (table.node(backup.name(), nowMillis).isPresent()) {
                table.record(LoadReport.of(backup, backup.activeSessions(), p.capacityAfter(), true), nowMillis);
            }
            int moved = noteReferrals(p.rebalance(), table);
            return new ParentOutcome(moved, Optional.of(new CapacityOrder(backup.name(), backup.address(),
                    p.capacityAfter(), p.failed())));
        }
        if (decision instanceof FailoverDecision.MarkFailed m) {
            sameNode(m.failed(), subject);
            markFailed(subject, table, nowMillis);
            return new ParentOutcome(noteReferrals(m.rebalance(), table), Optional.empty());
        }
        if (decision instanceof FailoverDecision.Restore r) {
            sameNode(r.recovered(), subject);
            Optional<BootstrapNode> backup = table.node(r.backup(), nowMillis);
            backup.ifPresent(b -> table.record(LoadReport.of(b, b.activeSessions(), r.capacity(), b.healthy()),
                    nowMillis));
            InetSocketAddress address = backup.map(BootstrapNode::address).orElse(null);
            return new ParentOutcome(0, address == null ? Optional.empty()
                    : Optional.of(new CapacityOrder(r.backup(), address, r.capacity(), "")));
        }
        throw new IllegalArgumentException("not a parent-side failover decision: " + decision.action().configName());
    }

    /** Marks {@code failed} failed in {@code table}: an unhealthy reporter without sessions. */
    public static void markFailed(BootstrapNode failed, ChildLoadTable table, long nowMillis) {
        table.record(LoadReport.of(failed, 0, failed.capacity(), false), nowMillis);
    }

    /**
     * At the backup, on a {@link CapacityOrder}: sets its own capacity (existing sessions are
     * kept; its next load report carries the new capacity).
     *
     * @return the capacity before
     */
    public static int applyAtBackup(CapacityOrder order, SessionTable own) {
        Objects.requireNonNull(order, "order");
        int before = own.capacity();
        own.setCapacity(order.capacity());
        return before;
    }

    private static int noteReferrals(java.util.List<FailoverDecision.Referral> rebalance, ChildLoadTable table) {
        int moved = 0;
        for (FailoverDecision.Referral r : rebalance) {
            for (int i = 0; i < r.sessions(); i++) {
                if (!table.noteReferral(r.node())) {
                    break;
                }
                moved++;
            }
        }
        return moved;
    }

    private static void sameNode(String name, BootstrapNode subject) {
        if (!name.equals(subject.name())) {
            throw new IllegalArgumentException("decision is about " + name + ", not " + subject.name());
        }
    }
}
