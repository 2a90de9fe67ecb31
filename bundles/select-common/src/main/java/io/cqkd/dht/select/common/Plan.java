package io.cqkd.dht.select.common;

import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierView;
import java.util.List;

/** The three base selection rules of the seed; {@code adaptive} chooses one of them. */
public enum Plan {
    /** Healthy supers only. */
    DIRECT("direct"),
    /** Healthy supers, then healthy regionals of the client's region. */
    TWO_LEVEL("two-level"),
    /** 2 supers, 4 regionals of the region, 8 locals (preferably under those regionals). */
    THREE_LEVEL("three-level");

    private final String strategyName;

    Plan(String strategyName) {
        this.strategyName = strategyName;
    }

    /** The strategy name ({@code direct}, {@code two-level}, {@code three-level}). */
    public String strategyName() {
        return strategyName;
    }

    /** Applies the rule. */
    public List<BootstrapNode> select(SelectionRequest request, TierView view) {
        return switch (this) {
            case DIRECT -> Selections.direct(view);
            case TWO_LEVEL -> Selections.twoLevel(request, view);
            case THREE_LEVEL -> Selections.threeLevel(request, view);
        };
    }

    /**
     * The seed's adaptive rule: {@code workers <= directMax} direct, {@code <= twoLevelMax}
     * two-level, otherwise three-level.
     *
     * @throws IllegalArgumentException unless {@code 0 <= directMax <= twoLevelMax}
     */
    public static Plan forWorkers(int workers, int directMax, int twoLevelMax) {
        if (directMax < 0 || twoLevelMax < directMax) {
            throw new IllegalArgumentException("adaptive thresholds must satisfy 0 <= direct (" + directMax
                    + ") <= two-level (" + twoLevelMax + ")");
        }
        if (workers <= directMax) {
            return DIRECT;
        }
        return workers <= twoLevelMax ? TWO_LEVEL : THREE_LEVEL;
    }

    /** {@link #forWorkers(int, int, int)} with the seed's thresholds 50 and 200. */
    public static Plan forWorkers(int workers) {
        return forWorkers(workers, Selections.DIRECT_MAX_WORKERS, Selections.TWO_LEVEL_MAX_WORKERS);
    }
}
