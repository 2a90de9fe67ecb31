package io.cqkd.dht.itests.failover;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.failover.DetectorContext;
import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.failover.FailoverService;
import io.cqkd.dht.api.failover.FailoverSink;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.api.failover.WatchRelation;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.itests.CqkdTestSupport;
import java.net.InetSocketAddress;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;

/**
 * Failover policies are hot-swappable: the failover service's {@code policy.target} (PID
 * {@code io.cqkd.dht.failover}) or stopping a policy bundle changes the decision for the next
 * failure, while a running node keeps its service (it is never restarted).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FailoverPolicySwapIT extends CqkdTestSupport {
    private static final String FAILOVER_PID = "io.cqkd.dht.failover";
    private static final String RETRY_NEXT_BSN = "io.cqkd.dht.failover.retrynext";

    /** A regional's view: lb-001 (its child) declared failed, lb-002 of the same region healthy. */
    private static FailureSituation childFailed() {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 1);
        BootstrapNode failed = new BootstrapNode("lb-001", Optional.empty(), NodeRole.LOCAL, "east", "rb-east-1",
                any, 10, 50, false, 0);
        BootstrapNode backup = new BootstrapNode("lb-002", Optional.empty(), NodeRole.LOCAL, "east", "rb-east-1",
                any, 5, 50, true, 0);
        BootstrapNode regional = new BootstrapNode("rb-east-1", Optional.empty(), NodeRole.REGIONAL, "east",
                "sb-primary", any, 0, 250, true, 0);
        return new FailureSituation("rb-east-1", NodeRole.REGIONAL, "east", WatchRelation.CHILD, failed,
                new TierView(List.of(failed, backup, regional), 0), List.of(), Set.of(), List.of(),
                new DetectorContext(0, 1_000, 6_000, 3));
    }

    private void setPolicyTarget(String filter) throws Exception {
        Configuration c = configAdmin().getConfiguration(FAILOVER_PID, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("policy.target", filter);
        c.update(props);
    }

    @After
    public void restore() throws Exception {
        Bundle b = findBundle(RETRY_NEXT_BSN);
        if (b != null && b.getState() != Bundle.ACTIVE) {
            b.start();
        }
        configAdmin().getConfiguration(FAILOVER_PID, "?").delete();
    }

    @Test
    public void theNextFailureFollowsTheSwappedPolicyWhileNodesKeepRunning() throws Exception {
        createNode("fo-w1", Map.of("role", "worker", "tierJoin", "false"));
        awaitReady("fo-w1");
        Object serviceId = nodeReference("fo-w1").getProperty(Constants.SERVICE_ID);
        FailoverService service = waitForService(FailoverService.class);
        FailoverSink sink = waitForService(FailoverSink.class);

        // shipped default: promote the backup, capacity doubled
        awaitCondition("promote-backup bound", () -> "promote-backup".equals(service.activePolicy()));
        FailoverDecision d = sink.decide(childFailed()).decision();
        assertTrue("promote-backup promotes: " + d, d instanceof FailoverDecision.Promote);
        FailoverDecision.Promote p = (FailoverDecision.Promote) d;
        assertEquals("lb-002", p.backup().name());
        assertEquals(100, p.capacityAfter());

        // configuration swap: the next decision is retry-next's
        setPolicyTarget("(policy=retry-next)");
        awaitCondition("retry-next bound", () -> "retry-next".equals(service.activePolicy()));
        d = sink.decide(childFailed()).decision();
        assertTrue("retry-next marks the child failed, no promotion: " + d, d instanceof FailoverDecision.MarkFailed);
        assertTrue(executeCommand("failover:policy").assertOk().output().contains("retry-next"));

        // the selected bundle stops: nothing matches the target, so no action (and no crash)
        findBundle(RETRY_NEXT_BSN).stop();
        awaitCondition("no policy bound", () -> service.activePolicy().isEmpty());
        d = sink.decide(childFailed()).decision();
        assertTrue("no policy, no action: " + d, d instanceof FailoverDecision.NoAction);

        // it comes back: bound again at once
        findBundle(RETRY_NEXT_BSN).start();
        awaitCondition("retry-next bound again", () -> "retry-next".equals(service.activePolicy()));

        // the node was never restarted by any of this
        assertEquals(serviceId, nodeReference("fo-w1").getProperty(Constants.SERVICE_ID));
        assertEquals("READY", node("fo-w1").status().state().name());
    }
}
