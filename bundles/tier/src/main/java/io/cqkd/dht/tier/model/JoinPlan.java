package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The order in which a joining client contacts the nodes its selection strategy chose. Workers
 * belong under locals, so the lowest level comes first (locals, then regionals, then supers: the
 * upper levels are the fallback), and within a level nodes the view shows with room come before
 * full ones, least-loaded first.
 *
 * <p>Spreading: clients that join at the same moment hold the same view and would all pick the
 * same least-loaded node. So the first node of a level is drawn uniformly from the least-loaded
 * half of that level's nodes with room (rounded up); the rest follow in load order. The
 * random generator is the caller's (seeded in tests and simulations).
 */
public final class JoinPlan {
    private JoinPlan() {
    }

    /** The try order for {@code selection}. */
    public static List<BootstrapNode> order(List<BootstrapNode> selection, RandomGenerator random) {
        List<BootstrapNode> out = new ArrayList<>(selection.size());
        List<BootstrapNode> full = new ArrayList<>();
        for (NodeRole level : new NodeRole[] {NodeRole.LOCAL, NodeRole.REGIONAL, NodeRole.SUPER}) {
            List<BootstrapNode> room = new ArrayList<>();
            for (BootstrapNode n : selection) {
                if (n.level() == level) {
                    (n.hasHeadroom() ? room : full).add(n);
                }
            }
            room.sort(BootstrapNode.LOAD_ORDER);
            if (!room.isEmpty()) {
                int pick = random.nextInt((room.size() + 1) / 2);
                out.add(room.remove(pick));
            }
            out.addAll(room);
        }
        full.sort(BootstrapNode.LOAD_ORDER);
        out.addAll(full);
        return List.copyOf(out);
    }
}
