package io.cqkd.dht.select.threelevel;

import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.select.common.Plan;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code three-level} bootstrap-selection strategy: the 2 least-loaded healthy supers, the 4 least-loaded healthy regionals of the client's region (any region when none is given) and the 8 least-loaded healthy locals, preferably those under the region's regionals.
 * Stateless; registered with {@code strategy=three-level}.
 */
@Component(service = BootstrapSelector.class, property = BootstrapSelector.PROP_STRATEGY + "=" + ThreeLevelSelector.NAME)
public final class ThreeLevelSelector implements BootstrapSelector {
    /** The strategy name. */
    public static final String NAME = "three-level";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<BootstrapNode> select(SelectionRequest request, TierView view) {
        return Plan.THREE_LEVEL.select(request, view);
    }
}
