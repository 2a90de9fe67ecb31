package io.cqkd.dht.api.failover;

import io.cqkd.dht.api.tier.BootstrapNode;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The seam between the nodes that detect failures (each node's tier agent, in the core bundle)
 * and the container's failover service. Provided by the same component as
 * {@link FailoverService}; agents hold it as an optional dynamic reference and without it detect
 * and log but do not fail over.
 *
 * <p>The agent's calls, in order (see {@code docs/failover.md}):
 * <ol>
 *   <li>{@link #detectorSettings()} when it builds (or rebuilds, after a change) its detector;</li>
 *   <li>{@link #stateChanged(WatchedNode)} on every detector transition, and
 *       {@link #forget(String, String)} when it stops watching a node or stops itself;</li>
 *   <li>on a transition to FAILED: {@link #decide(FailureSituation)}, apply the verdict's
 *       decision, then {@link #applied(FailoverVerdict, int)};</li>
 *   <li>on a FAILED node answering again: {@link #recovered(String, BootstrapNode, WatchRelation)},
 *       apply the verdict (a {@link FailoverDecision.Restore} or nothing), then
 *       {@link #applied(FailoverVerdict, int)} when it was actionable.</li>
 * </ol>
 * Thread-safe: every node calls from its own engine thread. Calls are quick (no I/O, no blocking).
 */
@ProviderType
public interface FailoverSink {
    /** The failure-detector settings every node of this container uses. */
    DetectorSettings detectorSettings();

    /** A detector transition (the row's {@code since} is replaced by the receipt time). */
    void stateChanged(WatchedNode change);

    /** {@code observer} no longer watches {@code node}; {@code node} "" forgets all of the observer's rows. */
    void forget(String observer, String node);

    /**
     * Asks the active policy what to do about a node declared FAILED. The situation's backups are
     * replaced by the configured ones. Never null: {@link FailoverDecision.NoAction} when no
     * policy is bound, when the policy fails, or when it breaks its contract.
     */
    FailoverVerdict decide(FailureSituation situation);

    /**
     * A FAILED node answers again. When {@code observer} promoted a backup for it and has not
     * restored it yet, a {@link FailoverDecision.Restore}; otherwise {@link FailoverDecision.NoAction}.
     */
    FailoverVerdict recovered(String observer, BootstrapNode node, WatchRelation relation);

    /**
     * The observer applied {@code verdict}: records it as an event (bounded log, structured log
     * line, count) and returns it. {@code sessionsMoved} is what the observer actually moved (for a
     * promotion, the planned referrals it applied).
     *
     * @throws IllegalArgumentException for a {@link FailoverDecision.NoAction} verdict
     */
    FailoverEvent applied(FailoverVerdict verdict, int sessionsMoved);
}
