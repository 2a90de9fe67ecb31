package io.cqkd.dht.core.osgi;

import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.ports.PortAllocationService;
import io.cqkd.dht.api.failover.FailoverSink;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.api.tier.TierNode;
import io.cqkd.dht.api.tier.TierNodeSnapshot;
import io.cqkd.dht.api.ports.PortAllocator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A DHT node per factory configuration of {@value NodeConfig#PID}
 * ({@code config/io.cqkd.dht.node-<name>.cfg}). A thin OSGi shell around {@link NodeController}:
 * it registers the node as a {@link DhtNode} service (properties {@code dht.node.name},
 * {@code dht.node.id}, {@code dht.node.role}, {@code dht.node.region}; never the configuration,
 * which holds the cluster key), in every state including WAITING_FOR_PORT and FAILED so the shell
 * can show why.
 *
 * <p>The port-allocation service is optional, dynamic and greedy: a node configured with
 * {@code port=-1} waits for it and starts as soon as it appears; running nodes keep their socket
 * when it goes away or is replaced. When the service is there but no strategy bundle is active
 * ({@code NoStrategyException}), the node waits too (WAITING_FOR_PORT, the detail names the
 * strategy filter) and retries when a {@code PortAllocator} service appears.
 */
@Component(name = NodeConfig.PID, configurationPid = NodeConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
@Designate(ocd = NodeConfig.class, factory = true)
public final class DhtNodeComponent {
    private final BundleContext context;
    private final NodeController controller;
    private ServiceRegistration<DhtNode> registration;
    private ServiceRegistration<TierNode> tierRegistration;

    /** Creates and starts the node. */
    @Activate
    public DhtNodeComponent(BundleContext context, @Reference(name = "runtime") DhtRuntime runtime, NodeConfig config,
                            Map<String, Object> properties) {
        this.context = context;
        this.controller = new NodeController(factoryName(properties), config, System::getenv, runtime.context(),
                KademliaEngines.FACTORY);
    }

    /** Binds (at activation when available, or later) the allocation service; a waiting node then starts. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedPortAllocation")
    void bindPortAllocation(PortAllocationService service) {
        controller.portServiceChanged(service);
        updateRegistration();
    }

    /** Its configuration changed (e.g. {@code allocator.target}): a node waiting for a strategy retries. */
    void updatedPortAllocation(PortAllocationService service) {
        controller.strategyAppeared();
    }

    /**
     * Every port-allocation strategy, as references only (the service is never got: the
     * allocation service uses the strategies, this component only learns that one appeared or
     * changed), so a node waiting for a strategy retries at once.
     */
    @Reference(name = "strategies", service = PortAllocator.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, updated = "strategyRegistered", unbind = "strategyUnregistered")
    void strategyRegistered(ServiceReference<PortAllocator> ref) {
        controller.strategyAppeared();
    }

    void strategyUnregistered(ServiceReference<PortAllocator> ref) {
        // running nodes keep their port; the next allocation finds out
    }

    void unbindPortAllocation(PortAllocationService service) {
        controller.portServiceRemoved(service);
    }

    /**
     * The bootstrap-selection strategy, chosen by the configuration's {@code selector.target}
     * filter; optional, dynamic and greedy: swapping it or stopping its bundle never restarts
     * the node, its next tier join uses what is bound then.
     */
    @Reference(name = "selector", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindSelector")
    void bindSelector(BootstrapSelector selector) {
        controller.selectorChanged(selector);
    }

    void unbindSelector(BootstrapSelector selector) {
        controller.selectorRemoved(selector);
    }

    /**
     * The container's failover sink (the failover bundle's service): the tier agent's failure
     * detector takes its settings from it and reports to it; optional, dynamic and greedy. Without
     * it the agent detects and logs only (see docs/failover.md).
     */
    @Reference(name = "failover", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindFailoverSink")
    void bindFailoverSink(FailoverSink sink) {
        controller.failoverSinkChanged(sink);
    }

    void unbindFailoverSink(FailoverSink sink) {
        controller.failoverSinkRemoved(sink);
    }

    /** Starts the node (after the references are bound) and registers its service. */
    @Activate
    void activate() {
        controller.start();
        synchronized (this) {
            registration = context.registerService(DhtNode.class, controller, toDictionary(controller.serviceProperties()));
            updateTierRegistration();
        }
    }

    /** Applies a configuration change, live or by restarting this node (see {@link NodeController}). */
    @Modified
    void modified(NodeConfig config) {
        controller.modify(config);
        updateRegistration();
        synchronized (this) {
            if (registration != null) {
                updateTierRegistration();
            }
        }
    }

    /** Unregisters the service, stops the engine, closes the socket, releases the port lease. */
    @Deactivate
    void deactivate() {
        synchronized (this) {
            unregisterTier();
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // bundle stopping: the framework unregistered it
                }
                registration = null;
            }
        }
        controller.stop();
    }

    /**
     * A bootstrap node (super, regional, local) is also a {@link TierNode} service for the tier
     * runtime and the tier:* commands; (re)registered when its name, level or region changes.
     */
    private void updateTierRegistration() {
        Map<String, Object> p = controller.serviceProperties();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(TierNode.PROP_NAME, p.get(DhtNode.PROP_NAME));
        props.put(TierNode.PROP_LEVEL, p.get(DhtNode.PROP_ROLE));
        props.put(TierNode.PROP_REGION, p.get(DhtNode.PROP_REGION));
        if (tierRegistration != null) {
            Object level = tierRegistration.getReference().getProperty(TierNode.PROP_LEVEL);
            Object name = tierRegistration.getReference().getProperty(TierNode.PROP_NAME);
            Object region = tierRegistration.getReference().getProperty(TierNode.PROP_REGION);
            if (controller.isTierNode() && Objects.equals(level, props.get(TierNode.PROP_LEVEL))
                    && Objects.equals(name, props.get(TierNode.PROP_NAME))
                    && Objects.equals(region, props.get(TierNode.PROP_REGION))) {
                return;
            }
            unregisterTier();
        }
        if (controller.isTierNode()) {
            tierRegistration = context.registerService(TierNode.class, new TierNode() {
                @Override
                public String name() {
                    return controller.name();
                }

                @Override
                public TierNodeSnapshot snapshot() {
                    return controller.tierSnapshot();
                }
            }, props);
        }
    }

    private void unregisterTier() {
        if (tierRegistration != null) {
            try {
                tierRegistration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // bundle stopping
            }
            tierRegistration = null;
        }
    }

    private synchronized void updateRegistration() {
        if (registration != null) {
            try {
                registration.setProperties(toDictionary(controller.serviceProperties()));
            } catch (IllegalStateException alreadyGone) {
                // deactivating
            }
        }
    }

    /** The name after '~' in {@code service.pid} ({@code io.cqkd.dht.node~local-1}), else the pid. */
    static String factoryName(Map<String, Object> properties) {
        Object pid = properties.get("service.pid");
        String p = Objects.toString(pid, "node");
        int tilde = p.indexOf('~');
        if (tilde >= 0) {
            return p.substring(tilde + 1);
        }
        // Config Admin before R7 used generated pids (pid.<uuid>); FileInstall's file name is better then
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String f = file.toString();
            int slash = Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\'));
            f = f.substring(slash + 1).replaceFirst("\\.(cfg|config)$", "");
            int dash = f.indexOf('-');
            if (dash >= 0) {
                return f.substring(dash + 1);
            }
        }
        int dot = p.lastIndexOf('.');
        return dot >= 0 ? p.substring(dot + 1) : p;
    }

    private static Dictionary<String, Object> toDictionary(Map<String, Object> m) {
        return new Hashtable<>(m);
    }
}
