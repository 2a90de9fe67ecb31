package io.cqkd.dht.api.failover;

import java.util.Locale;

/** How a watched node relates to the node that watches it. */
public enum WatchRelation {
    /** The watched node is a child of the observer (a regional watched by its super, a local by its regional). */
    CHILD,
    /** The watched node is a peer at the same level that reports to the observer (supers watch each other). */
    PEER,
    /** The watched node is the observer's parent (the node it reports its load to). */
    PARENT,
    /** The watched node is the bootstrap node a client (worker or child) joined through and depends on. */
    BOOTSTRAP;

    /** True when the observer manages the watched node (CHILD, PEER): the server side of failover. */
    public boolean observerManages() {
        return this == CHILD || this == PEER;
    }

    /** Lower-case name for output and logs. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
