package io.cqkd.dht.itests.ports;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.itests.CqkdTestSupport;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * A node that needs an allocated port while no strategy bundle is active waits
 * (WAITING_FOR_PORT, the detail names the strategy filter) instead of failing, and starts by
 * itself as soon as the strategy bundle is started again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NodeWaitsForStrategyIT extends CqkdTestSupport {
    private static final String PORTS_PID = "io.cqkd.dht.ports";
    private static final String SEQUENTIAL = "io.cqkd.dht.ports.sequential";

    @After
    public void restore() throws Exception {
        Bundle b = findBundle(SEQUENTIAL);
        if (b != null && b.getState() != Bundle.ACTIVE) {
            b.start();
        }
        configAdmin().getConfiguration(PORTS_PID, "?").delete();
    }

    @Test
    public void waitsForAStrategyBundleThenStarts() throws Exception {
        int first = ThreadLocalRandom.current().nextInt(33_000, 40_000);
        Dictionary<String, Object> d = new Hashtable<>();
        String range = first + "-" + (first + 19);
        d.put("allocator.target", "(strategy=sequential)");
        d.put("range.worker", range);
        d.put("base.port", first);
        d.put("allowed.ranges", new String[] {range, "5678-5761", "6000-6099"});
        configAdmin().getConfiguration(PORTS_PID, "?").update(d);
        waitForCommand("ports", "strategy");
        awaitCondition("sequential active", () ->
                executeCommand("ports:strategy").assertOk().output().contains("active strategy : sequential"));

        findBundle(SEQUENTIAL).stop();
        awaitCondition("no strategy", () ->
                executeCommand("ports:strategy").assertOk().output().contains("active strategy : none"));

        createNode("waiter", Map.of("role", "worker", "port", -1, "workerId", 3));
        DhtNode n = awaitNode("waiter");
        awaitCondition("waiter waits for a strategy", () -> n.status().detail().contains("strategy"));
        assertEquals(NodeState.WAITING_FOR_PORT, n.status().state());
        assertTrue(n.status().detail(), n.status().detail().startsWith("waiting for a port-allocation strategy bundle")
                && n.status().detail().contains("(strategy=sequential)"));
        String nodes = executeCommand("dht:nodes").assertOk().output();
        assertTrue(nodes, nodes.contains("WAITING_FOR_PORT"));

        findBundle(SEQUENTIAL).start();
        DhtNode ready = awaitReady("waiter");
        assertEquals("WORKER_ID 3 -> base + 2", first + 2, ready.status().port());
    }
}
