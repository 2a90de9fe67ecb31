/**
 * The bootstrap tier: value types that describe the super, regional and local bootstrap nodes
 * as a client or an operator sees them ({@link io.cqkd.dht.api.tier.BootstrapNode},
 * {@link io.cqkd.dht.api.tier.TierView}, {@link io.cqkd.dht.api.tier.HealthSummary},
 * {@link io.cqkd.dht.api.tier.WorkerRegistration}), the client-side selection-strategy SPI
 * ({@link io.cqkd.dht.api.tier.BootstrapSelector}, implemented by the {@code direct},
 * {@code two-level}, {@code three-level} and {@code adaptive} bundles) and the tier runtime's
 * service ({@link io.cqkd.dht.api.tier.TierService}) used by the shell and protocol code.
 *
 * <p>1.1.0 adds {@link io.cqkd.dht.api.tier.TierNode} (one service per bootstrap node running in
 * the container, registered by the node runtime), {@link io.cqkd.dht.api.tier.TierNodeSnapshot}
 * and {@link io.cqkd.dht.api.tier.ConnectionRecord}.
 *
 * <p>Load order, used everywhere a "least-loaded" node is wanted, is
 * {@link io.cqkd.dht.api.tier.BootstrapNode#LOAD_ORDER}: utilization, then active sessions,
 * then name, so that equal inputs always give equal choices.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.cqkd.dht.api.tier;
