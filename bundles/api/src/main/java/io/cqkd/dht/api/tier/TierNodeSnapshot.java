package io.cqkd.dht.api.tier;

import java.util.List;
import java.util.Objects;

/**
 * One bootstrap node's state at one moment.
 *
 * @param running          false while the node waits for a port, failed or stopped (then the
 *                         lists are empty and {@code self} shows the configured values)
 * @param self             the node itself: level, region, parent, address, active sessions,
 *                         capacity, whether it accepts joins; {@code lastReportMillis} is when it
 *                         last reported to its parent (-1 never)
 * @param peak             most concurrent sessions seen
 * @param parentAddress    host:port its load reports go to, "" for none (a super reports to its
 *                         peers)
 * @param counters         session counters: admitted, refused_full, left, expired, referred,
 *                         refused
 * @param history          the bounded connection history, oldest first
 * @param known            the other bootstrap nodes it knows: children and peers from their load
 *                         reports, siblings and parent from its parent's answers
 * @param workers          for a regional node, the workers it registered in the DHT; else empty
 * @param asOfMillis       engine time of the snapshot (the clock of {@code lastReportMillis})
 */
public record TierNodeSnapshot(boolean running, BootstrapNode self, int peak, String parentAddress,
                               java.util.Map<String, Long> counters, List<ConnectionRecord> history,
                               List<BootstrapNode> known, List<WorkerRegistration> workers, long asOfMillis) {
    /** Copies the collections. */
    public TierNodeSnapshot {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(parentAddress, "parentAddress");
        counters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counters));
        history = List.copyOf(history);
        known = List.copyOf(known);
        workers = List.copyOf(workers);
    }
}
