package io.cqkd.dht.api.failover;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The container's failover state for operators and the tier runtime: the {@code failover:*}
 * commands read it and {@code tier:health} takes {@link #eventCount()} as
 * {@code failover_events}. Every method returns a snapshot and never blocks.
 */
@ProviderType
public interface FailoverService {
    /** Recorded events, oldest first, at most {@link PolicyInfo#eventLimit()}. */
    List<FailoverEvent> events();

    /** Events recorded since the service started, including those the bounded log dropped. */
    long eventCount();

    /** Suspected and failed nodes, per observer. */
    FailoverStatus status();

    /** Name of the active policy, "" when none is bound. */
    String activePolicy();

    /** The configuration in effect: policy, target, settings, detector settings, backups. */
    PolicyInfo policy();
}
