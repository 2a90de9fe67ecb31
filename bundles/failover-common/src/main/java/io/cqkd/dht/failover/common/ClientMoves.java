package io.cqkd.dht.failover.common;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Client-side failover: a client (worker or child) whose bootstrap node or parent failed.
 *
 * <ol>
 *   <li>Same level: the usable nodes of the failed node's level in the order the client's
 *       selection strategy gave them ({@link FailureSituation#candidates()}); when the strategy
 *       gave none there, the view's healthy nodes of that level, in the failed node's region
 *       first, least-loaded first. The first is {@link FailoverDecision.TryNext#next()}.</li>
 *   <li>Otherwise the level above (local to regional to super): the failed node's parent first
 *       when usable, then the strategy's picks at that level, then the view's healthy nodes of
 *       that level (same region first): {@link FailoverDecision.Escalate}.</li>
 *   <li>Above a super there is nothing: {@link FailoverDecision.NoAction}, and the client falls
 *       back to its configured BOOTSTRAP_NODES.</li>
 * </ol>
 * Usable: healthy, not the failed node, not in {@link FailureSituation#unavailable()}.
 */
public final class ClientMoves {
    private ClientMoves() {
    }

    /** The retry-next decision for {@code s}. */
    public static FailoverDecision retryNext(FailureSituation s) {
        return decide(s, List.of());
    }

    /**
     * The same with {@code preferred} tried first at the failed node's level (promote-backup
     * passes the failed node's backups, the node the parent promotes).
     */
    public static FailoverDecision decide(FailureSituation s, List<String> preferred) {
        NodeRole level = s.failed().level();
        List<BootstrapNode> same = new ArrayList<>();
        for (String name : preferred) {
            s.view().node(name).filter(n -> n.level() == level && usable(s, n)).ifPresent(same::add);
            s.candidates().stream().filter(n -> n.name().equals(name) && n.level() == level && usable(s, n))
                    .findFirst().ifPresent(same::add);
        }
        same.addAll(atLevel(s, level));
        List<BootstrapNode> ordered = dedupe(same);
        if (!ordered.isEmpty()) {
            return new FailoverDecision.TryNext(ordered.get(0), ordered.subList(1, ordered.size()));
        }
        Optional<NodeRole> up = above(level);
        if (up.isEmpty()) {
            return new FailoverDecision.NoAction("no usable " + level.configName()
                    + " node left and no level above; fall back to BOOTSTRAP_NODES");
        }
        List<BootstrapNode> parents = new ArrayList<>();
        if (!s.failed().parent().isEmpty()) {
            s.view().node(s.failed().parent()).filter(n -> usable(s, n)).ifPresent(parents::add);
        }
        parents.addAll(atLevel(s, up.get()));
        return new FailoverDecision.Escalate(up.get(), dedupe(parents));
    }

    /** The usable nodes of {@code level}: the strategy's picks in order, else the view's. */
    static List<BootstrapNode> atLevel(FailureSituation s, NodeRole level) {
        List<BootstrapNode> picks = s.candidates().stream()
                .filter(n -> n.level() == level && usable(s, n)).toList();
        if (!picks.isEmpty()) {
            return picks;
        }
        String region = s.failed().region().isEmpty() ? s.observerRegion() : s.failed().region();
        List<BootstrapNode> out = new ArrayList<>();
        if (!region.isEmpty()) {
            s.view().healthy(level, region).stream().filter(n -> usable(s, n)).forEach(out::add);
        }
        s.view().healthy(level, "").stream().filter(n -> usable(s, n)).forEach(out::add);
        return dedupe(out);
    }

    /** Healthy, not failed, not unavailable. */
    public static boolean usable(FailureSituation s, BootstrapNode n) {
        return n.healthy() && s.usable(n.name());
    }

    /** The level above a bootstrap level. */
    public static Optional<NodeRole> above(NodeRole level) {
        return switch (level) {
            case LOCAL -> Optional.of(NodeRole.REGIONAL);
            case REGIONAL -> Optional.of(NodeRole.SUPER);
            default -> Optional.empty();
        };
    }

    private static List<BootstrapNode> dedupe(List<BootstrapNode> nodes) {
        Map<String, BootstrapNode> m = new LinkedHashMap<>();
        nodes.forEach(n -> m.putIfAbsent(n.name(), n));
        return List.copyOf(m.values());
    }
}
