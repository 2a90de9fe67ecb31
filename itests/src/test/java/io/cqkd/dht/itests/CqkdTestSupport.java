package io.cqkd.dht.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.NodeStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.junit.After;
import org.junit.Before;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Base class of every Pax Exam integration test: builds the container (the real runtime bundle
 * set of the distribution plus our bundles) and offers the helpers the tests share.
 *
 * <h2>Writing an IT</h2>
 * <pre>{@code
 * @RunWith(PaxExam.class)
 * @ExamReactorStrategy(PerClass.class)
 * public class MyFeatureIT extends CqkdTestSupport {
 *     @Test
 *     public void works() throws Exception {
 *         createNode("seed", Map.of("role", "super"));
 *         DhtNode seed = awaitReady("seed");
 *         CommandResult r = executeCommand("dht:status seed");
 *         r.assertOk();
 *     }
 * }
 * }</pre>
 * <ul>
 *   <li>The {@code @Configuration} method is inherited: {@link #config()} returns
 *       {@link #baseOptions()} plus {@link #extraOptions()}, which a subclass may override to add
 *       options (system properties, extra bundles, {@code .noStart()} ...).</li>
 *   <li>Everything runs inside the container: the test class lives in Pax Exam's probe bundle,
 *       which dynamically imports every package, so tests may use our API, Jackson, Netty.</li>
 *   <li>Nodes use ephemeral ports ({@code port=0}) unless a test passes a port itself; use
 *       {@link #freeUdpPort()} when a test needs an explicit one. Never hard-code ports.</li>
 *   <li>Never {@code Thread.sleep}: use {@link #awaitCondition} / {@link #awaitValue}, which poll
 *       against a deadline and fail with the last observed state.</li>
 *   <li>Nodes created through {@link #createNode} are deleted after each test method.</li>
 * </ul>
 */
public abstract class CqkdTestSupport {

    /** Factory PID of a DHT node configuration. */
    public static final String NODE_FACTORY_PID = "io.cqkd.dht.node";

    /** Configuration PID of the shell's loopback control channel (behind bin/cqkd-client). */
    public static final String CONTROL_PID = "io.cqkd.dht.control";

    /** Default deadline for anything asynchronous (generous: CI boxes are small and shared). */
    public static final Duration TIMEOUT = Duration.ofSeconds(
            Long.getLong("cqkd.itest.timeoutSeconds", 30));

    /** How often {@link #awaitCondition} polls. */
    protected static final long POLL_MILLIS = 50;

    /** Our bundles, by symbolic name, in install order. */
    public static final List<String> CQKD_BUNDLES = List.of(
            "io.cqkd.dht.api", "io.cqkd.dht.core", "io.cqkd.dht.shell", "io.cqkd.dht.ports",
            "io.cqkd.dht.ports.sequential", "io.cqkd.dht.ports.slot", "io.cqkd.dht.ports.random",
            "io.cqkd.dht.tier", "io.cqkd.dht.select.direct", "io.cqkd.dht.select.twolevel",
            "io.cqkd.dht.select.threelevel", "io.cqkd.dht.select.adaptive",
            "io.cqkd.dht.failover", "io.cqkd.dht.failover.retrynext", "io.cqkd.dht.failover.promotebackup");

    /** Start level of SPI Fly and ASM: they must weave slf4j-api before anything logs. */
    private static final int START_LEVEL_SPIFLY = 1;
    /** Start level of slf4j-api and slf4j-simple (Pax Exam's own bundles start at 2 and log). */
    private static final int START_LEVEL_SLF4J = 1;
    /** Start level of everything else we provision (Pax Exam's test probe starts at 5). */
    private static final int START_LEVEL_RUNTIME = 3;

    /** Names of the configurations this test created, deleted in {@link #deleteCreatedNodes()}. */
    private final List<String> createdNodes = new ArrayList<>();

    /** Service trackers opened by {@link #waitForService}, by type and filter; closed after each test. */
    private final Map<String, ServiceTracker<?, ?>> trackers = new HashMap<>();

    // ------------------------------------------------------------------------------------------
    // Container options
    // ------------------------------------------------------------------------------------------

    /** Pax Exam's configuration method; override {@link #extraOptions()} rather than this. */
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return options(composite(baseOptions()), composite(extraOptions()));
    }

    /** Options a subclass adds to {@link #baseOptions()}. None by default. */
    protected Option[] extraOptions() {
        return new Option[0];
    }

    /**
     * The real bundle set: what the distribution ships (minus FileInstall and the JLine console,
     * which the tests do not need) plus our bundles, all from {@code target/bundles}
     * (copied there by maven-dependency-plugin at pre-integration-test).
     */
    protected Option[] baseOptions() {
        List<Option> o = new ArrayList<>();
        o.add(cleanCaches(true));
        o.add(workingDirectory("target/paxexam/" + getClass().getSimpleName()));
        o.add(junitBundles());

        // Logging: SLF4J 2 + slf4j-simple via SPI Fly, as in the distribution. Pax Exam's own
        // pax-logging is switched off with pax.exam.logging=none (failsafe system property).
        o.add(systemProperty("org.slf4j.simpleLogger.defaultLogLevel")
                .value(System.getProperty("cqkd.itest.logLevel", "info")));
        o.add(systemProperty("org.slf4j.simpleLogger.showDateTime").value("true"));
        o.add(systemProperty("org.slf4j.simpleLogger.dateTimeFormat").value("HH:mm:ss.SSS"));
        o.add(systemProperty("org.slf4j.simpleLogger.log.io.netty").value("warn"));
        o.add(systemProperty("org.slf4j.simpleLogger.log.org.ops4j").value("warn"));

        for (String a : List.of("org.apache.aries.spifly.dynamic.bundle", "asm", "asm-commons", "asm-util",
                "asm-tree", "asm-analysis")) {
            o.add(localBundle(a, START_LEVEL_SPIFLY));
        }
        o.add(localBundle("slf4j-api", START_LEVEL_SLF4J));
        o.add(localBundle("slf4j-simple", START_LEVEL_SLF4J));

        for (String a : List.of(
                "org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component",
                "org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.log",
                "org.apache.felix.metatype", "org.apache.felix.gogo.runtime", "org.apache.felix.gogo.command",
                "netty-common", "netty-buffer", "netty-resolver", "netty-transport", "netty-codec",
                "netty-handler", "netty-transport-native-unix-common", "netty-transport-classes-epoll",
                "jackson-annotations", "jackson-core", "jackson-databind", "jackson-dataformat-cbor",
                "snakeyaml", "jackson-dataformat-yaml",
                "cqkd-api", "cqkd-ports", "cqkd-ports-sequential", "cqkd-ports-slot", "cqkd-ports-random",
                "cqkd-tier", "cqkd-select-direct", "cqkd-select-two-level", "cqkd-select-three-level", "cqkd-select-adaptive",
                "cqkd-failover", "cqkd-failover-retry-next", "cqkd-failover-promote-backup",
                "cqkd-core")) {
            o.add(localBundle(a, START_LEVEL_RUNTIME));
        }
        // The shell's control channel listens on a fixed TCP port (5600) by default: the bundle is
        // started by startShellOnEphemeralControlPort() once its configuration says port 0.
        o.add(bundle(bundleUrl("cqkd-shell")).startLevel(START_LEVEL_RUNTIME).noStart());
        // A fragment (Bundle-NativeCode for epoll): installed, never started.
        o.add(bundle(bundleUrl("netty-transport-native-epoll")).noStart());
        return o.toArray(new Option[0]);
    }

    /**
     * A bundle from {@code target/bundles/<artifactId>.jar}, started at {@code startLevel}. Use it
     * in {@link #extraOptions()} for any bundle this module declares as a test dependency and lists
     * in the pom's {@code itest.bundles} property.
     */
    protected static Option localBundle(String artifactId, int startLevel) {
        return bundle(bundleUrl(artifactId)).startLevel(startLevel).start();
    }

    /** {@code file:} URL of {@code target/bundles/<artifactId>.jar}; fails early when it is missing. */
    protected static String bundleUrl(String artifactId) {
        File dir = new File(System.getProperty("cqkd.itest.bundles", "target/bundles"));
        File jar = new File(dir, artifactId + ".jar");
        if (!jar.isFile()) {
            throw new IllegalStateException("missing " + jar.getAbsolutePath()
                    + ": run the tests through Maven (mvn verify), which copies the bundles at pre-integration-test");
        }
        return jar.toURI().toString();
    }

    /**
     * Starts the shell bundle after configuring its loopback control channel
     * ({@value #CONTROL_PID}) on an ephemeral port, so tests never take the operators' fixed port
     * and parallel runs on one host never collide. Runs before each test (a no-op once started).
     */
    @Before
    public void startShellOnEphemeralControlPort() throws Exception {
        Bundle shell = findBundle("io.cqkd.dht.shell");
        if (shell == null || shell.getState() == Bundle.ACTIVE) {
            return;
        }
        Configuration c = configAdmin().getConfiguration(CONTROL_PID, "?");
        if (c.getProperties() == null) {
            Dictionary<String, Object> d = new Hashtable<>();
            d.put("port", 0);
            d.put("useEnvironment", false);
            c.update(d);
        }
        shell.start();
    }

    // ------------------------------------------------------------------------------------------
    // Framework access
    // ------------------------------------------------------------------------------------------

    /** The test probe's bundle context. */
    protected BundleContext bundleContext() {
        Bundle b = FrameworkUtil.getBundle(getClass());
        if (b == null) {
            throw new IllegalStateException("not running inside the OSGi container");
        }
        return b.getBundleContext();
    }

    /** The installed bundle with this symbolic name, or null. */
    protected Bundle findBundle(String symbolicName) {
        for (Bundle b : bundleContext().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /** Waits up to {@link #TIMEOUT} for a service of this type. */
    protected <T> T waitForService(Class<T> type) {
        return waitForService(type, null, TIMEOUT);
    }

    /**
     * Waits for a service of {@code type} matching the LDAP {@code filter} (may be null) and
     * returns it; fails the test with the filter in the message after {@code timeout}. The
     * service stays in use until the end of the test method (a tracker per type and filter is
     * kept open), so service factories such as ConfigurationAdmin stay valid.
     */
    protected <T> T waitForService(Class<T> type, String filter, Duration timeout) {
        String key = type.getName() + (filter == null ? "" : filter);
        @SuppressWarnings("unchecked")
        ServiceTracker<T, T> tracker = (ServiceTracker<T, T>) trackers.computeIfAbsent(key, k -> {
            ServiceTracker<T, T> t = new ServiceTracker<>(bundleContext(), serviceFilter(type, filter), null);
            t.open();
            return t;
        });
        try {
            T service = tracker.waitForService(timeout.toMillis());
            if (service == null) {
                fail("no " + type.getName() + " service" + (filter == null ? "" : " matching " + filter)
                        + " within " + timeout.toSeconds() + " s");
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getName(), e);
        }
    }

    /** Closes the trackers opened by {@link #waitForService}; runs after {@link #deleteCreatedNodes()}. */
    private void closeTrackers() {
        trackers.values().forEach(ServiceTracker::close);
        trackers.clear();
    }

    /** Service references of {@code type} matching {@code filter} (may be null), right now. */
    protected <T> List<ServiceReference<T>> serviceReferences(Class<T> type, String filter) {
        try {
            return new ArrayList<>(bundleContext().getServiceReferences(type, filter));
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + filter, e);
        }
    }

    /** Waits until no service of {@code type} matches {@code filter}. */
    protected void waitForServiceGone(Class<?> type, String filter, Duration timeout) {
        awaitCondition("no " + type.getSimpleName() + " matching " + filter, timeout,
                () -> serviceReferences(type, filter).isEmpty());
    }

    private Filter serviceFilter(Class<?> type, String filter) {
        String objectClass = "(" + Constants.OBJECTCLASS + "=" + type.getName() + ")";
        try {
            return bundleContext().createFilter(filter == null ? objectClass : "(&" + objectClass + filter + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + filter, e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Waiting
    // ------------------------------------------------------------------------------------------

    /**
     * Polls {@code condition} every {@link #POLL_MILLIS} ms until it returns true; fails after
     * {@code timeout} with {@code description} and the last exception the condition threw.
     */
    protected static void awaitCondition(String description, Duration timeout, Callable<Boolean> condition) {
        awaitValue(description, timeout, () -> Boolean.TRUE.equals(condition.call()) ? Boolean.TRUE : null);
    }

    /** {@link #awaitCondition(String, Duration, Callable)} with {@link #TIMEOUT}. */
    protected static void awaitCondition(String description, Callable<Boolean> condition) {
        awaitCondition(description, TIMEOUT, condition);
    }

    /**
     * Polls {@code probe} until it returns a non-null value and returns that value; fails after
     * {@code timeout} with {@code description} and the last exception the probe threw.
     */
    protected static <T> T awaitValue(String description, Duration timeout, Callable<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                T value = probe.call();
                if (value != null) {
                    return value;
                }
            } catch (AssertionError | Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError error = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: "
                        + description + (last == null ? "" : " (last failure: " + last + ")"));
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + description, e);
            }
        }
    }

    /** Waits for an asynchronous DHT operation, unwrapping its failure. */
    protected static <T> T await(CompletionStage<T> stage) throws Exception {
        return await(stage, TIMEOUT);
    }

    /**
     * Waits for {@code stage} up to {@code timeout}. A failed stage rethrows its cause (a
     * {@link io.cqkd.dht.api.DhtException} for DHT operations); a late one fails the test.
     */
    protected static <T> T await(CompletionStage<T> stage, Duration timeout) throws Exception {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("operation did not complete within " + timeout.toSeconds() + " s", e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Nodes
    // ------------------------------------------------------------------------------------------

    /**
     * Creates (or updates) the node configuration {@code name}: factory configuration
     * {@value #NODE_FACTORY_PID}~{@code name}. Defaults: {@code name=<name>}, {@code port=0}
     * (ephemeral), and {@code bootstrap} is left to the caller. Returns the configuration; use
     * {@link #awaitNode(String)} / {@link #awaitReady(String)} for the service.
     */
    protected Configuration createNode(String name, Map<String, ?> props) throws IOException {
        Dictionary<String, Object> d = new Hashtable<>();
        d.put("name", name);
        d.put("port", 0);
        props.forEach(d::put);
        Configuration c = configAdmin().getFactoryConfiguration(NODE_FACTORY_PID, name, "?");
        c.update(d);
        if (!createdNodes.contains(name)) {
            createdNodes.add(name);
        }
        return c;
    }

    /** Changes some properties of the existing node configuration {@code name}, keeping the others. */
    protected Configuration updateNode(String name, Map<String, ?> changes) throws IOException {
        Configuration c = configAdmin().getFactoryConfiguration(NODE_FACTORY_PID, name, "?");
        Dictionary<String, Object> d = c.getProperties();
        assertNotNull("no configuration for node " + name, d);
        changes.forEach(d::put);
        c.update(d);
        return c;
    }

    /** Deletes the configuration of node {@code name} and waits until its service is gone. */
    protected void deleteNode(String name) throws IOException {
        deleteNodeConfiguration(name);
        waitForServiceGone(DhtNode.class, nodeFilter(name), TIMEOUT);
    }

    private void deleteNodeConfiguration(String name) throws IOException {
        Configuration c = findNodeConfiguration(name);
        if (c != null) {
            c.delete();
        }
        createdNodes.remove(name);
    }

    /** The configuration of node {@code name}, or null when there is none. */
    protected Configuration findNodeConfiguration(String name) throws IOException {
        try {
            Configuration[] all = configAdmin().listConfigurations(
                    "(" + Constants.SERVICE_PID + "=" + NODE_FACTORY_PID + "~" + name + ")");
            return all == null || all.length == 0 ? null : all[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad node name " + name, e);
        }
    }

    /** Deletes every node configuration a test created, so each test method starts clean. */
    @After
    public void deleteCreatedNodes() throws IOException {
        try {
            List<String> names = new ArrayList<>(createdNodes);
            for (String name : names) {
                deleteNodeConfiguration(name);
            }
            for (String name : names) {
                waitForServiceGone(DhtNode.class, nodeFilter(name), TIMEOUT);
            }
        } finally {
            closeTrackers();
        }
    }

    /** LDAP filter selecting the node service named {@code name}. */
    protected static String nodeFilter(String name) {
        return "(" + DhtNode.PROP_NAME + "=" + name + ")";
    }

    /** Waits for the service of node {@code name} (in any state). */
    protected DhtNode awaitNode(String name) {
        return waitForService(DhtNode.class, nodeFilter(name), TIMEOUT);
    }

    /** The node service named {@code name} right now, or null. */
    protected DhtNode node(String name) {
        List<ServiceReference<DhtNode>> refs = serviceReferences(DhtNode.class, nodeFilter(name));
        return refs.isEmpty() ? null : bundleContext().getService(refs.get(0));
    }

    /** The service reference of node {@code name} right now, or null. */
    protected ServiceReference<DhtNode> nodeReference(String name) {
        List<ServiceReference<DhtNode>> refs = serviceReferences(DhtNode.class, nodeFilter(name));
        return refs.isEmpty() ? null : refs.get(0);
    }

    /** Waits until node {@code name} is registered and {@link NodeState#READY}; returns it. */
    protected DhtNode awaitReady(String name) {
        awaitNode(name);
        return awaitValue("node " + name + " READY", TIMEOUT, () -> {
            DhtNode n = node(name);
            if (n == null) {
                return null;
            }
            NodeStatus s = n.status();
            if (s.state() == NodeState.FAILED) {
                throw new AssertionError("node " + name + " FAILED: " + s.detail());
            }
            return s.state() == NodeState.READY ? n : null;
        });
    }

    /** {@code 127.0.0.1:<port>} of a running node, for another node's {@code bootstrap}. */
    protected static String endpointOf(DhtNode node) {
        int port = node.status().port();
        if (port <= 0) {
            throw new IllegalStateException("node " + node.name() + " has no bound port yet");
        }
        return "127.0.0.1:" + port;
    }

    /**
     * Creates a small network: {@code seed} (role {@code super}) plus {@code workers} worker nodes
     * named {@code <prefix>1..n} bootstrapping from it, all on ephemeral ports; waits until every
     * node is READY and returns them by name, seed first.
     */
    protected Map<String, DhtNode> createNetwork(String seed, String prefix, int workers) throws IOException {
        createNode(seed, Map.of("role", "super"));
        DhtNode seedNode = awaitReady(seed);
        String bootstrap = endpointOf(seedNode);
        for (int i = 1; i <= workers; i++) {
            createNode(prefix + i, Map.of("role", "worker", "bootstrap", bootstrap));
        }
        Map<String, DhtNode> nodes = new LinkedHashMap<>();
        nodes.put(seed, seedNode);
        for (int i = 1; i <= workers; i++) {
            nodes.put(prefix + i, awaitReady(prefix + i));
        }
        return nodes;
    }

    /** The ConfigurationAdmin service. */
    protected ConfigurationAdmin configAdmin() {
        return waitForService(ConfigurationAdmin.class);
    }

    // ------------------------------------------------------------------------------------------
    // Ports
    // ------------------------------------------------------------------------------------------

    /**
     * A UDP port that was free a moment ago (bound on port 0 and released). Only for tests that
     * must give an explicit port; everything else uses {@code port=0}.
     */
    protected static int freeUdpPort() throws SocketException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A TCP port that was free a moment ago. */
    protected static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** True when a UDP socket can be bound on {@code port} on all interfaces right now. */
    protected static boolean udpPortIsFree(int port) {
        try (DatagramSocket s = new DatagramSocket(null)) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (SocketException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Gogo
    // ------------------------------------------------------------------------------------------

    /** Waits until a Gogo command {@code scope:function} is registered. */
    protected void waitForCommand(String scope, String function) {
        String filter = "(&(" + CommandProcessor.COMMAND_SCOPE + "=" + scope + ")("
                + CommandProcessor.COMMAND_FUNCTION + "=" + function + "))";
        awaitCondition("Gogo command " + scope + ":" + function, TIMEOUT, () -> {
            ServiceReference<?>[] refs = bundleContext().getAllServiceReferences(null, filter);
            return refs != null && refs.length > 0;
        });
    }

    /**
     * Runs one Gogo command line in a fresh session, the way a console would: what the command
     * prints and its formatted return value go to {@link CommandResult#output()}; a thrown
     * exception goes to {@link CommandResult#failure()}. Never throws for a failing command.
     */
    protected CommandResult executeCommand(String line) {
        CommandProcessor processor = waitForService(CommandProcessor.class);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Object value = null;
        Throwable failure = null;
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            value = session.execute(line);
            if (value != null) {
                out.println(session.format(value, Converter.INSPECT));
            }
        } catch (Exception e) {
            failure = e;
        } finally {
            session.close();
            out.flush();
        }
        return new CommandResult(line, bytes.toString(StandardCharsets.UTF_8), value, failure);
    }

    /**
     * Outcome of {@link #executeCommand(String)}.
     *
     * @param line    the command line
     * @param output  everything printed (stdout and stderr) plus the formatted return value
     * @param value   the command's return value (null when none or failed)
     * @param failure what the command threw, null when it succeeded
     */
    public record CommandResult(String line, String output, Object value, Throwable failure) {
        /** True when the command threw. */
        public boolean failed() {
            return failure != null;
        }

        /** The failure's message ("" when it succeeded). */
        public String message() {
            return failure == null ? "" : Objects.toString(failure.getMessage(), failure.toString());
        }

        /** Fails the test, with the output and failure, unless the command succeeded. */
        public CommandResult assertOk() {
            if (failure != null) {
                AssertionError e = new AssertionError("command '" + line + "' failed: " + failure
                        + "\n--- output ---\n" + output);
                e.initCause(failure);
                throw e;
            }
            return this;
        }

        /** Fails the test unless the command failed. */
        public CommandResult assertFailed() {
            assertEquals("command '" + line + "' should fail; output:\n" + output, true, failed());
            return this;
        }
    }
}
