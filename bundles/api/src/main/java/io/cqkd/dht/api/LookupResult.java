package io.cqkd.dht.api;

import java.util.List;

/**
 * Outcome of an iterative lookup.
 *
 * @param target  the id looked up
 * @param closest the closest responsive nodes found, closest first (at most k)
 * @param hops    longest chain of referrals followed
 * @param queried nodes queried
 * @param failed  nodes that did not answer in time
 * @param millis  wall time of the lookup
 */
public record LookupResult(NodeId target, List<Contact> closest, int hops, int queried, int failed, long millis) {
    /** Defensive copy. */
    public LookupResult {
        closest = List.copyOf(closest);
    }
}
