package io.cqkd.dht.failover.promotebackup;

import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.failover.FailoverPolicy;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.failover.common.ClientMoves;
import io.cqkd.dht.failover.common.Rebalance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code promote-backup} failover policy: the seed's failover manager. Registered with
 * {@code policy=promote-backup}; configuration PID {@value #PID}.
 *
 * <ul>
 *   <li>Server side (a child or peer failed): the first of the failed node's configured backups
 *       that the observer knows at the same level, healthy and not suspected is promoted: role
 *       primary, capacity multiplied by {@code capacity.factor} (2, the seed's "doubled"), capped
 *       at {@code capacity.max}. The failed node's sessions are planned over the remaining nodes
 *       of its level and region, the promoted backup with its new capacity included. Without a
 *       usable backup: {@link FailoverDecision.MarkFailed} with the same rebalance.</li>
 *   <li>Client side (its bootstrap node or parent failed): the failed node's backups first (the
 *       node its parent promotes), then retry-next's order, then the level above.</li>
 * </ul>
 */
@Component(name = PromoteBackupPolicy.PID, service = FailoverPolicy.class,
        property = FailoverPolicy.PROP_POLICY + "=" + PromoteBackupPolicy.NAME)
@Designate(ocd = PromoteBackupPolicy.Config.class)
public final class PromoteBackupPolicy implements FailoverPolicy {
    /** The policy name. */
    public static final String NAME = "promote-backup";
    /** Configuration PID (no '-', see FileInstall). */
    public static final String PID = "io.cqkd.dht.failover.promotebackup";
    /** The seed's factor: capacity doubled. */
    public static final int DEFAULT_CAPACITY_FACTOR = 2;
    /** Highest capacity a promotion gives (the largest MAX_CONNECTIONS). */
    public static final int DEFAULT_CAPACITY_MAX = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(PromoteBackupPolicy.class);

    /** Promotion settings. */
    @ObjectClassDefinition(name = "CQKD failover policy promote-backup",
            description = "Promotes a failed bootstrap node's backup (primary role, capacity multiplied) and "
                    + "rebalances referrals onto the remaining nodes.")
    public @interface Config {
        /** Capacity multiplier. */
        @AttributeDefinition(name = "Capacity factor", min = "1", max = "10",
                description = "A promoted backup's capacity is multiplied by this (seed: 2, doubled).")
        int capacity_factor() default DEFAULT_CAPACITY_FACTOR;

        /** Capacity cap. */
        @AttributeDefinition(name = "Capacity cap", min = "1", max = "100000",
                description = "A promotion never raises a capacity above this.")
        int capacity_max() default DEFAULT_CAPACITY_MAX;
    }

    /** Immutable settings snapshot. */
    record Settings(int factor, int max) {
        static final Settings SEED = new Settings(DEFAULT_CAPACITY_FACTOR, DEFAULT_CAPACITY_MAX);

        static Settings from(Config c) {
            if (c.capacity_factor() < 1 || c.capacity_factor() > 10 || c.capacity_max() < 1
                    || c.capacity_max() > DEFAULT_CAPACITY_MAX) {
                LOG.warn("failover.promotebackup.invalid_config capacity_factor={} capacity_max={} using_factor={} "
                        + "using_max={}", c.capacity_factor(), c.capacity_max(), SEED.factor, SEED.max);
                return SEED;
            }
            return new Settings(c.capacity_factor(), c.capacity_max());
        }
    }

    private volatile Settings settings;

    /** With the seed's settings (doubling), for use without OSGi. */
    public PromoteBackupPolicy() {
        this.settings = Settings.SEED;
    }

    /** With configured settings. */
    @Activate
    public PromoteBackupPolicy(Config config) {
        this.settings = Settings.from(config);
        LOG.info("failover.promotebackup.config capacity_factor={} capacity_max={}", settings.factor, settings.max);
    }

    /** With explicit settings (tests). */
    PromoteBackupPolicy(int factor, int max) {
        this.settings = new Settings(factor, max);
    }

    @Modified
    void modified(Config config) {
        this.settings = Settings.from(config);
        LOG.info("failover.promotebackup.config capacity_factor={} capacity_max={}", settings.factor, settings.max);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FailoverDecision decide(FailureSituation s) {
        if (!s.relation().observerManages()) {
            return ClientMoves.decide(s, s.backups());
        }
        Settings cfg = settings;
        BootstrapNode failed = s.failed();
        Optional<BootstrapNode> backup = s.backups().stream()
                .map(name -> s.view().node(name))
                .flatMap(Optional::stream)
                .filter(n -> n.level() == failed.level() && ClientMoves.usable(s, n))
                .findFirst();
        if (backup.isEmpty()) {
            Rebalance.Plan plan = Rebalance.plan(failed.activeSessions(), Rebalance.remaining(s, null));
            return new FailoverDecision.MarkFailed(failed.name(), plan.referrals(), plan.unplaced(),
                    s.backups().isEmpty() ? "no backup configured or known"
                            : "no usable backup among " + String.join(",", s.backups()));
        }
        BootstrapNode b = backup.get();
        int before = b.capacity();
        int after = (int) Math.max(before, Math.min((long) cfg.max, (long) before * cfg.factor));
        BootstrapNode promoted = b.withLoad(b.activeSessions(), after, true, b.lastReportMillis());
        List<BootstrapNode> remaining = new ArrayList<>(Rebalance.remaining(s, promoted));
        if (remaining.stream().noneMatch(n -> n.name().equals(b.name()))) {
            remaining.add(promoted); // a configured backup from another region still takes its share
        }
        Rebalance.Plan plan = Rebalance.plan(failed.activeSessions(), remaining);
        return new FailoverDecision.Promote(failed.name(), b, before, after, plan.referrals(), plan.unplaced());
    }

    @Override
    public Map<String, String> settings() {
        Settings cfg = settings;
        Map<String, String> m = new LinkedHashMap<>();
        m.put("capacity.factor", Integer.toString(cfg.factor));
        m.put("capacity.max", Integer.toString(cfg.max));
        m.put("role", FailoverDecision.ROLE_PRIMARY);
        return m;
    }
}
