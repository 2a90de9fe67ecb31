package io.cqkd.dht.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.slf4j.LoggerFactory;

/**
 * The container boots the real bundle set: every bundle ACTIVE (fragments RESOLVED and attached),
 * our DS components satisfied, logging bound to slf4j-simple, Netty's native epoll loaded.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleSetIT extends CqkdTestSupport {

    @Test
    public void everyBundleIsActiveAndEveryFragmentResolved() {
        awaitCondition("all bundles ACTIVE or fragments RESOLVED", () -> notStarted().isEmpty());
        assertEquals("bundles not ACTIVE/RESOLVED: " + notStarted(), Map.of(), notStarted());
    }

    @Test
    public void ourBundlesAreAllInstalledAndActive() {
        for (String bsn : CQKD_BUNDLES) {
            Bundle b = findBundle(bsn);
            assertNotNull("bundle " + bsn + " is not installed", b);
            assertEquals(bsn + " state", Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void runtimeBundlesOfTheDistributionArePresent() {
        for (String bsn : List.of("org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.metatype",
                "org.apache.felix.log", "org.apache.felix.gogo.runtime", "org.apache.felix.gogo.command",
                "org.osgi.service.component", "org.osgi.util.promise", "org.osgi.util.function",
                "io.netty.common", "io.netty.buffer", "io.netty.transport", "io.netty.handler", "io.netty.codec",
                "io.netty.resolver", "io.netty.transport-classes-epoll", "io.netty.transport-native-unix-common",
                "com.fasterxml.jackson.core.jackson-databind", "com.fasterxml.jackson.dataformat.jackson-dataformat-cbor",
                "com.fasterxml.jackson.dataformat.jackson-dataformat-yaml", "slf4j.api", "slf4j.simple",
                "org.apache.aries.spifly.dynamic.bundle")) {
            Bundle b = findBundle(bsn);
            assertNotNull("runtime bundle " + bsn + " is missing", b);
            assertEquals(bsn + " state", Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void nettyNativeEpollFragmentIsAttachedAndLoads() {
        assumeTrue("the native fragment is linux-x86_64 only",
                System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                        && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")));
        Bundle fragment = findBundle("io.netty.transport-native-epoll.linux-x86_64");
        assertNotNull("epoll native fragment not installed", fragment);
        assertEquals(Bundle.RESOLVED, fragment.getState());
        Bundle host = findBundle("io.netty.transport-classes-epoll");
        assertNotNull(host);
        BundleWiring hostWiring = host.adapt(BundleWiring.class);
        boolean attached = hostWiring.getProvidedWires(BundleRevision.HOST_NAMESPACE).stream()
                .anyMatch(w -> w.getRequirer().getBundle().equals(fragment));
        assertTrue("epoll fragment is not attached to its host", attached);
        Throwable cause = io.netty.channel.epoll.Epoll.unavailabilityCause();
        assertTrue("epoll unavailable: " + cause, io.netty.channel.epoll.Epoll.isAvailable());
    }

    @Test
    public void slf4jIsBoundToSimpleLoggerNotNop() {
        String factory = LoggerFactory.getILoggerFactory().getClass().getName();
        assertFalse("SLF4J fell back to NOP (start-order problem): " + factory, factory.contains("NOP"));
        assertTrue("unexpected SLF4J provider " + factory, factory.contains("Simple"));
    }

    @Test
    public void componentsOfOurBundlesAreSatisfied() {
        ServiceComponentRuntime scr = waitForService(ServiceComponentRuntime.class);
        // SCR activates asynchronously: wait until no component of ours is unsatisfied.
        awaitCondition("our DS components satisfied", () -> componentProblems(scr).isEmpty());
        assertEquals(List.of(), componentProblems(scr));

        // Every bundle of ours that declares components has them registered and enabled.
        for (String bsn : CQKD_BUNDLES) {
            Bundle b = findBundle(bsn);
            String header = b.getHeaders().get("Service-Component");
            if (header == null || header.isBlank()) {
                continue;
            }
            Collection<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs(b);
            assertFalse(bsn + " declares Service-Component but SCR knows none of its components",
                    descriptions.isEmpty());
            for (ComponentDescriptionDTO d : descriptions) {
                assertTrue(d.name + " is disabled", scr.isComponentEnabled(d));
            }
        }
    }

    /** Bundles that are neither ACTIVE nor (for fragments) RESOLVED, with their state. */
    private Map<String, String> notStarted() {
        Map<String, String> bad = new TreeMap<>();
        for (Bundle b : bundleContext().getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                bad.put(b.getSymbolicName(), stateName(b.getState()));
            }
        }
        return bad;
    }

    /** One line per configuration of our components that is not satisfied or active. */
    private List<String> componentProblems(ServiceComponentRuntime scr) {
        List<String> problems = new ArrayList<>();
        for (String bsn : CQKD_BUNDLES) {
            Bundle b = findBundle(bsn);
            if (b == null) {
                problems.add(bsn + ": not installed");
                continue;
            }
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state == ComponentConfigurationDTO.SATISFIED || c.state == ComponentConfigurationDTO.ACTIVE) {
                        continue;
                    }
                    StringBuilder s = new StringBuilder(d.name).append(" #").append(c.id).append(": ")
                            .append(componentStateName(c.state));
                    for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                        s.append(" [unsatisfied reference ").append(r.name).append(' ').append(r.target).append(']');
                    }
                    if (c.failure != null) {
                        s.append(" failure: ").append(c.failure.lines().findFirst().orElse(""));
                    }
                    problems.add(s.toString());
                }
            }
        }
        return problems;
    }

    private static String componentStateName(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "state " + state;
        };
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }
}
