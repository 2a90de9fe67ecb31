package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a bootstrap node knows of the load of the nodes that report to it: its children, and its
 * peers at the same level (supers report to each other). Parents use it to answer referral
 * requests and to refer peers when they are full.
 *
 * <p>A reporter is unhealthy when it said so, or when its last report is older than
 * {@code stalePeriods} report periods. Between reports the table counts the peers it has
 * referred to each node and adds them to the reported sessions, so that a burst of simultaneous
 * joins is spread over the children instead of all landing on the one that was least loaded at
 * the last report. A new report replaces the estimate.
 *
 * <p>Bounded: at most {@link #MAX_ENTRIES} reporters; reports from further ones are ignored.
 * Confined to one thread.
 */
public final class ChildLoadTable {
    /** Most reporters kept (the seed's largest tier has 84 bootstrap nodes). */
    public static final int MAX_ENTRIES = 1_024;
    /** Default number of missed periods before a reporter is unhealthy. */
    public static final int DEFAULT_STALE_PERIODS = 3;

    private record Entry(LoadReport report, long receivedMillis, int referredSince) {
    }

    private final long periodMillis;
    private final int stalePeriods;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /**
     * @param periodMillis report period, &gt; 0
     * @param stalePeriods periods without report after which a reporter is unhealthy, &gt;= 1
     */
    public ChildLoadTable(long periodMillis, int stalePeriods) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("report period must be > 0 ms, got " + periodMillis);
        }
        if (stalePeriods < 1) {
            throw new IllegalArgumentException("stale periods must be >= 1, got " + stalePeriods);
        }
        this.periodMillis = periodMillis;
        this.stalePeriods = stalePeriods;
    }

    /** Records a report; false when it was ignored because the table is full of other reporters. */
    public boolean record(LoadReport report, long nowMillis) {
        Objects.requireNonNull(report, "report");
        if (!entries.containsKey(report.name()) && entries.size() >= MAX_ENTRIES) {
            return false;
        }
        entries.put(report.name(), new Entry(report, nowMillis, 0));
        return true;
    }

    /** Counts one peer referred to {@code name} since its last report; false when unknown. */
    public boolean noteReferral(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            return false;
        }
        entries.put(name, new Entry(e.report(), e.receivedMillis(), e.referredSince() + 1));
        return true;
    }

    /** Forgets a reporter (it left the tier); false when unknown. */
    public boolean forget(String name) {
        return entries.remove(name) != null;
    }

    /** True when {@code name} reported healthy within the staleness limit. */
    public boolean isHealthy(String name, long nowMillis) {
        Entry e = entries.get(name);
        return e != null && healthy(e, nowMillis);
    }

    private boolean healthy(Entry e, long nowMillis) {
        return e.report().healthy() && nowMillis - e.receivedMillis() <= stalePeriods * periodMillis;
    }

    /** One reporter as a {@link BootstrapNode} (estimated sessions, computed health). */
    public Optional<BootstrapNode> node(String name, long nowMillis) {
        Entry e = entries.get(name);
        return e == null ? Optional.empty() : Optional.of(toNode(e, nowMillis));
    }

    /** Every reporter, in first-report order. */
    public List<BootstrapNode> snapshot(long nowMillis) {
        return entries.values().stream().map(e -> toNode(e, nowMillis)).toList();
    }

    /**
     * Up to {@code max} healthy reporters of {@code level} in {@code region} ("" = any region)
     * with room for one more session, least-loaded first: the answer to a referral request.
     */
    public List<BootstrapNode> leastLoaded(NodeRole level, String region, int max, long nowMillis) {
        Objects.requireNonNull(region, "region");
        return entries.values().stream()
                .map(e -> toNode(e, nowMillis))
                .filter(n -> n.level() == level && n.healthy() && n.hasHeadroom())
                .filter(n -> region.isEmpty() || n.region().equals(region))
                .sorted(BootstrapNode.LOAD_ORDER)
                .limit(Math.max(0, max))
                .toList();
    }

    /** Number of reporters. */
    public int size() {
        return entries.size();
    }

    private BootstrapNode toNode(Entry e, long nowMillis) {
        LoadReport r = e.report();
        long estimated = (long) r.activeSessions() + e.referredSince();
        return new BootstrapNode(r.name(), r.id(), r.level(), r.region(), r.parent(), r.address(),
                (int) Math.min(Integer.MAX_VALUE, estimated), r.capacity(), healthy(e, nowMillis),
                e.receivedMillis());
    }
}
