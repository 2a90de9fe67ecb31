package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Admission control of a bootstrap node: the seed's "refuse at capacity" improved into "refer
 * when full, refuse only when nobody can take the peer".
 *
 * <p>Referral candidates, in order of preference, each group least-loaded first
 * ({@link BootstrapNode#LOAD_ORDER}) and only healthy nodes with room:
 * <ol>
 *   <li>the same level in the node's own region (any super for a super);</li>
 *   <li>the level below, in the peer's region (else the node's region, else any);</li>
 *   <li>the level above, in the node's region (any super for a regional).</li>
 * </ol>
 * At most {@link #MAX_REFERRALS} are returned. The caller should count a referral for the first
 * alternative in the {@link ChildLoadTable} that holds it ({@link ChildLoadTable#noteReferral}).
 */
public final class Admission {
    /** Most alternatives in one referral. */
    public static final int MAX_REFERRALS = 3;

    private Admission() {
    }

    /**
     * Decides a join.
     *
     * @param self       the deciding node as it is now (level, region, healthy = accepting joins)
     * @param sessions   its session table (admitting changes it)
     * @param peer       the joining peer
     * @param address    the peer's address
     * @param peerRegion the peer's region, "" when none
     * @param nowMillis  now
     * @param known      the nodes it knows, asked for only when it cannot admit
     */
    public static AdmissionDecision decide(BootstrapNode self, SessionTable sessions, NodeId peer,
                                           InetSocketAddress address, String peerRegion, long nowMillis,
                                           Supplier<? extends Collection<BootstrapNode>> known) {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(peerRegion, "peerRegion");
        if (self.healthy()) {
            Optional<SessionTable.Session> s = sessions.tryAdmit(peer, address, nowMillis);
            if (s.isPresent()) {
                return new AdmissionDecision.Admitted(peer, nowMillis, s.get().expiresMillis());
            }
        }
        List<BootstrapNode> alternatives = referrals(self, peerRegion, known.get(), MAX_REFERRALS);
        if (!alternatives.isEmpty()) {
            return new AdmissionDecision.Referred(alternatives);
        }
        return self.healthy()
                ? new AdmissionDecision.Refused(AdmissionDecision.Reason.AT_CAPACITY, self.name() + " at capacity "
                        + sessions.active(nowMillis) + "/" + sessions.capacity()
                        + " and no healthy node with room is known")
                : new AdmissionDecision.Refused(AdmissionDecision.Reason.NOT_ACCEPTING, self.name()
                        + " is not accepting joins and no healthy node with room is known");
    }

    /** The referral candidates for a peer of {@code peerRegion} at {@code self}, best first, at most {@code max}. */
    public static List<BootstrapNode> referrals(BootstrapNode self, String peerRegion, Collection<BootstrapNode> known,
                                                int max) {
        List<BootstrapNode> usable = known.stream()
                .filter(n -> !n.name().equals(self.name()) && n.healthy() && n.hasHeadroom())
                .sorted(BootstrapNode.LOAD_ORDER)
                .toList();
        List<BootstrapNode> out = new ArrayList<>();
        // 1. same level, own region
        add(out, usable, self.level(), self.region(), max);
        // 2. level below, in the peer's region (else own, else any)
        below(self.level()).ifPresent(level -> {
            String region = !peerRegion.isEmpty() ? peerRegion : self.region();
            int before = out.size();
            add(out, usable, level, region, max);
            if (out.size() == before && !region.isEmpty()) {
                add(out, usable, level, "", max);
            }
        });
        // 3. level above, own region
        above(self.level()).ifPresent(level -> add(out, usable, level, level == NodeRole.SUPER ? "" : self.region(), max));
        return List.copyOf(out);
    }

    private static void add(List<BootstrapNode> out, List<BootstrapNode> usable, NodeRole level, String region, int max) {
        for (BootstrapNode n : usable) {
            if (out.size() >= max) {
                return;
            }
            if (n.level() == level && (region.isEmpty() || n.region().equals(region)) && !out.contains(n)) {
                out.add(n);
            }
        }
    }

    private static Optional<NodeRole> below(NodeRole level) {
        return switch (level) {
            case SUPER -> Optional.of(NodeRole.REGIONAL);
            case REGIONAL -> Optional.of(NodeRole.LOCAL);
            default -> Optional.empty();
        };
    }

    private static Optional<NodeRole> above(NodeRole level) {
        return switch (level) {
            case LOCAL -> Optional.of(NodeRole.REGIONAL);
            case REGIONAL -> Optional.of(NodeRole.SUPER);
            default -> Optional.empty();
        };
    }

}
