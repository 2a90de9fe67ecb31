package io.cqkd.dht.ports;

import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortAllocationService;
import io.cqkd.dht.api.ports.PortBinder;
import io.cqkd.dht.api.ports.PortRequest;
import java.util.List;
import java.util.Optional;

/**
 * The allocation service seen from the shell: the registry, history, utilization, strategy and
 * settings, and dry runs. Private to this bundle.
 */
public interface PortsAdmin extends PortAllocationService {
    /** The effective settings. */
    PortSettings settings();

    /** The strategy allocations use now, if any. */
    Optional<StrategyInfo> activeStrategy();

    /** Every strategy service registered in the container, whether selected or not. */
    List<StrategyInfo> registeredStrategies();

    /** The registry, by port. */
    List<PortEntry> registry();

    /** The allocation history, oldest first. */
    List<HistoryEvent> history();

    /** Events dropped from the bounded history since the start. */
    long historyDropped();

    /** Utilization per range. */
    List<RangeUsage> utilization();

    /**
     * What {@link #allocate} would give for {@code request} now, probing bindability with
     * {@code probe} (which must release what it binds) and registering nothing.
     */
    Preview preview(PortRequest request, PortBinder probe) throws PortAllocationException;
}
