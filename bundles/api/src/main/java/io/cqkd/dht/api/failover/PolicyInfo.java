package io.cqkd.dht.api.failover;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The failover configuration in effect: the content of {@code failover:policy}.
 *
 * @param active     name of the bound policy, "" when none matches the target
 * @param bundle     symbolic name and version of the bundle providing it, "" when none
 * @param target     the configured target filter ({@code policy.target})
 * @param registered names of every registered policy, sorted
 * @param settings   the active policy's own settings ({@link FailoverPolicy#settings()})
 * @param detector   the failure-detector settings
 * @param backups    explicitly configured backups, node to backups in preference order (nodes not
 *                   listed get the default rule: the other nodes of the same level and region)
 * @param eventLimit how many events the log keeps
 */
public record PolicyInfo(String active, String bundle, String target, List<String> registered,
                         Map<String, String> settings, DetectorSettings detector, Map<String, List<String>> backups,
                         int eventLimit) {
    /** Copies. */
    public PolicyInfo {
        Objects.requireNonNull(active, "active");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(target, "target");
        registered = List.copyOf(registered);
        settings = Map.copyOf(settings);
        Objects.requireNonNull(detector, "detector");
        backups = Map.copyOf(backups);
    }
}
