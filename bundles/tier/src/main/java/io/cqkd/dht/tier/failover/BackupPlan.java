package io.cqkd.dht.tier.failover;

import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.TierView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which bootstrap nodes back which (the seed's "backup nodes per primary").
 *
 * <p>Configured entries win: {@code lb-001=lb-002,lb-003} makes lb-002 the first backup of
 * lb-001 and lb-003 the second. A node without an entry gets the default rule over the current
 * view: the other nodes of the same level and region, those with the same parent first, each
 * group by name (supers: the other supers). A policy promotes the first backup that is known,
 * healthy and not suspected; the plan itself does not look at health. Immutable.
 */
public final class BackupPlan {
    /** Allowed node names (as NODE_ID). */
    public static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Most configured entries. */
    public static final int MAX_ENTRIES = 1_024;
    /** Most backups per entry. */
    public static final int MAX_BACKUPS = 16;

    private static final BackupPlan DEFAULTS = new BackupPlan(Map.of());

    private final Map<String, List<String>> overrides;

    private BackupPlan(Map<String, List<String>> overrides) {
        this.overrides = overrides;
    }

    /** No configured entries: the default rule everywhere. */
    public static BackupPlan defaults() {
        return DEFAULTS;
    }

    /**
     * Parses configured entries, each {@code node=backup1,backup2,...}; blank entries are
     * skipped, several entries may share one string separated by {@code ;}.
     *
     * @throws IllegalArgumentException naming every problem (syntax, bad names, a node backing
     *         itself, a node listed twice, too many entries or backups)
     */
    public static BackupPlan parse(List<String> entries) {
        Objects.requireNonNull(entries, "entries");
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String raw : entries) {
            if (raw == null) {
                continue;
            }
            for (String entry : raw.split(";")) {
                String t = entry.trim();
                if (t.isEmpty()) {
                    continue;
                }
                int eq = t.indexOf('=');
                if (eq <= 0 || eq == t.length() - 1) {
                    problems.add("backup entry '" + t + "' must be NODE=BACKUP[,BACKUP...]");
                    continue;
                }
                String node = t.substring(0, eq).trim();
                if (!NODE_NAME.matcher(node).matches()) {
                    problems.add("backup entry '" + t + "': bad node name '" + node + "'");
                    continue;
                }
                Set<String> backups = new LinkedHashSet<>();
                boolean ok = true;
                for (String b : t.substring(eq + 1).split(",")) {
                    String name = b.trim();
                    if (!NODE_NAME.matcher(name).matches()) {
                        problems.add("backup entry '" + t + "': bad backup name '" + name + "'");
                        ok = false;
                    } else if (name.equals(node)) {
                        problems.add("backup entry '" + t + "': " + node + " cannot back itself");
                        ok = false;
                    } else if (!backups.add(name)) {
                        problems.add("backup entry '" + t + "': " + name + " is listed twice");
                        ok = false;
                    }
                }
                if (backups.size() > MAX_BACKUPS) {
                    problems.add("backup entry '" + t + "': at most " + MAX_BACKUPS + " backups");
                    ok = false;
                }
                if (out.containsKey(node)) {
                    problems.add("node " + node + " has two backup entries");
                    ok = false;
                }
                if (ok) {
                    out.put(node, List.copyOf(backups));
                }
            }
        }
        if (out.size() > MAX_ENTRIES) {
            problems.add("at most " + MAX_ENTRIES + " backup entries, got " + out.size());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid backup configuration: " + String.join("; ", problems));
        }
        return out.isEmpty() ? DEFAULTS : new BackupPlan(Collections.unmodifiableMap(out));
    }

    /** The configured entries, in configuration order. */
    public Map<String, List<String>> overrides() {
        return overrides;
    }

    /** The backups of {@code node} in preference order: its entry, else the default rule over {@code view}. */
    public List<String> backupsOf(String node, TierView view) {
        List<String> configured = overrides.get(node);
        if (configured != null) {
            return configured;
        }
        Optional<BootstrapNode> self = view.node(node);
        if (self.isEmpty()) {
            return List.of();
        }
        BootstrapNode n = self.get();
        return view.nodes().stream()
                .filter(o -> !o.name().equals(node) && o.level() == n.level() && o.region().equals(n.region()))
                .sorted(Comparator.comparing((BootstrapNode o) -> o.parent().equals(n.parent()) ? 0 : 1)
                        .thenComparing(BootstrapNode::name))
                .map(BootstrapNode::name)
                .toList();
    }

    /**
     * Configuration warnings against a view: entries naming unknown nodes, and backups at another
     * level than their node. Empty when everything matches.
     */
    public List<String> warnings(TierView view) {
        List<String> w = new ArrayList<>();
        overrides.forEach((node, backups) -> {
            Optional<BootstrapNode> n = view.node(node);
            if (n.isEmpty()) {
                w.add("backup entry for unknown node " + node);
            }
            for (String b : backups) {
                Optional<BootstrapNode> bn = view.node(b);
                if (bn.isEmpty()) {
                    w.add("backup " + b + " of " + node + " is not a known node");
                } else if (n.isPresent() && bn.get().level() != n.get().level()) {
                    w.add("backup " + b + " (" + bn.get().level().configName() + ") of " + node + " ("
                            + n.get().level().configName() + ") is at another level");
                }
            }
        });
        return w;
    }
}
