package io.cqkd.dht.failover.osgi;

import io.cqkd.dht.api.failover.DetectorSettings;
import io.cqkd.dht.api.failover.FailoverEvent;
import io.cqkd.dht.api.failover.FailoverPolicy;
import io.cqkd.dht.api.failover.FailoverService;
import io.cqkd.dht.api.failover.FailoverSink;
import io.cqkd.dht.api.failover.FailoverStatus;
import io.cqkd.dht.api.failover.FailoverVerdict;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.failover.PolicyInfo;
import io.cqkd.dht.api.failover.WatchRelation;
import io.cqkd.dht.api.failover.WatchedNode;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.failover.FailoverHub;
import io.cqkd.dht.failover.FailoverSettings;
import java.time.Clock;
import java.util.List;
import java.util.Map;
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
 * The container's {@link FailoverService} and {@link FailoverSink}: a thin adapter around
 * {@link FailoverHub}.
 *
 * <ul>
 *   <li>Immediate, so the event log and the status live as long as the bundle.</li>
 *   <li>The policy is an OPTIONAL, DYNAMIC, GREEDY reference named {@code policy} whose target
 *       comes from {@code policy.target} (default {@code (policy=promote-backup)}): stopping,
 *       updating or replacing a policy bundle, or editing the target, never deactivates this
 *       component nor any node; the next failure is decided by the policy bound then, and without
 *       one, failures are detected and logged but nobody fails over.</li>
 *   <li>Configuration changes go through {@code @Modified} into a new settings snapshot; the tier
 *       agents read {@link #detectorSettings()} when they (re)build their detectors.</li>
 * </ul>
 */
@Component(name = FailoverComponent.PID, configurationPid = FailoverComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        service = {FailoverService.class, FailoverSink.class})
@Designate(ocd = FailoverConfiguration.class)
public final class FailoverComponent implements FailoverService, FailoverSink {
    /** Singleton configuration PID (no '-', as FileInstall requires). */
    public static final String PID = "io.cqkd.dht.failover";

    private static final Logger LOG = LoggerFactory.getLogger(FailoverComponent.class);

    private final FailoverHub hub;

    /** Activates with the configuration (or none). */
    @Activate
    public FailoverComponent(Map<String, Object> properties) {
        FailoverSettings settings = FailoverSettings.from(properties);
        hub = new FailoverHub(settings, Clock.systemUTC());
        logSettings("failover.activated", settings);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        FailoverSettings settings = FailoverSettings.from(properties);
        hub.update(settings);
        logSettings("failover.reconfigured", settings);
    }

    private static void logSettings(String event, FailoverSettings s) {
        LOG.info("{} target=\"{}\" {} backups={} events_max={}", event, s.policyTarget(),
                FailoverSettings.describe(s.detector()), s.backups().overrides().size(), s.eventLimit());
        for (String w : s.warnings()) {
            LOG.warn("failover.config.invalid detail=\"{}\"", w);
        }
    }

    @Reference(name = "policy", service = FailoverPolicy.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = FailoverSettings.DEFAULT_TARGET, unbind = "unbindPolicy", updated = "updatedPolicy")
    void bindPolicy(FailoverPolicy policy, ServiceReference<FailoverPolicy> ref) {
        hub.policyBound(policy, name(ref), bundle(ref));
        LOG.info("failover.policy.bound policy={} bundle=\"{}\"", name(ref), bundle(ref));
    }

    void updatedPolicy(FailoverPolicy policy, ServiceReference<FailoverPolicy> ref) {
        hub.policyBound(policy, name(ref), bundle(ref));
    }

    void unbindPolicy(FailoverPolicy policy, ServiceReference<FailoverPolicy> ref) {
        hub.policyUnbound(policy);
        String active = hub.activePolicy();
        LOG.info("failover.policy.unbound policy={} active={}", name(ref), active.isEmpty() ? "none" : active);
    }

    /** Every policy service, selected or not: only references, the services are never got. */
    @Reference(name = "policies", service = FailoverPolicy.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "unregisteredPolicy", updated = "registeredPolicy")
    void registeredPolicy(ServiceReference<FailoverPolicy> ref) {
        hub.policyRegistered((Long) ref.getProperty(Constants.SERVICE_ID), name(ref));
    }

    void unregisteredPolicy(ServiceReference<FailoverPolicy> ref) {
        hub.policyUnregistered((Long) ref.getProperty(Constants.SERVICE_ID));
    }

    private static String name(ServiceReference<?> ref) {
        Object n = ref.getProperty(FailoverPolicy.PROP_POLICY);
        return n == null ? "(unnamed)" : n.toString();
    }

    private static String bundle(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        return b == null ? "(unregistered)" : b.getSymbolicName() + " " + b.getVersion();
    }

    @Override
    public DetectorSettings detectorSettings() {
        return hub.detectorSettings();
    }

    @Override
    public void stateChanged(WatchedNode change) {
        hub.stateChanged(change);
    }

    @Override
    public void forget(String observer, String node) {
        hub.forget(observer, node);
    }

    @Override
    public FailoverVerdict decide(FailureSituation situation) {
        return hub.decide(situation);
    }

    @Override
    public FailoverVerdict recovered(String observer, BootstrapNode node, WatchRelation relation) {
        return hub.recovered(observer, node, relation);
    }

    @Override
    public FailoverEvent applied(FailoverVerdict verdict, int sessionsMoved) {
        return hub.applied(verdict, sessionsMoved);
    }

    @Override
    public List<FailoverEvent> events() {
        return hub.events();
    }

    @Override
    public long eventCount() {
        return hub.eventCount();
    }

    @Override
    public FailoverStatus status() {
        return hub.status();
    }

    @Override
    public String activePolicy() {
        return hub.activePolicy();
    }

    @Override
    public PolicyInfo policy() {
        return hub.policy();
    }
}
