package io.cqkd.dht.ports.osgi;

import io.cqkd.dht.ports.PortSettings;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of PID {@code io.cqkd.dht.ports}. Environment variables BASE_PORT, PORT_OFFSET and
 * LEGACY_PORT_MODE, when set, override the matching attributes.
 */
@ObjectClassDefinition(id = PortAllocationComponent.PID, name = "CQKD port allocation",
        description = "Port ranges per role, security policy and strategy selection of the container's "
                + "port-allocation service. Changes apply to the next allocation; held ports are kept.")
public @interface PortsConfiguration {
    @AttributeDefinition(name = "Strategy filter", description = "LDAP filter selecting the PortAllocator "
            + "strategy service: (strategy=sequential), (strategy=slot) or (strategy=random).")
    String allocator_target() default PortSettings.DEFAULT_TARGET;

    @AttributeDefinition(name = "Base port", min = "1", max = "65535", description = "Port of worker 1 "
            + "before the offset: a worker gets BASE_PORT + (WORKER_ID - 1) + PORT_OFFSET. "
            + "Overridden by the environment variable BASE_PORT.")
    int base_port() default PortSettings.DEFAULT_BASE_PORT;

    @AttributeDefinition(name = "Port offset", min = "-65535", max = "65535", description = "Added to every "
            + "worker port. Overridden by the environment variable PORT_OFFSET.")
    int port_offset() default PortSettings.DEFAULT_PORT_OFFSET;

    @AttributeDefinition(name = "Legacy port mode", description = "Pin every worker to the legacy port, as "
            + "the old tests expect. Overridden by the environment variable LEGACY_PORT_MODE.")
    boolean legacy_port_mode() default PortSettings.DEFAULT_LEGACY_MODE;

    @AttributeDefinition(name = "Legacy port", min = "1", max = "65535", description = "The port of every "
            + "worker in legacy mode.")
    int legacy_port() default PortSettings.DEFAULT_LEGACY_PORT;

    @AttributeDefinition(name = "Worker range", description = "Ports of workers, FIRST-LAST.")
    String range_worker() default PortSettings.DEFAULT_RANGE_WORKER;

    @AttributeDefinition(name = "Bootstrap range", description = "Ports of super, regional and local "
            + "bootstrap nodes, FIRST-LAST.")
    String range_bootstrap() default PortSettings.DEFAULT_RANGE_BOOTSTRAP;

    @AttributeDefinition(name = "Special range", description = "Ports of special nodes (Alice, Bob), FIRST-LAST.")
    String range_special() default PortSettings.DEFAULT_RANGE_SPECIAL;

    @AttributeDefinition(name = "Allowed ranges", required = false, description = "Ports the security "
            + "policy allows, each entry a port or FIRST-LAST (commas also separate entries). Empty: the "
            + "three role ranges.")
    String[] allowed_ranges() default {};

    @AttributeDefinition(name = "Blocked ports", required = false, description = "Ports the security policy "
            + "refuses, each entry a port or FIRST-LAST (commas also separate entries).")
    String[] blocked_ports() default {};

    @AttributeDefinition(name = "One port per worker", description = "Refuse a second port for a worker id "
            + "that already holds one.")
    boolean one_port_per_worker() default PortSettings.DEFAULT_ONE_PORT_PER_WORKER;

    @AttributeDefinition(name = "History size", min = "1", max = "100000", description = "Allocation events "
            + "kept for ports:history; older ones are dropped.")
    int history_size() default PortSettings.DEFAULT_HISTORY_SIZE;
}
