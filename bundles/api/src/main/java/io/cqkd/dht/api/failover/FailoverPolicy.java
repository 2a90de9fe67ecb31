package io.cqkd.dht.api.failover;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A failover policy ({@code retry-next}, {@code promote-backup}): what to do when a watched node
 * has been declared failed. Registered as a service with the property {@code policy=<name>};
 * the failover service binds one through a configured target filter, dynamically, so replacing
 * the policy bundle takes effect on the next failure.
 *
 * <p>Contract for every implementation: pure and fast (called on a node's engine thread; no I/O,
 * no blocking, no clock), deterministic (equal situations give equal decisions), never returns
 * null and never throws for a partial view: when nothing fits it returns
 * {@link FailoverDecision.NoAction}. Never pick the failed node or a node of
 * {@link FailureSituation#unavailable()}, nor an unhealthy one. Client-side relations
 * ({@link WatchRelation#PARENT}, {@link WatchRelation#BOOTSTRAP}) get {@link FailoverDecision.TryNext},
 * {@link FailoverDecision.Escalate} or {@link FailoverDecision.NoAction}; server-side ones
 * ({@link WatchRelation#CHILD}, {@link WatchRelation#PEER}) get {@link FailoverDecision.Promote},
 * {@link FailoverDecision.MarkFailed} or {@link FailoverDecision.NoAction}.
 */
@ConsumerType
public interface FailoverPolicy {
    /** Service property naming the policy. */
    String PROP_POLICY = "policy";

    /** The policy's name, equal to its {@value #PROP_POLICY} service property. */
    String name();

    /** What to do about {@code situation.failed()}. */
    FailoverDecision decide(FailureSituation situation);

    /** The policy's effective settings for {@code failover:policy}, key to value; empty by default. */
    default Map<String, String> settings() {
        return Map.of();
    }
}
