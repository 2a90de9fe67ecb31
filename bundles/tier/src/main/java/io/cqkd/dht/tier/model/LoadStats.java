package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeRole;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The seed's periodic load statistics of a bootstrap node: every 30 s for supers (active, max,
 * utilization %), every 60 s for regionals (plus registered workers), 60 s for locals.
 */
public final class LoadStats {
    /** Event name. */
    public static final String EVENT = "tier.load_stats";
    /** Seed period for supers. */
    public static final Duration SUPER_PERIOD = Duration.ofSeconds(30);
    /** Seed period for regionals. */
    public static final Duration REGIONAL_PERIOD = Duration.ofSeconds(60);
    /** Period for locals (the seed has none; same as regionals). */
    public static final Duration LOCAL_PERIOD = Duration.ofSeconds(60);

    private LoadStats() {
    }

    /** The default statistics period of a bootstrap level. */
    public static Duration defaultPeriod(NodeRole level) {
        return switch (level) {
            case SUPER -> SUPER_PERIOD;
            case REGIONAL -> REGIONAL_PERIOD;
            case LOCAL -> LOCAL_PERIOD;
            default -> throw new IllegalArgumentException(level.configName() + " is not a bootstrap level");
        };
    }

    /**
     * The statistics event of a node: {@code node level region active max peak
     * utilization_percent [registered_workers] admitted refused_full left expired}.
     */
    public static LoadStatsEvent event(String node, NodeRole level, String region, SessionTable sessions,
                                       OptionalInt registeredWorkers, long nowMillis) {
        int active = sessions.active(nowMillis);
        int max = sessions.capacity();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("node", node);
        f.put("level", level.configName());
        f.put("region", region);
        f.put("active", active);
        f.put("max", max);
        f.put("peak", sessions.peak());
        f.put("utilization_percent", max == 0 ? 0.0 : Math.round(10_000.0 * active / max) / 100.0);
        registeredWorkers.ifPresent(w -> f.put("registered_workers", w));
        f.putAll(sessions.counters());
        return new LoadStatsEvent(EVENT, f);
    }
}
