package io.cqkd.dht.bench;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.Topology;
import io.cqkd.dht.tier.model.TopologyNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bootstrap wiring of a tier, shared by the tiered plans: docs/deployment.md "Who joins whom".
 * Start order supers, regionals, locals (each in tier order); super k joins the supers before it
 * (nearest first), a regional its parent super then the other supers, a local its parent regional
 * then the other regionals of its region.
 */
final class TierWiring {
    private TierWiring() {
    }

    /** The tier's nodes in start order: supers, regionals, locals. */
    static List<TopologyNode> ordered(Topology tier) {
        List<TopologyNode> out = new ArrayList<>(tier.level(NodeRole.SUPER));
        out.addAll(tier.level(NodeRole.REGIONAL));
        out.addAll(tier.level(NodeRole.LOCAL));
        return out;
    }

    /** Bootstrap addresses of node {@code index} of {@link #ordered}, given those started before it. */
    static List<InetSocketAddress> bootstrapOf(Topology tier, int index, List<InetSocketAddress> started) {
        List<TopologyNode> nodes = ordered(tier);
        Map<String, InetSocketAddress> at = new HashMap<>();
        for (int i = 0; i < started.size(); i++) {
            at.put(nodes.get(i).name(), started.get(i));
        }
        TopologyNode me = nodes.get(index);
        List<InetSocketAddress> out = new ArrayList<>();
        switch (me.level()) {
            case SUPER -> {
                for (int i = index - 1; i >= 0; i--) { // the supers before it, nearest first
                    out.add(started.get(i));
                }
            }
            case REGIONAL -> {
                out.add(at.get(me.parent()));
                for (TopologyNode s : tier.level(NodeRole.SUPER)) {
                    if (!s.name().equals(me.parent())) {
                        out.add(at.get(s.name()));
                    }
                }
            }
            default -> {
                out.add(at.get(me.parent()));
                for (TopologyNode r : tier.level(NodeRole.REGIONAL)) {
                    if (r.region().equals(me.region()) && !r.name().equals(me.parent())) {
                        out.add(at.get(r.name()));
                    }
                }
            }
        }
        return out;
    }

    /** Joiner {@code joinerIndex} of {@code workers} spread evenly and contiguously over {@code slots} in order. */
    static int spread(int joinerIndex, int workers, int slots) {
        return (int) ((long) joinerIndex * slots / Math.max(1, workers));
    }
}
