package io.cqkd.dht.api.failover;

import java.util.Locale;

/** The kind of a {@link FailoverDecision}, as it appears in events ({@link #configName()}). */
public enum FailoverAction {
    /** Nothing to do. */
    NONE,
    /** A client moves on to the next healthy bootstrap node. */
    RETRY_NEXT,
    /** A client found no healthy node at the failed node's level and goes to the level above. */
    ESCALATE,
    /** A parent promotes the failed node's backup (primary role, capacity multiplied) and rebalances. */
    PROMOTE_BACKUP,
    /** A parent marks the node failed and rebalances referrals without promoting anyone. */
    MARK_FAILED,
    /** A failed node came back: it takes its place again and a promoted backup gets its capacity back. */
    RESTORE;

    /** Lower-case name with underscores ({@code promote_backup}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
