package io.cqkd.dht.api.tier;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The bootstrap tier as this container sees it, provided by the tier runtime to the shell
 * ({@code tier:*} commands) and to protocol code. Every method returns a snapshot and never
 * blocks on the network, except {@link #workers(String)} which is asynchronous.
 */
@ProviderType
public interface TierService {
    /** The seed's health summary over every known bootstrap node. */
    HealthSummary health();

    /** Every known bootstrap node with its last known load. */
    TierView view();

    /**
     * The live workers registered in {@code region} (by the region's regional nodes), sorted by
     * node id. Completes exceptionally with an {@link IllegalArgumentException} for a blank
     * region.
     */
    CompletionStage<List<WorkerRegistration>> workers(String region);

    /** Name of the active selection strategy, "" when none is bound. */
    String selectionStrategy();

    /** What the active strategy would pick now for {@code request} over {@link #view()}. */
    SelectionPreview preview(SelectionRequest request);
}
