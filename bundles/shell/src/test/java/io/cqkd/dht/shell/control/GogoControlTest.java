package io.cqkd.dht.shell.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.shell.DhtCommandsAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path without OSGi: cqkd-client -> control server -> the real Gogo runtime (option
 * parsing, overloads, coercion) -> the dht commands over fake nodes.
 */
class GogoControlTest {
    private ThreadIOImpl threadIo;
    private ControlServer server;
    private Object commands;

    @BeforeEach
    void setUp() throws Exception {
        threadIo = new ThreadIOImpl();
        threadIo.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
        commands = DhtCommandsAccess.withFakeNodes("boot", "worker-1", "worker-2");
        for (String f : new String[] {"dht", "nodes", "status", "routes", "put", "get", "delete", "lookup", "ping", "health"}) {
            processor.addCommand("dht", commands, f);
        }
        server = ControlServer.start(0, new GogoRunner(processor), ControlServer.Limits.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        server.close();
        threadIo.stop();
    }

    private record Run(int status, String out, String err) {
    }

    private Run client(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ControlClient.run(new String[] {line}, Map.of(ControlProtocol.PORT_ENV,
                Integer.toString(server.port())), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void optionsAndArgumentsAreParsedByGogo() {
        Run put = client("dht:put --node worker-1 k '{\"a\":1}'");
        assertEquals(0, put.status(), put.err());
        assertTrue(put.out().startsWith("stored 'k' (") && put.out().contains("via worker-1"), put.out());
        Run get = client("dht:get --json --node worker-2 k");
        assertEquals(0, get.status(), get.err());
        assertTrue(get.out().contains("\"node\" : \"worker-2\"") && get.out().contains("\"a\" : 1"), get.out());
        Run plain = client("get k");
        assertEquals("{\n  \"a\" : 1\n}\n", plain.out(), "a scope-less name resolves, one line break at the end");
        Run nodes = client("dht:nodes");
        assertTrue(nodes.out().endsWith("3 nodes, 3 READY\n"), nodes.out());
        Run statusAll = client("dht:status --json");
        assertEquals(0, statusAll.status(), statusAll.err());
        assertTrue(statusAll.out().startsWith("["), statusAll.out());
        Run statusOne = client("dht:status worker-2");
        assertTrue(statusOne.out().startsWith("name "), statusOne.out());
    }

    @Test
    void failuresAreOneLineAndNonZero() {
        for (String bad : new String[] {"dht:put --node nope k 1", "dht:put k '{oops'", "dht:ping nohost",
                "dht:get missing", "dht:get", "dht:routes", "dht:nosuch"}) {
            Run r = client(bad);
            assertEquals(ControlProtocol.EXIT_FAILED, r.status(), bad + ": " + r.out() + r.err());
            assertEquals(1, r.err().lines().count(), bad + ": " + r.err());
            assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), bad + ": " + r.err());
        }
        assertEquals("unknown node 'nope' (known: boot, worker-1, worker-2)\n",
                client("dht:put --node nope k 1").err());
    }

    @Test
    void healthExitsZeroWhenHealthyElseOneLinePerProblemAndNonZero() {
        Run ok = client("dht:health");
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().startsWith("healthy: 3 nodes READY"), ok.out());
        DhtCommandsAccess.setState(commands, "worker-2", io.cqkd.dht.api.NodeState.JOINING);
        Run bad = client("dht:health");
        assertEquals(ControlProtocol.EXIT_FAILED, bad.status());
        assertEquals("worker-2: JOINING\n", bad.out(), "one line per problem");
        assertEquals("unhealthy: 1 of 3 nodes: worker-2: JOINING\n", bad.err(), "then the one-line failure");
    }
}
