package io.cqkd.dht.failover.osgi;

import io.cqkd.dht.api.failover.DetectorSettings;
import io.cqkd.dht.failover.FailoverSettings;
import io.cqkd.dht.tier.failover.FailoverLog;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of PID {@code io.cqkd.dht.failover}. Invalid values fall back to defaults with a WARN. */
@ObjectClassDefinition(id = FailoverComponent.PID, name = "CQKD failover",
        description = "Failover of the bootstrap tier: which policy bundle decides, how nodes detect failures, "
                + "which node backs which, and how many events are kept. Changes apply to the next failure "
                + "without restarting any node.")
public @interface FailoverConfiguration {
    @AttributeDefinition(name = "Policy filter", description = "LDAP filter selecting the FailoverPolicy "
            + "service: (policy=promote-backup) (the seed's manager) or (policy=retry-next).")
    String policy_target() default FailoverSettings.DEFAULT_TARGET;

    @AttributeDefinition(name = "Probe period (ms)", min = "100", max = "600000", description = "Time between "
            + "two probes of a watched node.")
    long probe_period_ms() default DetectorSettings.DEFAULT_PROBE_PERIOD_MILLIS;

    @AttributeDefinition(name = "Probe timeout (ms)", min = "50", max = "600000", description = "An unanswered "
            + "probe counts as missed after this; at most the probe period. The first miss makes a node suspected.")
    long probe_timeout_ms() default DetectorSettings.DEFAULT_PROBE_TIMEOUT_MILLIS;

    @AttributeDefinition(name = "Suspicion (ms)", min = "100", max = "3600000", description = "How long a node "
            + "stays suspected (still probed) before it may be declared failed; at least one probe period. "
            + "Timeout + suspicion is the longest pause never taken for a failure (6 s by default).")
    long suspicion_ms() default DetectorSettings.DEFAULT_SUSPICION_MILLIS;

    @AttributeDefinition(name = "Missed probes before failure", min = "2", max = "100", description = "A node is "
            + "declared failed only after this many probes went unanswered (and the suspicion elapsed).")
    int probe_missed_min() default DetectorSettings.DEFAULT_MIN_MISSED_PROBES;

    @AttributeDefinition(name = "Backups", required = false, description = "Backup entries NODE=BACKUP[,BACKUP...], "
            + "several separated by ';' or given as separate values, e.g. lb-001=lb-002,lb-003. A node without an "
            + "entry is backed by the other nodes of its level and region (same parent first).")
    String[] backups() default {};

    @AttributeDefinition(name = "Events kept", min = "1", max = "100000", description = "Failover events kept "
            + "for failover:events; older ones are dropped (the count keeps them).")
    int events_max() default FailoverLog.DEFAULT_LIMIT;
}
