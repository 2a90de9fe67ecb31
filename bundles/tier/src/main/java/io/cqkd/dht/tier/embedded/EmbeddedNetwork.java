package io.cqkd.dht.tier.embedded;

import java.io.IOException;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded three-level network: turns its configuration ({@value #PID}, see
 * {@link EmbeddedConfig}) into {@code io.cqkd.dht.node} factory configurations through
 * {@link ConfigurationAdmin}, one named configuration per node ({@code io.cqkd.dht.node~<name>}),
 * each marked {@code embedded.owner=true}.
 *
 * <p>Reconciliation ({@link #reconcile}) on activation and on every change: creates what is
 * missing, updates what differs (only the keys the plan sets), deletes owned nodes the plan no
 * longer has; a node configuration of the same name that it does not own is left alone (WARN).
 * On deactivation (configuration deleted, {@code enabled=false}, bundle stopped) it deletes every
 * node it owns, so the network goes with it.
 */
@Component(configurationPid = EmbeddedNetwork.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
@Designate(ocd = EmbeddedConfig.class)
public final class EmbeddedNetwork {
    /** Configuration PID (singleton). */
    public static final String PID = "io.cqkd.dht.embedded";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedNetwork.class);
    private static final String OWNED_FILTER = "(&(service.factoryPid=" + EmbeddedPlan.NODE_FACTORY_PID + ")("
            + EmbeddedPlan.OWNER_PROPERTY + "=true))";

    private final ConfigurationAdmin configAdmin;

    /** What one reconciliation did. */
    public record Result(int created, int updated, int deleted, int unchanged, int skipped) {
    }

    /** Activated by SCR. */
    @Activate
    public EmbeddedNetwork(@Reference ConfigurationAdmin configAdmin, EmbeddedConfig config) {
        this.configAdmin = configAdmin;
        apply(config);
    }

    @Modified
    void modified(EmbeddedConfig config) {
        apply(config);
    }

    @Deactivate
    void deactivate() {
        try {
            int n = deleteOwned();
            LOG.info("event=embedded.stopped deleted={}", n);
        } catch (IOException | IllegalStateException e) {
            LOG.warn("event=embedded.stop_failed error={}", e.toString());
        }
    }

    private void apply(EmbeddedConfig config) {
        try {
            if (!config.enabled()) {
                LOG.info("event=embedded.disabled deleted={}", deleteOwned());
                return;
            }
            EmbeddedPlan plan = EmbeddedPlan.of(config);
            long t0 = System.nanoTime();
            Result r = reconcile(plan.nodes());
            LOG.info("event=embedded.reconciled supers={} regionals={} locals={} workers={} regions={} base_port={} "
                            + "created={} updated={} deleted={} unchanged={} skipped={} millis={}",
                    plan.supers(), plan.regionals(), plan.locals(), plan.workers(), plan.regions(), plan.basePort(),
                    r.created(), r.updated(), r.deleted(), r.unchanged(), r.skipped(),
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (IllegalArgumentException e) {
            // keep what runs: a bad edit must not tear the network down
            LOG.error("event=embedded.invalid_config error=\"{}\" (nodes left as they are)", e.getMessage());
        } catch (IOException | InvalidSyntaxException e) {
            LOG.error("event=embedded.reconcile_failed error={}", e.toString());
        }
    }

    /** Makes the owned node configurations match {@code desired} (node name to properties). */
    Result reconcile(Map<String, Map<String, Object>> desired) throws IOException, InvalidSyntaxException {
        Map<String, Configuration> owned = owned();
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int skipped = 0;
        for (Map.Entry<String, Map<String, Object>> e : desired.entrySet()) {
            String name = e.getKey();
            Configuration c = owned.remove(name);
            if (c == null) {
                c = configAdmin.getFactoryConfiguration(EmbeddedPlan.NODE_FACTORY_PID, name, "?");
                if (c.getProperties() != null) {
                    LOG.warn("event=embedded.node_not_owned node={} pid={} (a configuration of that name exists "
                            + "without {}=true; left alone)", name, c.getPid(), EmbeddedPlan.OWNER_PROPERTY);
                    skipped++;
                    continue;
                }
                c.update(dictionary(e.getValue()));
                created++;
            } else if (differs(c.getProperties(), e.getValue())) {
                Dictionary<String, Object> props = c.getProperties();
                e.getValue().forEach(props::put);
                c.update(props);
                updated++;
            } else {
                unchanged++;
            }
        }
        for (Configuration stale : owned.values()) {
            stale.delete();
        }
        return new Result(created, updated, owned.size(), unchanged, skipped);
    }

    private int deleteOwned() throws IOException {
        Map<String, Configuration> owned;
        try {
            owned = owned();
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Configuration c : owned.values()) {
            c.delete();
        }
        return owned.size();
    }

    private Map<String, Configuration> owned() throws IOException, InvalidSyntaxException {
        Configuration[] all = configAdmin.listConfigurations(OWNED_FILTER);
        Map<String, Configuration> out = new HashMap<>();
        if (all != null) {
            for (Configuration c : all) {
                Dictionary<String, Object> p = c.getProperties();
                Object name = p == null ? null : p.get("name");
                if (name != null && out.putIfAbsent(String.valueOf(name), c) != null) {
                    c.delete(); // a duplicate of ours: keep one
                }
            }
        }
        return out;
    }

    static boolean differs(Dictionary<String, Object> current, Map<String, Object> wanted) {
        if (current == null) {
            return true;
        }
        for (Map.Entry<String, Object> e : wanted.entrySet()) {
            Object have = current.get(e.getKey());
            Object want = e.getValue();
            if (want instanceof Object[] a ? !(have instanceof Object[] b && Arrays.equals(a, b))
                    : !Objects.equals(want, have)) {
                return true;
            }
        }
        return false;
    }

    private static Dictionary<String, Object> dictionary(Map<String, Object> props) {
        Hashtable<String, Object> d = new Hashtable<>();
        props.forEach(d::put);
        return d;
    }
}
