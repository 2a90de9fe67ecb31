package io.cqkd.dht.select.twolevel;

import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.select.common.Plan;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code two-level} bootstrap-selection strategy: every healthy super, then the healthy regionals of the client's region (any region when it has none or none is healthy), each level least-loaded first.
 * Stateless; registered with {@code strategy=two-level}.
 */
@Component(service = BootstrapSelector.class, property = BootstrapSelector.PROP_STRATEGY + "=" + TwoLevelSelector.NAME)
public final class TwoLevelSelector implements BootstrapSelector {
    /** The strategy name. */
    public static final String NAME = "two-level";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<BootstrapNode> select(SelectionRequest request, TierView view) {
        return Plan.TWO_LEVEL.select(request, view);
    }
}
