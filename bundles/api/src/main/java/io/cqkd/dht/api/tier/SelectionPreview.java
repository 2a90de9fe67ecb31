package io.cqkd.dht.api.tier;

import java.util.List;
import java.util.Objects;

/**
 * What the active selection strategy would pick now.
 *
 * @param strategy name of the active strategy, "" when none is bound
 * @param request  the request it was asked
 * @param picks    what it returned (empty when no strategy is bound)
 */
public record SelectionPreview(String strategy, SelectionRequest request, List<BootstrapNode> picks) {
    /** Copies the picks. */
    public SelectionPreview {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(request, "request");
        picks = List.copyOf(picks);
    }
}
