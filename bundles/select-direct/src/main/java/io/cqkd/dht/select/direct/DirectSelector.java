package io.cqkd.dht.select.direct;

import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.select.common.Plan;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code direct} bootstrap-selection strategy: every healthy super node, least-loaded first.
 * Stateless; registered with {@code strategy=direct}.
 */
@Component(service = BootstrapSelector.class, property = BootstrapSelector.PROP_STRATEGY + "=" + DirectSelector.NAME)
public final class DirectSelector implements BootstrapSelector {
    /** The strategy name. */
    public static final String NAME = "direct";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<BootstrapNode> select(SelectionRequest request, TierView view) {
        return Plan.DIRECT.select(request, view);
    }
}
