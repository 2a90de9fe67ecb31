package io.cqkd.dht.tier.embedded;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the embedded three-level network (PID {@value EmbeddedNetwork#PID}). */
@ObjectClassDefinition(name = "CQKD embedded network", description = "A whole three-level network in this "
        + "container: supers, regionals, locals and workers as io.cqkd.dht.node factory configurations that this "
        + "component creates, reconciles and deletes (marked embedded.owner=true).")
@interface EmbeddedConfig {
    @AttributeDefinition(name = "Enabled", description = "false deletes every node this component created.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Super nodes", description = "1-4 (sb-primary, sb-secondary, ...).")
    int supers() default EmbeddedPlan.DEFAULT_SUPERS;

    @AttributeDefinition(name = "Regional nodes", description = "1-16, at least one per region (rb-east-1, ...).")
    int regionals() default EmbeddedPlan.DEFAULT_REGIONALS;

    @AttributeDefinition(name = "Local nodes", description = "1-64 (lb-001, ...), spread evenly over the regionals.")
    int locals() default EmbeddedPlan.DEFAULT_LOCALS;

    @AttributeDefinition(name = "Workers", description = "0-1000 (worker-1, ...), spread evenly and contiguously "
            + "over the locals; each joins through its local.")
    int workers() default EmbeddedPlan.DEFAULT_WORKERS;

    @AttributeDefinition(name = "Regions", description = "Region names in attachment order (region i to super i mod "
            + "supers); 1-32 of a-z 0-9 _.")
    String[] regions() default {"east", "west"};

    @AttributeDefinition(name = "Host", description = "Address every node binds to and advertises.")
    String host() default EmbeddedPlan.DEFAULT_HOST;

    @AttributeDefinition(name = "Bootstrap base port", description = "Port of sb-primary; the seed's layout is kept "
            + "relative to it: supers base.., regionals base+4.., locals base+20.. (5678, 5682, 5698 by default). "
            + "Explicit ports outside the port policy's allowed ranges are refused by the port service.")
    int basePort() default EmbeddedPlan.DEFAULT_BASE_PORT;

    @AttributeDefinition(name = "Worker base port", description = "-1: workers get port=-1 and workerId=i, so the "
            + "active port strategy allocates (sequential: 7000+i-1); 0: ephemeral ports; N > 0: explicit N+i-1.")
    int workerBasePort() default -1;

    @AttributeDefinition(name = "Tier load report period (ms)", description = "tierReportMillis of the bootstrap "
            + "nodes (>= 100); short so that the tier's view fills within seconds.")
    long tierReportMillis() default EmbeddedPlan.DEFAULT_REPORT_MILLIS;
}
