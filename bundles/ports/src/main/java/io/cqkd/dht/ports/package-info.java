/**
 * The port-allocation service of a container, in plain Java: {@link io.cqkd.dht.ports.PortSettings}
 * (Config Admin + environment), {@link io.cqkd.dht.ports.PortAllocationEngine} (rules, registry,
 * policy, history, utilization, dry runs). Private to the bundle; the OSGi adapters are in
 * {@code io.cqkd.dht.ports.osgi}, the Gogo commands in {@code io.cqkd.dht.ports.shell}.
 */
package io.cqkd.dht.ports;
