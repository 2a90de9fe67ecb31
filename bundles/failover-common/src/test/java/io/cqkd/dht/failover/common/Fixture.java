package io.cqkd.dht.failover.common;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.DetectorContext;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.failover.WatchRelation;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.TierView;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A small tier: 2 supers; rb-east-1, rb-east-2 (east), rb-west-1 (west); locals lb-001..lb-004 under
 * rb-east-1, lb-005 under rb-east-2, lb-006 under rb-west-1. Shared with the tests of the failover-*
 * modules through this module's test-jar.
 */
public final class Fixture {
    private Fixture() {
    }

    public static BootstrapNode node(String name, NodeRole level, String region, String parent, int active,
                                     int capacity) {
        return new BootstrapNode(name, Optional.empty(), level, region, parent,
                InetSocketAddress.createUnresolved("127.0.0.1", 5000 + Math.abs(name.hashCode() % 1000)), active,
                capacity, true, 0);
    }

    public static List<BootstrapNode> nodes() {
        List<BootstrapNode> n = new ArrayList<>();
        n.add(node("sb-primary", NodeRole.SUPER, "", "", 100, 500));
        n.add(node("sb-secondary", NodeRole.SUPER, "", "", 50, 500));
        n.add(node("rb-east-1", NodeRole.REGIONAL, "east", "sb-primary", 100, 250));
        n.add(node("rb-east-2", NodeRole.REGIONAL, "east", "sb-primary", 50, 250));
        n.add(node("rb-west-1", NodeRole.REGIONAL, "west", "sb-secondary", 10, 250));
        n.add(node("lb-001", NodeRole.LOCAL, "east", "rb-east-1", 40, 50));
        n.add(node("lb-002", NodeRole.LOCAL, "east", "rb-east-1", 30, 50));
        n.add(node("lb-003", NodeRole.LOCAL, "east", "rb-east-1", 20, 50));
        n.add(node("lb-004", NodeRole.LOCAL, "east", "rb-east-1", 45, 50));
        n.add(node("lb-005", NodeRole.LOCAL, "east", "rb-east-2", 10, 50));
        n.add(node("lb-006", NodeRole.LOCAL, "west", "rb-west-1", 0, 50));
        return n;
    }

    public static TierView view() {
        return new TierView(nodes(), 0);
    }

    /** {@code view} with {@code name} replaced (e.g. unhealthy). */
    public static TierView with(TierView view, BootstrapNode replacement) {
        return new TierView(view.nodes().stream().map(n -> n.name().equals(replacement.name()) ? replacement : n)
                .toList(), view.asOfMillis());
    }

    public static BootstrapNode unhealthy(TierView view, String name) {
        BootstrapNode n = view.node(name).orElseThrow();
        return n.withLoad(n.activeSessions(), n.capacity(), false, n.lastReportMillis());
    }

    public static FailureSituation situation(String observer, NodeRole role, String region,
                                             WatchRelation relation, String failed, TierView view,
                                             List<String> backups, Set<String> unavailable,
                                             List<BootstrapNode> candidates) {
        return new FailureSituation(observer, role, region, relation, view.node(failed).orElseThrow(), view,
                backups, unavailable, candidates, new DetectorContext(1_000, 2_000, 7_000, 6));
    }

    /** rb-east-1 lost its child {@code failed}. */
    public static FailureSituation parentLost(String failed, TierView view, List<String> backups) {
        return situation("rb-east-1", NodeRole.REGIONAL, "east", WatchRelation.CHILD, failed, view, backups,
                Set.of(failed), List.of());
    }

    /** A worker of region east lost its bootstrap node {@code failed}; its strategy picked {@code candidates}. */
    public static FailureSituation workerLost(String failed, TierView view, List<String> backups,
                                              Set<String> unavailable, List<String> candidates) {
        return situation("worker-7", NodeRole.WORKER, "east", WatchRelation.BOOTSTRAP, failed, view, backups,
                unavailable, candidates.stream().map(c -> view.node(c).orElseThrow()).toList());
    }
}
