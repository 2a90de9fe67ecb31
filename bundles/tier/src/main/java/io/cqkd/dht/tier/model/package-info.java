/**
 * The bootstrap tier as a plain-Java model: no OSGi types, no I/O, no hidden clock. Every
 * time-dependent method takes {@code nowMillis} from the caller (the engine's
 * {@code EngineExecutor.nowMillis()}, a monotonic clock; wall-clock values such as
 * {@code registered_at} are passed separately), so the model runs under a manual clock in tests
 * and a virtual clock in simulations.
 *
 * <p>Decisions are values, actions belong to the caller (like a k-bucket's insert result):
 * <ul>
 *   <li>{@link io.cqkd.dht.tier.model.Topology} - the seed's default tier (names, levels, regions,
 *       parents, ports, capacities) and its validation;</li>
 *   <li>{@link io.cqkd.dht.tier.model.SessionTable} - a bootstrap node's admitted sessions: admission
 *       never above capacity, leases, leave, bounded connection history, peak;</li>
 *   <li>{@link io.cqkd.dht.tier.model.ChildLoadTable} - what a parent knows of its children's (and
 *       peers') load reports, staleness, least-loaded healthy nodes;</li>
 *   <li>{@link io.cqkd.dht.tier.model.Admission} / {@link io.cqkd.dht.tier.model.AdmissionDecision}
 *       - admit with a lease, refer to less-loaded nodes, or refuse;</li>
 *   <li>{@link io.cqkd.dht.tier.model.Health} - the seed's health summary;</li>
 *   <li>{@link io.cqkd.dht.tier.model.WorkerRegistry} and {@link io.cqkd.dht.tier.model.TierJson} -
 *       a regional node's worker registrations and their DHT key and JSON;</li>
 *   <li>{@link io.cqkd.dht.tier.model.TierEnvironment} - the seeds' environment variables into a
 *       typed {@link io.cqkd.dht.tier.model.TierConfig};</li>
 *   <li>{@link io.cqkd.dht.tier.model.LoadStats} - periodic load-statistics events;</li>
 *   <li>{@link io.cqkd.dht.tier.model.JoinPlan} - the order in which a joining client tries the
 *       nodes its selection strategy chose.</li>
 * </ul>
 *
 * <p>Classes with mutable state are not thread-safe: each belongs to one node and is confined to
 * that node's engine thread; other threads read snapshots.
 */
package io.cqkd.dht.tier.model;
