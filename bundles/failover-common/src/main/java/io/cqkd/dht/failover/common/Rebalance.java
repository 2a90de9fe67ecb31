package io.cqkd.dht.failover.common;

import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a failed node's sessions are expected to go: spread over the remaining nodes so that
 * their utilization stays as even as possible (each session goes to the node that would have the
 * lowest utilization after taking it, ties by name), never above a node's capacity.
 */
public final class Rebalance {
    private Rebalance() {
    }

    /**
     * A rebalance plan.
     *
     * @param referrals where the sessions go, most first (ties by name)
     * @param unplaced  sessions that fit nowhere
     */
    public record Plan(List<FailoverDecision.Referral> referrals, int unplaced) {
        /** Copies. */
        public Plan {
            referrals = List.copyOf(referrals);
        }
    }

    /**
     * The nodes that take over from {@code s.failed()}: usable nodes of its level in its region
     * (any region for supers, or when its region has none), from the observer's view, in load
     * order. {@code override} replaces a node's figures (a promoted backup with its new capacity).
     */
    public static List<BootstrapNode> remaining(FailureSituation s, BootstrapNode override) {
        BootstrapNode failed = s.failed();
        List<BootstrapNode> same = s.view().healthy(failed.level(), failed.region()).stream()
                .filter(n -> ClientMoves.usable(s, n)).toList();
        if (same.isEmpty() && !failed.region().isEmpty()) {
            same = s.view().healthy(failed.level(), "").stream().filter(n -> ClientMoves.usable(s, n)).toList();
        }
        List<BootstrapNode> out = new ArrayList<>();
        for (BootstrapNode n : same) {
            out.add(override != null && n.name().equals(override.name()) ? override : n);
        }
        out.sort(BootstrapNode.LOAD_ORDER);
        return out;
    }

    /** Spreads {@code sessions} over {@code nodes}. */
    public static Plan plan(int sessions, List<BootstrapNode> nodes) {
        if (sessions < 0) {
            throw new IllegalArgumentException("sessions must be >= 0, got " + sessions);
        }
        Objects.requireNonNull(nodes, "nodes");
        int k = nodes.size();
        long[] load = new long[k];
        long[] cap = new long[k];
        int[] given = new int[k];
        for (int i = 0; i < k; i++) {
            load[i] = nodes.get(i).activeSessions();
            cap[i] = nodes.get(i).capacity();
        }
        int placed = 0;
        for (; placed < sessions; placed++) {
            int best = -1;
            for (int i = 0; i < k; i++) {
                if (load[i] >= cap[i]) {
                    continue;
                }
                if (best < 0 || better(load[i] + 1, cap[i], nodes.get(i).name(), load[best] + 1, cap[best],
                        nodes.get(best).name())) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            load[best]++;
            given[best]++;
        }
        Map<String, Integer> byNode = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            if (given[i] > 0) {
                byNode.merge(nodes.get(i).name(), given[i], Integer::sum);
            }
        }
        List<FailoverDecision.Referral> referrals = new ArrayList<>();
        byNode.forEach((n, c) -> referrals.add(new FailoverDecision.Referral(n, c)));
        referrals.sort(Comparator.comparingInt(FailoverDecision.Referral::sessions).reversed()
                .thenComparing(FailoverDecision.Referral::node));
        return new Plan(referrals, sessions - placed);
    }

    /** a/ca strictly below b/cb, or equal and name a before name b (exact, by cross-multiplication). */
    private static boolean better(long a, long ca, String na, long b, long cb, String nb) {
        long lhs = a * cb;
        long rhs = b * ca;
        return lhs < rhs || (lhs == rhs && na.compareTo(nb) < 0);
    }
}
