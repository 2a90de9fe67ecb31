/**
 * Port allocation: the strategy SPI ({@link io.cqkd.dht.api.ports.PortAllocator}, implemented by
 * the {@code sequential}, {@code slot} and {@code random} bundles) and the allocation service
 * ({@link io.cqkd.dht.api.ports.PortAllocationService}) that nodes call to get a port that is
 * bound and held (bind-and-hold, never check-then-bind).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cqkd.dht.api.ports;
