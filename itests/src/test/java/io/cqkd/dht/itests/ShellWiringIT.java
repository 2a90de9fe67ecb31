package io.cqkd.dht.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.DhtError;
import io.cqkd.dht.api.DhtException;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.NodeStatus;
import io.cqkd.dht.api.RoutingSnapshot;
import io.cqkd.dht.api.StoreResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

/**
 * The shell's wiring to {@link DhtNode} services is dynamic: a node service registered by this
 * test (a scripted test double, no sockets) appears in {@code dht:*} at once and disappears when
 * unregistered; failures of the node reach the operator as one line. Needs only the shell bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellWiringIT extends CqkdTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COMMANDS =
            List.of("nodes", "status", "routes", "put", "get", "delete", "lookup", "ping");

    @Test
    public void helpListsAndDescribesEveryDhtCommand() {
        for (String c : COMMANDS) {
            waitForCommand("dht", c);
        }
        String help = executeCommand("help").assertOk().output();
        for (String c : COMMANDS) {
            assertTrue("help lacks dht:" + c, help.contains("dht:" + c));
        }
        String putHelp = executeCommand("help dht:put").assertOk().output();
        assertTrue(putHelp, putHelp.contains("--node"));
        assertTrue(putHelp, putHelp.toLowerCase().contains("json"));
        String nodesHelp = executeCommand("help dht:nodes").assertOk().output();
        assertTrue(nodesHelp, nodesHelp.contains("--json"));
    }

    @Test
    public void registeredNodeServicesAppearAndDisappearInTheShell() throws Exception {
        waitForCommand("dht", "nodes");
        assertEquals("no nodes before", 0, JSON.readTree(executeCommand("dht:nodes --json").assertOk().output()).size());

        FakeNode fake = new FakeNode("fake-1", NodeId.ofKey("fake-1"), 40001);
        ServiceRegistration<DhtNode> reg = register(fake);
        try {
            JsonNode listed = awaitValue("dht:nodes lists fake-1", TIMEOUT, () -> {
                JsonNode a = JSON.readTree(executeCommand("dht:nodes --json").assertOk().output());
                return a.size() == 1 ? a.get(0) : null;
            });
            assertEquals("fake-1", listed.get("name").asText());
            assertEquals(fake.id().toHex(), listed.get("id").asText());
            assertEquals(40001, listed.get("port").asInt());
            assertEquals("READY", listed.get("state").asText());
            assertEquals("eu", listed.get("region").asText());

            String table = executeCommand("dht:nodes").assertOk().output();
            assertTrue(table, table.lines().anyMatch(l -> l.startsWith("fake-1 ") && l.contains("40001")));

            // The command goes through the service: get returns what the node returns.
            String got = executeCommand("dht:get --node fake-1 answer").assertOk().output();
            assertEquals(JSON.readTree("{\"answer\":42}"), JSON.readTree(got));

            // A failed operation is one line with the node's reason.
            CommandResult put = executeCommand("dht:put --node fake-1 k '{\"a\":1}'").assertFailed();
            assertTrue(put.message(), put.message().contains("refused by the fake node"));
            assertFalse(put.message(), put.message().contains("\n"));
            assertFalse(put.output(), put.output().contains("\tat "));
        } finally {
            reg.unregister();
        }

        awaitCondition("fake-1 gone from dht:nodes",
                () -> !executeCommand("dht:nodes").assertOk().output().contains("fake-1"));
        CommandResult r = executeCommand("dht:status fake-1").assertFailed();
        assertTrue(r.message(), r.message().contains("fake-1"));
        assertFalse(r.message(), r.message().contains("\n"));
    }

    private ServiceRegistration<DhtNode> register(FakeNode n) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(DhtNode.PROP_NAME, n.name());
        props.put(DhtNode.PROP_ID, n.id().toHex());
        props.put(DhtNode.PROP_ROLE, "worker");
        props.put(DhtNode.PROP_REGION, "eu");
        return bundleContext().registerService(DhtNode.class, n, props);
    }

    /** A scripted node: fixed status, a fixed value under "answer", puts refused. */
    private static final class FakeNode implements DhtNode {
        private final String name;
        private final NodeId id;
        private final Contact self;

        FakeNode(String name, NodeId id, int port) {
            this.name = name;
            this.id = id;
            this.self = new Contact(id, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    new NodeRecord(NodeRole.WORKER, "eu", java.util.Set.of()));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public NodeId id() {
            return id;
        }

        @Override
        public Contact self() {
            return self;
        }

        @Override
        public NodeStatus status() {
            return new NodeStatus(name, id, NodeRole.WORKER, "eu", "127.0.0.1", self.address().getPort(),
                    NodeState.READY, "", 0, 1, 1000, Map.of("datagramsIn", 0L));
        }

        @Override
        public RoutingSnapshot routes() {
            return new RoutingSnapshot(id, 20, List.of());
        }

        @Override
        public CompletionStage<StoreResult> put(String key, String json, Duration ttl) {
            return CompletableFuture.failedFuture(new DhtException(DhtError.NOT_STORED, "refused by the fake node"));
        }

        @Override
        public CompletionStage<Optional<DhtValue>> get(String key) {
            return CompletableFuture.completedFuture("answer".equals(key)
                    ? Optional.of(new DhtValue(key, "{\"answer\":42}", id, 1L, Instant.now().plusSeconds(60)))
                    : Optional.empty());
        }

        @Override
        public CompletionStage<StoreResult> delete(String key) {
            return CompletableFuture.failedFuture(new DhtException(DhtError.NOT_STORED, "refused by the fake node"));
        }

        @Override
        public CompletionStage<LookupResult> lookup(String key) {
            return findNode(NodeId.ofKey(key));
        }

        @Override
        public CompletionStage<LookupResult> findNode(NodeId target) {
            return CompletableFuture.completedFuture(new LookupResult(target, List.of(self), 0, 0, 0, 0));
        }

        @Override
        public CompletionStage<PingResult> ping(InetSocketAddress address) {
            return CompletableFuture.failedFuture(new DhtException(DhtError.TIMEOUT, "no answer from " + address));
        }

        @Override
        public List<Contact> knownNodes(NodeRole role, String region) {
            return List.of();
        }
    }
}
