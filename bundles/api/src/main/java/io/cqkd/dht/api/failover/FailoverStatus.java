package io.cqkd.dht.api.failover;

import java.util.List;

/**
 * The watched nodes that are not ALIVE, per observer: the content of {@code failover:status}.
 *
 * @param suspected SUSPECTED rows, sorted by observer then node
 * @param failed    FAILED rows, sorted by observer then node
 * @param watched   how many (observer, node) pairs are watched in this container
 */
public record FailoverStatus(List<WatchedNode> suspected, List<WatchedNode> failed, int watched) {
    /** Copies. */
    public FailoverStatus {
        suspected = List.copyOf(suspected);
        failed = List.copyOf(failed);
        if (watched < 0) {
            throw new IllegalArgumentException("watched must be >= 0, got " + watched);
        }
    }
}
