package io.cqkd.dht.ports.osgi;

import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortAllocationService;
import io.cqkd.dht.api.ports.PortAllocator;
import io.cqkd.dht.api.ports.PortBinder;
import io.cqkd.dht.api.ports.PortLease;
import io.cqkd.dht.api.ports.PortRequest;
import io.cqkd.dht.ports.HistoryEvent;
import io.cqkd.dht.ports.PortAllocationEngine;
import io.cqkd.dht.ports.PortEntry;
import io.cqkd.dht.ports.PortSettings;
import io.cqkd.dht.ports.PortsAdmin;
import io.cqkd.dht.ports.Preview;
import io.cqkd.dht.ports.RangeUsage;
import io.cqkd.dht.ports.StrategyInfo;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container's {@link PortAllocationService}: a thin adapter around {@link PortAllocationEngine}.
 *
 * <ul>
 *   <li>Immediate, so the registry lives as long as the bundle, not as long as some consumer.</li>
 *   <li>The strategy is an OPTIONAL, DYNAMIC, GREEDY reference named {@code allocator} whose target
 *       comes from {@code allocator.target} (default {@code (strategy=sequential)}): stopping,
 *       updating or replacing a strategy bundle, or editing the target, never deactivates this
 *       component, so held leases and the registry survive; the next allocation uses the new
 *       strategy, and with none, explicit ports still work.</li>
 *   <li>Configuration changes go through {@code @Modified} into a new immutable settings snapshot.</li>
 * </ul>
 */
@Component(name = PortAllocationComponent.PID, configurationPid = PortAllocationComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        service = {PortAllocationService.class, PortsAdmin.class})
@Designate(ocd = PortsConfiguration.class)
public final class PortAllocationComponent implements PortsAdmin {
    /** Singleton configuration PID (no '-', as FileInstall requires). */
    public static final String PID = "io.cqkd.dht.ports";

    private static final Logger LOG = LoggerFactory.getLogger(PortAllocationComponent.class);

    private final PortAllocationEngine engine;

    /** Activates with the configuration (or none) and the process environment. */
    @Activate
    public PortAllocationComponent(Map<String, Object> properties) {
        PortSettings settings = PortSettings.from(properties, System.getenv());
        engine = new PortAllocationEngine(settings, Clock.systemUTC());
        logSettings("ports.activated", settings);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        PortSettings settings = PortSettings.from(properties, System.getenv());
        engine.update(settings);
        logSettings("ports.reconfigured", settings);
    }

    private static void logSettings(String event, PortSettings s) {
        LOG.info("{} target={} base.port={} port.offset={} legacy.port.mode={} ranges={} allowed=[{}] blocked=[{}]",
                event, s.allocatorTarget(), s.basePort(), s.portOffset(), s.legacyMode(), s.ranges(),
                PortSettings.joinRanges(s.allowedRanges()), PortSettings.joinRanges(s.blocked()));
        for (String warning : s.warnings()) {
            LOG.warn("ports.config.invalid detail=\"{}\"", warning);
        }
    }

    @Reference(name = "allocator", service = PortAllocator.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = PortSettings.DEFAULT_TARGET, unbind = "unbindAllocator", updated = "updatedAllocator")
    void bindAllocator(PortAllocator allocator, ServiceReference<PortAllocator> ref) {
        StrategyInfo info = info(ref);
        engine.strategyBound(allocator, info);
        LOG.info("ports.strategy.bound strategy={} bundle={}", info.name(), info.bundle());
    }

    void updatedAllocator(PortAllocator allocator, ServiceReference<PortAllocator> ref) {
        engine.strategyBound(allocator, info(ref));
    }

    void unbindAllocator(PortAllocator allocator, ServiceReference<PortAllocator> ref) {
        engine.strategyUnbound(allocator);
        LOG.info("ports.strategy.unbound strategy={} active={}", info(ref).name(),
                engine.activeStrategy().map(StrategyInfo::name).orElse("none"));
    }

    /** Every strategy service, selected or not: only references, the services are never got. */
    @Reference(name = "strategies", service = PortAllocator.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "unregisteredStrategy", updated = "registeredStrategy")
    void registeredStrategy(ServiceReference<PortAllocator> ref) {
        engine.strategyRegistered(info(ref));
    }

    void unregisteredStrategy(ServiceReference<PortAllocator> ref) {
        engine.strategyUnregistered((Long) ref.getProperty(Constants.SERVICE_ID));
    }

    private static StrategyInfo info(ServiceReference<?> ref) {
        Object name = ref.getProperty(PortAllocator.PROP_STRATEGY);
        Bundle bundle = ref.getBundle();
        String bundleText = bundle == null ? "(unregistered)" : bundle.getSymbolicName() + " " + bundle.getVersion();
        return new StrategyInfo(name == null ? "(unnamed)" : name.toString(), bundleText,
                bundle == null ? -1 : bundle.getBundleId(), (Long) ref.getProperty(Constants.SERVICE_ID));
    }

    @Override
    public PortLease allocate(PortRequest request, PortBinder binder) throws PortAllocationException {
        return engine.allocate(request, binder);
    }

    @Override
    public PortSettings settings() {
        return engine.settings();
    }

    @Override
    public Optional<StrategyInfo> activeStrategy() {
        return engine.activeStrategy();
    }

    @Override
    public List<StrategyInfo> registeredStrategies() {
        return engine.registeredStrategies();
    }

    @Override
    public List<PortEntry> registry() {
        return engine.registry();
    }

    @Override
    public List<HistoryEvent> history() {
        return engine.history();
    }

    @Override
    public long historyDropped() {
        return engine.historyDropped();
    }

    @Override
    public List<RangeUsage> utilization() {
        return engine.utilization();
    }

    @Override
    public Preview preview(PortRequest request, PortBinder probe) throws PortAllocationException {
        return engine.preview(request, probe);
    }
}
