package io.cqkd.dht.core.tier;

import io.cqkd.dht.api.failover.FailoverSink;
import io.cqkd.dht.api.tier.BootstrapSelector;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The optional dynamic services a node's {@link TierAgent} uses: the bootstrap-selection strategy
 * and the failover sink (each null while none is bound). It is itself the selector supplier, so
 * it travels through the engine interfaces where a {@code Supplier<BootstrapSelector>} goes; the
 * agent picks the failover sink out of it.
 */
public final class TierServices implements Supplier<BootstrapSelector> {
    private final Supplier<BootstrapSelector> selector;
    private final Supplier<FailoverSink> failover;

    /**
     * @param selector the current strategy (may supply null)
     * @param failover the current failover sink (may supply null)
     */
    public TierServices(Supplier<BootstrapSelector> selector, Supplier<FailoverSink> failover) {
        this.selector = Objects.requireNonNull(selector, "selector");
        this.failover = Objects.requireNonNull(failover, "failover");
    }

    @Override
    public BootstrapSelector get() {
        return selector.get();
    }

    /** The current failover sink, or null. */
    public FailoverSink failoverSink() {
        return failover.get();
    }

    /** The failover supplier of {@code selector} when it is a {@link TierServices}, else one that supplies null. */
    static Supplier<FailoverSink> failoverOf(Supplier<BootstrapSelector> selector) {
        return selector instanceof TierServices t ? t::failoverSink : () -> null;
    }
}
