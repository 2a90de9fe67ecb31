package io.cqkd.dht.select.common;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The seed's selection rules over a {@link TierView}. Every rule keeps healthy nodes only and
 * orders each level by {@link BootstrapNode#LOAD_ORDER}; output is grouped supers, regionals,
 * locals.
 *
 * <p>One deliberate departure from the seed: when the client's region has no healthy regional,
 * the two- and three-level rules use regionals of any region instead of none, so a client of a
 * region whose regionals are all down still gets a second level.
 */
public final class Selections {
    /** Adaptive: up to this many expected workers, {@code direct}. */
    public static final int DIRECT_MAX_WORKERS = 50;
    /** Adaptive: up to this many expected workers, {@code two-level}; above, {@code three-level}. */
    public static final int TWO_LEVEL_MAX_WORKERS = 200;
    /** Three-level: supers taken. */
    public static final int THREE_LEVEL_SUPERS = 2;
    /** Three-level: regionals taken. */
    public static final int THREE_LEVEL_REGIONALS = 4;
    /** Three-level: locals taken. */
    public static final int THREE_LEVEL_LOCALS = 8;

    private Selections() {
    }

    /** Every healthy super, least-loaded first. */
    public static List<BootstrapNode> direct(TierView view) {
        return view.healthy(NodeRole.SUPER, "");
    }

    /** Every healthy super, then every healthy regional of the region (any region if none given). */
    public static List<BootstrapNode> twoLevel(SelectionRequest request, TierView view) {
        List<BootstrapNode> out = new ArrayList<>(direct(view));
        out.addAll(regionals(request, view, Integer.MAX_VALUE));
        return List.copyOf(out);
    }

    /**
     * The 2 least-loaded healthy supers, the 4 least-loaded healthy regionals of the region (any
     * region if none given), and the 8 least-loaded healthy locals, taken first among the
     * preferred ones (locals of the region or under its regionals; without a region, locals under
     * the chosen regionals) and filled up from the other healthy locals.
     */
    public static List<BootstrapNode> threeLevel(SelectionRequest request, TierView view) {
        List<BootstrapNode> out = new ArrayList<>(leastLoaded(view.healthy(NodeRole.SUPER, ""), THREE_LEVEL_SUPERS));
        List<BootstrapNode> regionals = regionals(request, view, THREE_LEVEL_REGIONALS);
        out.addAll(regionals);

        Set<String> parents = new LinkedHashSet<>();
        if (request.hasRegion()) {
            view.level(NodeRole.REGIONAL).stream()
                    .filter(r -> r.region().equals(request.region()))
                    .forEach(r -> parents.add(r.name()));
        } else {
            regionals.forEach(r -> parents.add(r.name()));
        }
        List<BootstrapNode> locals = view.healthy(NodeRole.LOCAL, "");
        List<BootstrapNode> preferred = new ArrayList<>();
        List<BootstrapNode> others = new ArrayList<>();
        for (BootstrapNode l : locals) {
            boolean inRegion = request.hasRegion() && l.region().equals(request.region());
            (inRegion || parents.contains(l.parent()) ? preferred : others).add(l);
        }
        List<BootstrapNode> chosen = new ArrayList<>(leastLoaded(preferred, THREE_LEVEL_LOCALS));
        chosen.addAll(leastLoaded(others, THREE_LEVEL_LOCALS - chosen.size()));
        out.addAll(chosen);
        return List.copyOf(out);
    }

    private static List<BootstrapNode> regionals(SelectionRequest request, TierView view, int max) {
        List<BootstrapNode> r = view.healthy(NodeRole.REGIONAL, request.region());
        if (r.isEmpty() && request.hasRegion()) {
            r = view.healthy(NodeRole.REGIONAL, "");
        }
        return leastLoaded(r, max);
    }

    /** The first {@code max} of an already load-ordered list. */
    private static List<BootstrapNode> leastLoaded(List<BootstrapNode> ordered, int max) {
        return ordered.size() <= max ? ordered : ordered.subList(0, Math.max(0, max));
    }
}
