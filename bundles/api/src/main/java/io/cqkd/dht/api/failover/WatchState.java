package io.cqkd.dht.api.failover;

import java.util.Locale;

/**
 * What a failure detector thinks of a watched node.
 *
 * <p>Transitions: {@code ALIVE -> SUSPECTED} when a probe goes unanswered for the probe timeout;
 * {@code SUSPECTED -> FAILED} when the suspicion phase has lasted its full length and at least
 * the configured number of probes went unanswered; any message from the node, in any state,
 * makes it {@code ALIVE} again ({@code FAILED -> ALIVE} is a recovery: the node rejoins its place).
 */
public enum WatchState {
    /** Answering. */
    ALIVE,
    /** Missed at least one probe; not yet declared failed. Nothing is done about it yet. */
    SUSPECTED,
    /** Declared failed: failover is decided and applied. */
    FAILED;

    /** Lower-case name ({@code alive}, {@code suspected}, {@code failed}) for output and logs. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
