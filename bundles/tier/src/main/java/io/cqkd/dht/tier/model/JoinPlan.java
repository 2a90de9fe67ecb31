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
    /** Where a worker belongs first: under a local; the upper levels are the fallback. */
    private static final NodeRole[] LOWEST_LEVEL_FIRST = {NodeRole.LOCAL, NodeRole.REGIONAL, NodeRole.SUPER};

    private JoinPlan() {
    }

    /** The try order for {@code selection}. */
    public static List<BootstrapNode> order(List<BootstrapNode> selection, RandomGenerator random) {
        List<BootstrapNode> out = new ArrayList<>(selection.size());
        List<BootstrapNode> full = new ArrayList<>();
        for (NodeRole level : LOWEST_LEVEL_FIRST) {
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
     * The order in which an admitted client's Kademlia join falls back on {@code selection} after
     * the node that admitted it: the lowest level first, in random order within a level (load no
     * longer matters: these are asked for contacts, not for a session). The join asks the
     * admitting node and the first of these at once ({@code KademliaNode.JOIN_FIRST_WAVE}), so that
     * second node spreads over the most numerous level instead of every worker of a region asking
     * the same least-loaded one, or a super.
     */
    public static List<BootstrapNode> kademliaFallbacks(List<BootstrapNode> selection, RandomGenerator random) {
        List<BootstrapNode> out = new ArrayList<>(selection.size());
        for (NodeRole level : LOWEST_LEVEL_FIRST) {
            int from = out.size();
            for (BootstrapNode n : selection) {
                if (n.level() == level) {
                    out.add(n);
                }
            }
            for (int i = out.size() - 1; i > from; i--) { // Fisher-Yates within the level
                int j = from + random.nextInt(i - from + 1);
                out.set(i, out.set(j, out.get(i)));
            }
        }
        return out;
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
