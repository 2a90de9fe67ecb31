/**
 * Failover of the bootstrap tier (seed 000's failover manager, SPEC 3.3).
 *
 * <p>Three roles, three kinds of type:
 * <ul>
 *   <li><b>Detection</b> runs inside each node (its tier agent) with a per-node failure detector
 *       configured by {@link io.cqkd.dht.api.failover.DetectorSettings}. A watched node is
 *       {@link io.cqkd.dht.api.failover.WatchState#ALIVE ALIVE},
 *       {@link io.cqkd.dht.api.failover.WatchState#SUSPECTED SUSPECTED} or
 *       {@link io.cqkd.dht.api.failover.WatchState#FAILED FAILED}.</li>
 *   <li><b>Decision</b> belongs to a {@link io.cqkd.dht.api.failover.FailoverPolicy}, an SPI with
 *       one provider bundle per policy ({@code retry-next}, {@code promote-backup}), registered
 *       with {@code policy=<name>} and chosen by a target filter. Given a
 *       {@link io.cqkd.dht.api.failover.FailureSituation} a policy returns a typed
 *       {@link io.cqkd.dht.api.failover.FailoverDecision}; it never acts itself.</li>
 *   <li><b>Action and record</b> belong to the node that detected the failure: it applies the
 *       decision and reports it through the {@link io.cqkd.dht.api.failover.FailoverSink}, which
 *       turns it into a {@link io.cqkd.dht.api.failover.FailoverEvent} in a bounded log, shown by
 *       the {@link io.cqkd.dht.api.failover.FailoverService} ({@code failover:*} commands) and
 *       counted in {@code tier:health}'s {@code failover_events}.</li>
 * </ul>
 *
 * <p>Times: {@code ...Millis} values are the observing engine's monotonic milliseconds
 * ({@code EngineExecutor.nowMillis()}); {@link java.time.Instant}s are wall-clock and only used
 * for what operators read (event and status times).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cqkd.dht.api.failover;
