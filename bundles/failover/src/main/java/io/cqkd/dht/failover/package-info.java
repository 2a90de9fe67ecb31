/**
 * The container's failover service, plain Java: {@link io.cqkd.dht.failover.FailoverHub} is the
 * {@code FailoverService} shown by the shell and the {@code FailoverSink} the nodes' tier agents
 * report to; {@link io.cqkd.dht.failover.FailoverSettings} is its validated configuration (PID
 * {@code io.cqkd.dht.failover}). The OSGi component ({@code osgi/}) and the Gogo commands
 * ({@code shell/}) are thin adapters. Private to this bundle.
 */
package io.cqkd.dht.failover;
