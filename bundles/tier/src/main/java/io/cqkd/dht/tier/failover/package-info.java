/**
 * Failover of the bootstrap tier as a plain-Java model: failure detection, the bounded event log
 * and the backup configuration. No OSGi, no I/O; it depends on the exported API only
 * ({@code io.cqkd.dht.api}, {@code io.cqkd.dht.api.tier}, {@code io.cqkd.dht.api.failover}), so
 * any bundle can embed it privately with bnd's {@code -conditionalpackage} without pulling the
 * rest of the tier model:
 * <ul>
 *   <li>{@link io.cqkd.dht.tier.failover.FailureDetector} - per observer: periodic probes, probe
 *       timeout, a suspicion phase before FAILED, recovery; times from an injected clock;</li>
 *   <li>{@link io.cqkd.dht.tier.failover.FailoverLog} - the bounded event log, its count and the
 *       structured log line of an event;</li>
 *   <li>{@link io.cqkd.dht.tier.failover.BackupPlan} - which node backs which: configured entries,
 *       else the other nodes of the same level and region.</li>
 * </ul>
 * How a tier agent applies decisions to the tier model ({@code SessionTable},
 * {@code ChildLoadTable}) is in {@code io.cqkd.dht.tier.failover.apply}, which does depend on
 * {@code io.cqkd.dht.tier.model}.
 *
 * <p>{@link io.cqkd.dht.tier.failover.FailureDetector} is confined to its observer's thread;
 * {@link io.cqkd.dht.tier.failover.FailoverLog} is thread-safe (the container's failover
 * service records events from every node's thread); {@link io.cqkd.dht.tier.failover.BackupPlan}
 * is immutable.
 */
package io.cqkd.dht.tier.failover;
