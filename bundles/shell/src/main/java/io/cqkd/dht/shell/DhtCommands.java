package io.cqkd.dht.shell;

import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.NodeStatus;
import io.cqkd.dht.shell.Views.LookupView;
import io.cqkd.dht.shell.Views.NodeView;
import io.cqkd.dht.shell.Views.PingView;
import io.cqkd.dht.shell.Views.RoutesView;
import io.cqkd.dht.shell.Views.StatusView;
import io.cqkd.dht.shell.Views.StoreView;
import io.cqkd.dht.shell.Views.ValueView;
import io.cqkd.dht.shell.support.CommandFailure;
import io.cqkd.dht.shell.support.TextTable;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code dht:*} Gogo commands over the {@link DhtNode} services of this container.
 *
 * <p>A thin layer: nodes come from a {@link NodeDirectory} (MULTIPLE + DYNAMIC, so nodes can
 * come and go while the shell runs), arguments are checked by {@link Args}, every wait is
 * bounded by {@link #OPERATION_TIMEOUT}, and output comes from {@link Render}. A command that
 * cannot do its job throws a {@link CommandFailure} whose message is the one line the operator
 * sees; the control channel turns it into a non-zero exit status.
 */
@Component(service = DhtCommands.class)
@GogoCommand(scope = "dht", function = {"dht", "nodes", "status", "routes", "put", "get", "delete", "lookup", "ping",
        "health"})
public final class DhtCommands {
    /** Longest a command waits for a node's answer. */
    public static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(15);
    /** Deadline of {@code dht:health}: every node must have answered within it (bin/cqkd-health has 1 s). */
    public static final Duration HEALTH_TIMEOUT = Duration.ofMillis(700);
    /** Problems named in the one-line failure of {@code dht:health} (all are printed above it). */
    static final int HEALTH_PROBLEMS_IN_MESSAGE = 3;

    /** One synopsis line per command, in the order {@code dht} lists them. */
    static final List<String[]> SYNOPSIS = List.of(
            new String[] {"nodes", "dht:nodes [--json]"},
            new String[] {"status", "dht:status [--json] [NODE]"},
            new String[] {"routes", "dht:routes [--json] NODE"},
            new String[] {"put", "dht:put [--node NODE] KEY JSON"},
            new String[] {"get", "dht:get [--node NODE] [--json] KEY"},
            new String[] {"delete", "dht:delete [--node NODE] KEY"},
            new String[] {"lookup", "dht:lookup [--node NODE] [--json] KEY"},
            new String[] {"ping", "dht:ping [--node NODE] [--json] HOST:PORT"},
            new String[] {"health", "dht:health"});

    private static final String JSON_DESC = "print JSON instead of a table";
    private static final String NODE_DESC = "node name or id prefix (default: the first READY node)";

    private final NodeDirectory directory;
    private final Duration timeout;

    /** For SCR. */
    public DhtCommands() {
        this(new NodeDirectory(), OPERATION_TIMEOUT);
    }

    /** For tests: a given directory and timeout. */
    DhtCommands(NodeDirectory directory, Duration timeout) {
        this.directory = directory;
        this.timeout = timeout;
    }

    @Reference(name = "node", service = DhtNode.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "unbindNode")
    void bindNode(DhtNode node) {
        directory.add(node);
    }

    void unbindNode(DhtNode node) {
        directory.remove(node);
    }

    /** The nodes (package-private, for tests). */
    NodeDirectory directory() {
        return directory;
    }

    // ---- dht (the summary; "help dht" shows this descriptor)

    @Descriptor("the DHT commands: dht:nodes, dht:status, dht:routes, dht:put, dht:get, dht:delete, dht:lookup,"
            + " dht:ping, dht:health. Run 'dht' for a summary, 'help dht:<command>' for details")
    public String dht() {
        TextTable t = new TextTable("COMMAND", "DESCRIPTION");
        for (String[] s : SYNOPSIS) {
            t.row(s[1], descriptor(s[0]));
        }
        return text(t.render());
    }

    private static String descriptor(String function) {
        for (Method m : DhtCommands.class.getMethods()) {
            Descriptor d = m.getAnnotation(Descriptor.class);
            if (m.getName().equals(function) && d != null) {
                return d.value();
            }
        }
        return "";
    }

    // ---- dht:nodes

    @Descriptor("list the DHT nodes of this container: name, id, role, region, port, state, routing-table size")
    public String nodes(
            @Descriptor(JSON_DESC) @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false")
            boolean json) {
        List<NodeView> views = new ArrayList<>();
        for (DhtNode n : directory.all()) {
            statusOf(n).ifPresent(s -> views.add(NodeView.of(s)));
        }
        return text(json ? Render.json(views) : Render.nodes(views));
    }

    // ---- dht:status

    @Descriptor("show state, address and counters of one node, or of every node of this container")
    public String status(
            @Descriptor(JSON_DESC) @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false")
            boolean json) {
        List<StatusView> views = new ArrayList<>();
        for (DhtNode n : directory.all()) {
            statusOf(n).ifPresent(s -> views.add(StatusView.of(s)));
        }
        return text(json ? Render.json(views) : Render.statuses(views));
    }

    @Descriptor("show state, address and counters of one node, or of every node of this container")
    public String status(
            @Descriptor(JSON_DESC) @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false")
            boolean json,
            @Descriptor("node name or id prefix") String node) {
        DhtNode n = directory.find(node);
        StatusView view = StatusView.of(statusOf(n).orElseThrow(() -> gone(node)));
        return text(json ? Render.json(view) : Render.status(view));
    }

    // ---- dht:routes

    @Descriptor("show the routing table of a node: buckets and their contacts")
    public String routes(
            @Descriptor(JSON_DESC) @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false")
            boolean json,
            @Descriptor("node name or id prefix") String node) {
        DhtNode n = directory.find(node);
        RoutesView view;
        try {
            view = RoutesView.of(n.name(), n.routes());
        } catch (RuntimeException e) {
            throw Await.failure("routes of " + node, e);
        }
        return text(json ? Render.json(view) : Render.routes(view));
    }

    // ---- dht:put / get / delete

    @Descriptor("store a JSON value under a key on the k closest nodes (quote the JSON: '{\"a\":1}')")
    public String put(
            @Descriptor(NODE_DESC) @Parameter(names = {"-n", "--node"}, absentValue = "") String node,
            @Descriptor("the key") String key,
            @Descriptor("the value, a JSON document") String json) {
        Args.key(key);
        Args.json(json);
        DhtNode n = directory.pick(node);
        String what = "put '" + key + "' via " + n.name();
        return text(Render.store(StoreView.of(n.name(), "put", Await.result(n.put(key, json), timeout, what))));
    }

    @Descriptor("read the newest value under a key; fails when there is none")
    public String get(
            @Descriptor(NODE_DESC) @Parameter(names = {"-n", "--node"}, absentValue = "") String node,
            @Descriptor("print the value with its metadata as JSON")
            @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the key") String key) {
        Args.key(key);
        DhtNode n = directory.pick(node);
        String what = "get '" + key + "' via " + n.name();
        Optional<DhtValue> value = Await.result(n.get(key), timeout, what);
        if (value.isEmpty()) {
            throw new CommandFailure(what + ": no value");
        }
        ValueView view = ValueView.of(n.name(), value.get());
        return text(json ? Render.json(view) : Render.value(view));
    }

    @Descriptor("delete a key: store a tombstone on the k closest nodes")
    public String delete(
            @Descriptor(NODE_DESC) @Parameter(names = {"-n", "--node"}, absentValue = "") String node,
            @Descriptor("the key") String key) {
        Args.key(key);
        DhtNode n = directory.pick(node);
        String what = "delete '" + key + "' via " + n.name();
        return text(Render.store(StoreView.of(n.name(), "delete", Await.result(n.delete(key), timeout, what))));
    }

    // ---- dht:lookup / ping

    @Descriptor("iterative lookup of the nodes closest to SHA-1(key): closest nodes, hops, milliseconds")
    public String lookup(
            @Descriptor(NODE_DESC) @Parameter(names = {"-n", "--node"}, absentValue = "") String node,
            @Descriptor(JSON_DESC) @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false")
            boolean json,
            @Descriptor("the key") String key) {
        Args.key(key);
        DhtNode n = directory.pick(node);
        String what = "lookup '" + key + "' via " + n.name();
        LookupView view = LookupView.of(n.name(), key, Await.result(n.lookup(key), timeout, what));
        return text(json ? Render.json(view) : Render.lookup(view));
    }

    @Descriptor("send a DHT PING to host:port through a node of this container and show the round trip")
    public String ping(
            @Descriptor(NODE_DESC) @Parameter(names = {"-n", "--node"}, absentValue = "") String node,
            @Descriptor(JSON_DESC) @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false")
            boolean json,
            @Descriptor("the target, host:port (IPv6 as [addr]:port)") String target) {
        InetSocketAddress address = Args.endpoint(target);
        DhtNode n = directory.pick(node);
        String what = "ping " + target + " via " + n.name();
        PingView view = PingView.of(n.name(), target, Await.result(n.ping(address), timeout, what));
        return text(json ? Render.json(view) : Render.ping(view));
    }

    // ---- dht:health

    @Descriptor("check that every node of this container is READY and answers a real request: a DHT PING sent"
            + " through its own UDP socket and answered by it, all within 0.7 s. Prints one line per problem and"
            + " fails unless every node is healthy (bin/cqkd-health runs this)")
    public String health() {
        HealthReport report = checkHealth();
        if (report.problems().isEmpty()) {
            return report.summary();
        }
        for (String problem : report.problems()) {
            System.out.println(problem); // Gogo routes System.out to the session (console or control channel)
        }
        throw new CommandFailure(report.summary());
    }

    /**
     * The outcome of {@code dht:health}.
     *
     * @param problems one line per unhealthy node ("NAME: why"), empty when all are healthy
     * @param summary  one line: "healthy: ..." or "unhealthy: ..." naming the first problems
     */
    record HealthReport(List<String> problems, String summary) {
    }

    /**
     * Every node must be READY and answer a PING sent through its own socket to its advertised
     * address (and, when that is not loopback, to 127.0.0.1 on its port, in parallel: either pong
     * counts). All pings run at once; the whole check takes at most the health deadline.
     */
    HealthReport checkHealth() {
        List<DhtNode> nodes = directory.all();
        if (nodes.isEmpty()) {
            return new HealthReport(List.of("no DHT node in this container"),
                    "unhealthy: no DHT node in this container");
        }
        Duration deadline = timeout.compareTo(HEALTH_TIMEOUT) < 0 ? timeout : HEALTH_TIMEOUT;
        long start = System.nanoTime();
        List<String> problems = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<CompletableFuture<DhtNode.PingResult>> probes = new ArrayList<>();
        for (DhtNode n : nodes) {
            String name;
            NodeStatus st;
            try {
                name = n.name();
                st = n.status();
            } catch (RuntimeException e) {
                problems.add("(a node): status unavailable: " + CommandFailure.oneLine(e.toString()));
                continue;
            }
            if (st.state() != NodeState.READY) {
                problems.add(name + ": " + st.state() + (st.detail().isEmpty() ? "" : " (" + st.detail() + ")"));
                continue;
            }
            names.add(name);
            probes.add(probe(n));
        }
        long slowest = 0;
        for (int i = 0; i < probes.size(); i++) {
            long left = deadline.toNanos() - (System.nanoTime() - start);
            try {
                DhtNode.PingResult r = probes.get(i).get(Math.max(0, left), TimeUnit.NANOSECONDS);
                slowest = Math.max(slowest, r.rtt().toMillis());
            } catch (TimeoutException e) {
                problems.add(names.get(i) + ": READY but no answer to a ping through its own socket within "
                        + deadline.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add(names.get(i) + ": interrupted");
            } catch (ExecutionException | RuntimeException e) {
                problems.add(Await.failure(names.get(i) + ": READY but its ping through its own socket failed",
                        e.getCause() == null ? e : e.getCause()).getMessage());
            }
        }
        if (problems.isEmpty()) {
            return new HealthReport(List.of(), "healthy: " + nodes.size() + (nodes.size() == 1 ? " node" : " nodes")
                    + " READY, each answered a ping through its own socket (slowest " + slowest + " ms)");
        }
        String first = String.join("; ", problems.subList(0, Math.min(HEALTH_PROBLEMS_IN_MESSAGE, problems.size())));
        return new HealthReport(List.copyOf(problems), "unhealthy: " + problems.size() + " of " + nodes.size()
                + (nodes.size() == 1 ? " node: " : " nodes: ") + first
                + (problems.size() > HEALTH_PROBLEMS_IN_MESSAGE ? "; ..." : ""));
    }

    private static CompletableFuture<DhtNode.PingResult> probe(DhtNode n) {
        try {
            InetSocketAddress self = n.self().address();
            CompletableFuture<DhtNode.PingResult> advertised = n.ping(self).toCompletableFuture();
            if (self.getAddress() == null || self.getAddress().isLoopbackAddress()) {
                return advertised;
            }
            CompletableFuture<DhtNode.PingResult> loopback = n.ping(new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), self.getPort())).toCompletableFuture();
            // the first answer wins; fail only when both failed
            CompletableFuture<DhtNode.PingResult> any = new CompletableFuture<>();
            AtomicInteger failures = new AtomicInteger();
            for (CompletableFuture<DhtNode.PingResult> f : List.of(advertised, loopback)) {
                f.whenComplete((r, e) -> {
                    if (e == null) {
                        any.complete(r);
                    } else if (failures.incrementAndGet() == 2) {
                        any.completeExceptionally(e);
                    }
                });
            }
            return any;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Gogo's console and the control channel print a result followed by a line break: drop ours. */
    private static String text(String rendered) {
        return rendered.endsWith("\n") ? rendered.substring(0, rendered.length() - 1) : rendered;
    }

    private static Optional<NodeStatus> statusOf(DhtNode n) {
        try {
            return Optional.ofNullable(n.status());
        } catch (RuntimeException e) {
            return Optional.empty(); // the node is going away while we look
        }
    }

    private static CommandFailure gone(String node) {
        return new CommandFailure("node '" + node + "' stopped while reading its status");
    }
}
