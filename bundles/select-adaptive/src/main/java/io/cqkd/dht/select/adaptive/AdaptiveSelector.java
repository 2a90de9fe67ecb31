package io.cqkd.dht.select.adaptive;

import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.select.common.Plan;
import io.cqkd.dht.select.common.Selections;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code adaptive} bootstrap-selection strategy, the seed's rule by expected worker count:
 * up to {@code direct.max.workers} (50) {@code direct}, up to {@code twolevel.max.workers} (200)
 * {@code two-level}, above that {@code three-level}. Thresholds are configuration (PID
 * {@value #PID}); invalid values are logged and replaced by the seed's.
 */
@Component(name = AdaptiveSelector.PID, service = BootstrapSelector.class,
        property = BootstrapSelector.PROP_STRATEGY + "=" + AdaptiveSelector.NAME)
@Designate(ocd = AdaptiveSelector.Config.class)
public final class AdaptiveSelector implements BootstrapSelector {
    /** The strategy name. */
    public static final String NAME = "adaptive";
    /** Configuration PID (no '-', see FileInstall). */
    public static final String PID = "io.cqkd.dht.select.adaptive";

    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveSelector.class);

    /** Thresholds of the adaptive rule. */
    @ObjectClassDefinition(name = "CQKD adaptive bootstrap selection",
            description = "Chooses direct, two-level or three-level selection by the expected number of workers.")
    public @interface Config {
        /** Largest worker count for direct selection. */
        @AttributeDefinition(name = "Direct up to (workers)",
                description = "Up to this many expected workers, contact super nodes only (seed: 50).")
        int direct_max_workers() default Selections.DIRECT_MAX_WORKERS;

        /** Largest worker count for two-level selection. */
        @AttributeDefinition(name = "Two-level up to (workers)",
                description = "Up to this many expected workers, supers plus regionals of the region; above, "
                        + "three levels (seed: 200). Must not be below the direct threshold.")
        int twolevel_max_workers() default Selections.TWO_LEVEL_MAX_WORKERS;
    }

    /** Immutable thresholds snapshot. */
    record Thresholds(int directMax, int twoLevelMax) {
        static final Thresholds SEED = new Thresholds(Selections.DIRECT_MAX_WORKERS, Selections.TWO_LEVEL_MAX_WORKERS);

        static Thresholds from(Config c) {
            if (c.direct_max_workers() < 0 || c.twolevel_max_workers() < c.direct_max_workers()) {
                LOG.warn("event=selection.adaptive.invalid_config direct_max_workers={} twolevel_max_workers={} "
                        + "using_direct={} using_twolevel={}", c.direct_max_workers(), c.twolevel_max_workers(),
                        SEED.directMax, SEED.twoLevelMax);
                return SEED;
            }
            return new Thresholds(c.direct_max_workers(), c.twolevel_max_workers());
        }
    }

    private volatile Thresholds thresholds;

    /** With the seed's thresholds (for use without OSGi). */
    public AdaptiveSelector() {
        this.thresholds = Thresholds.SEED;
    }

    /** With configured thresholds. */
    @Activate
    public AdaptiveSelector(Config config) {
        this.thresholds = Thresholds.from(config);
        LOG.info("event=selection.adaptive.config direct_max_workers={} twolevel_max_workers={}",
                thresholds.directMax, thresholds.twoLevelMax);
    }

    @Modified
    void modified(Config config) {
        this.thresholds = Thresholds.from(config);
        LOG.info("event=selection.adaptive.config direct_max_workers={} twolevel_max_workers={}",
                thresholds.directMax, thresholds.twoLevelMax);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The base rule this strategy applies for {@code expectedWorkers}. */
    public Plan planFor(int expectedWorkers) {
        Thresholds t = thresholds;
        return Plan.forWorkers(expectedWorkers, t.directMax, t.twoLevelMax);
    }

    @Override
    public List<BootstrapNode> select(SelectionRequest request, TierView view) {
        return planFor(request.expectedWorkers()).select(request, view);
    }
}
