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
 * half of that level's nodes with room ({@link #poolSize}: ties with the median included, at
 * least two); the rest follow in load order. The
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
                out.add(room.remove(random.nextInt(poolSize(room))));
            }
            out.addAll(room);
        }
        full.sort(BootstrapNode.LOAD_ORDER);
        out.addAll(full);
        return List.copyOf(out);
    }

    /**
     * How many of the load-ordered {@code room} the first pick is drawn from: the least-loaded
     * half (rounded up) plus every node as loaded as the median (ties share the chance), and at
     * least two when there are two.
     */
    static int poolSize(List<BootstrapNode> room) {
        int n = room.size();
        double median = room.get((n - 1) / 2).utilization();
        int pool = (n + 1) / 2;
        while (pool < n && room.get(pool).utilization() <= median) {
            pool++;
        }
        return Math.min(n, Math.max(2, pool));
    }
}
