package io.cqkd.dht.shell;

import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.shell.support.CommandFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The DHT nodes of this container as seen by the shell: a sorted, immutable snapshot rebuilt
 * under a lock when a node service comes or goes, so commands read it without locking.
 */
public final class NodeDirectory {
    private static final int MAX_NAMES_IN_MESSAGE = 10;
    private static final Comparator<DhtNode> BY_NAME =
            Comparator.comparing(NodeDirectory::safeName).thenComparingInt(System::identityHashCode);

    private final Object lock = new Object();
    private volatile List<DhtNode> nodes = List.of();

    /** Adds a node (a bound service). */
    public void add(DhtNode node) {
        synchronized (lock) {
            List<DhtNode> next = new ArrayList<>(nodes);
            next.add(node);
            next.sort(BY_NAME);
            nodes = List.copyOf(next);
        }
    }

    /** Removes a node (an unbound service); unknown nodes are ignored. */
    public void remove(DhtNode node) {
        synchronized (lock) {
            List<DhtNode> next = new ArrayList<>(nodes);
            next.removeIf(n -> n == node);
            nodes = List.copyOf(next);
        }
    }

    /** All nodes, sorted by name. */
    public List<DhtNode> all() {
        return nodes;
    }

    /**
     * The node called {@code nameOrId}: an exact name, else a unique prefix (at least 4 digits)
     * of its hex id.
     *
     * @throws CommandFailure when no node or several nodes match
     */
    public DhtNode find(String nameOrId) {
        List<DhtNode> snapshot = nodes;
        if (nameOrId == null || nameOrId.isBlank()) {
            throw new CommandFailure("no node given");
        }
        for (DhtNode n : snapshot) {
            if (nameOrId.equals(safeName(n))) {
                return n;
            }
        }
        String prefix = nameOrId.toLowerCase(Locale.ROOT);
        if (prefix.length() >= 4 && prefix.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            List<DhtNode> matches = snapshot.stream()
                    .filter(n -> n.id().toHex().startsWith(prefix)).toList();
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.size() > 1) {
                throw new CommandFailure("ambiguous node id prefix '" + nameOrId + "' (" + matches.size() + " nodes)");
            }
        }
        throw new CommandFailure("unknown node '" + nameOrId + "'" + known(snapshot));
    }

    /**
     * The node named by {@code nameOrId}, or when that is null or empty the first READY node by
     * name.
     */
    public DhtNode pick(String nameOrId) {
        if (nameOrId != null && !nameOrId.isEmpty()) {
            return find(nameOrId);
        }
        List<DhtNode> snapshot = nodes;
        if (snapshot.isEmpty()) {
            throw new CommandFailure("no DHT node in this container (add config/io.cqkd.dht.node-<name>.cfg)");
        }
        for (DhtNode n : snapshot) {
            if (stateOf(n) == NodeState.READY) {
                return n;
            }
        }
        throw new CommandFailure("no READY node in this container (" + snapshot.size()
                + " nodes, none READY yet); use --node NODE to pick one");
    }

    private static String known(List<DhtNode> snapshot) {
        if (snapshot.isEmpty()) {
            return " (this container has no nodes)";
        }
        String names = snapshot.stream().limit(MAX_NAMES_IN_MESSAGE).map(NodeDirectory::safeName)
                .collect(Collectors.joining(", "));
        return " (known: " + names + (snapshot.size() > MAX_NAMES_IN_MESSAGE ? ", ..." : "") + ")";
    }

    private static NodeState stateOf(DhtNode n) {
        try {
            return n.status().state();
        } catch (RuntimeException e) {
            return NodeState.STOPPED;
        }
    }

    private static String safeName(DhtNode n) {
        try {
            String name = n.name();
            return name == null ? "" : name;
        } catch (RuntimeException e) {
            return "";
        }
    }
}
