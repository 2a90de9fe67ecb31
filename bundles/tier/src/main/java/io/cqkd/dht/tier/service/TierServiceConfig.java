package io.cqkd.dht.tier.service;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the tier service (PID {@value TierRuntime#PID}). */
@ObjectClassDefinition(name = "CQKD tier service", description = "The bootstrap tier as this container sees it "
        + "(tier:* commands): which selection strategy tier:selection previews.")
@interface TierServiceConfig {
    @AttributeDefinition(name = "Selection strategy filter", description = "Target filter of the "
            + "bootstrap-selection strategy that tier:selection asks: (strategy=direct), (strategy=two-level), "
            + "(strategy=three-level) or (strategy=adaptive). Changed at runtime without restarting anything.")
    String selector_target() default TierRuntime.DEFAULT_SELECTOR_TARGET;
}
