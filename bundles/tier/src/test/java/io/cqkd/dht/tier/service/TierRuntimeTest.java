package io.cqkd.dht.tier.service;

import static io.cqkd.dht.tier.service.TierFakes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.BootstrapSelector;
import io.cqkd.dht.api.tier.HealthSummary;
import io.cqkd.dht.api.tier.SelectionPreview;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierNodeSnapshot;
import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.api.tier.WorkerRegistration;
import io.cqkd.dht.tier.model.TierJson;
import io.cqkd.dht.tier.service.TierFakes.FakeTierNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class TierRuntimeTest {
    private static final BootstrapNode SUPER = node("sb-primary", NodeRole.SUPER, "", "", 5678, 0, 500, true, 900);
    private static final BootstrapNode EAST = node("rb-east-1", NodeRole.REGIONAL, "east", "sb-primary", 5682, 3, 250,
            true, 950);
    private static final BootstrapNode LB1 = node("lb-001", NodeRole.LOCAL, "east", "rb-east-1", 5698, 10, 50, true,
            990);

    private static final WorkerRegistration W1 = new WorkerRegistration("a".repeat(40), "127.0.0.1", 7000, 1000);
    private static final WorkerRegistration W2 = new WorkerRegistration("b".repeat(40), "127.0.0.1", 7001, 2000);

    private final TierRuntime tier = new TierRuntime("(strategy=adaptive)");

    private FakeTierNode bind(BootstrapNode self, List<BootstrapNode> known, List<WorkerRegistration> workers) {
        FakeTierNode n = new FakeTierNode(self, known, workers, 1000);
        tier.bindTierNode(n, n.props());
        return n;
    }

    @Test
    void emptyContainerHasAnEmptyViewAndZeroHealth() {
        assertEquals(List.of(), tier.view().nodes());
        assertEquals(new HealthSummary(0, 0, 0, 0, 0.0, 0, 0), tier.health());
    }

    @Test
    void viewJoinsLocalNodesWithWhatTheyKnowOwnSnapshotWinsFreshestReportWins() {
        BootstrapNode staleLb1 = LB1.withLoad(1, 50, true, 100);
        BootstrapNode west = node("rb-west-1", NodeRole.REGIONAL, "west", "sb-primary", 5683, 5, 250, true, 800);
        BootstrapNode westFresher = west.withLoad(7, 250, true, 850);
        // super knows an old report of lb-001 (which runs here) and west; the regional knows fresher west
        bind(SUPER, List.of(staleLb1, west, EAST), List.of());
        bind(EAST, List.of(SUPER, westFresher), List.of());
        bind(LB1, List.of(EAST), List.of());

        TierView v = tier.view();
        assertEquals(List.of("sb-primary", "rb-east-1", "rb-west-1", "lb-001"),
                v.nodes().stream().map(BootstrapNode::name).toList());
        assertEquals(10, v.node("lb-001").orElseThrow().activeSessions(), "a node running here describes itself");
        assertEquals(7, v.node("rb-west-1").orElseThrow().activeSessions(), "freshest report of a remote node");
        assertEquals(1000, v.asOfMillis());
        assertEquals(java.util.Set.of("lb-001", "rb-east-1", "sb-primary"), tier.localNodeNames());
    }

    @Test
    void stoppedOrFailingNodesDoNotBreakTheView() {
        FakeTierNode s = bind(SUPER, List.of(), List.of());
        FakeTierNode e = bind(EAST, List.of(), List.of());
        s.snapshot = new TierNodeSnapshot(false, SUPER, 0, "", Map.of(), List.of(), List.of(), List.of(), 5);
        e.failure = new IllegalStateException("engine gone");
        TierView v = tier.view();
        assertEquals(1, v.nodes().size());
        assertFalse(v.nodes().get(0).healthy(), "a local node that is not running is unhealthy");

        tier.unbindTierNode(s);
        tier.unbindTierNode(e);
        assertEquals(0, tier.view().nodes().size());
    }

    @Test
    void healthSummarizesTheViewAndCountsFailoverEventsWhenAServiceIsBound() {
        bind(SUPER, List.of(node("rb-west-1", NodeRole.REGIONAL, "west", "sb-primary", 5683, 5, 250, false, 1)),
                List.of());
        bind(EAST, List.of(), List.of());
        bind(LB1, List.of(), List.of());
        HealthSummary h = tier.health();
        assertEquals(4, h.totalBootstrapNodes());
        assertEquals(3, h.healthyNodes());
        assertEquals(13, h.totalConnections());
        assertEquals(800, h.totalCapacity());
        assertEquals(1.63, h.utilizationPercent());
        assertEquals(1, h.regionsCoverage());
        assertEquals(0, h.failoverEvents());

        var f = TierFakes.failover(7);
        tier.bindFailover(f);
        assertEquals(7, tier.health().failoverEvents());
        tier.unbindFailover(f);
        assertEquals(0, tier.health().failoverEvents());
    }

    @Test
    void workersComeFromTheLocalRegionalsSortedByIdWithoutDuplicates() throws Exception {
        bind(EAST, List.of(), List.of(W2, W1));
        bind(node("rb-east-2", NodeRole.REGIONAL, "east", "sb-primary", 5683, 0, 250, true, 1), List.of(),
                List.of(new WorkerRegistration(W1.nodeId(), "127.0.0.1", 7000, 1500)));
        assertTrue(tier.hasLocalRegional("east"));
        assertFalse(tier.hasLocalRegional("west"));
        List<WorkerRegistration> w = tier.workers("east").toCompletableFuture().get();
        assertEquals(List.of(W1, W2), w, "the earliest registration of a worker is kept");
    }

    @Test
    void withoutALocalRegionalTheDhtIsReadForThisContainersWorkers() throws Exception {
        NodeId a = NodeId.ofHex(W1.nodeId());
        NodeId b = NodeId.ofHex(W2.nodeId());
        Map<String, String> dht = Map.of(WorkerRegistration.key("west", a.toHex()), TierJson.worker(W1));
        tier.bindDhtNode(TierFakes.dhtNode("worker-1", a, NodeRole.WORKER, "west", NodeState.READY, dht));
        tier.bindDhtNode(TierFakes.dhtNode("worker-2", b, NodeRole.WORKER, "west", NodeState.READY, dht));
        assertEquals(List.of(W1), tier.workers("west").toCompletableFuture().get());
        assertEquals(List.of(), tier.workers("north").toCompletableFuture().get());
    }

    @Test
    void blankOrInvalidRegionFails() {
        var e = assertThrows(ExecutionException.class, () -> tier.workers(" ").toCompletableFuture().get());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        tier.bindDhtNode(TierFakes.dhtNode("w", NodeId.ofHex(W1.nodeId()), NodeRole.WORKER, "", NodeState.READY,
                Map.of()));
        e = assertThrows(ExecutionException.class, () -> tier.workers("a:b").toCompletableFuture().get());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    void previewUsesTheBoundSelectorOverTheViewAndNothingWithoutOne() {
        bind(SUPER, List.of(EAST, LB1), List.of());
        SelectionRequest req = new SelectionRequest("east", 10);
        SelectionPreview none = tier.preview(req);
        assertEquals("", none.strategy());
        assertEquals(List.of(), none.picks());
        assertEquals("", tier.selectionStrategy());

        BootstrapSelector supersOnly = selector("direct", NodeRole.SUPER);
        BootstrapSelector locals = selector("locals", NodeRole.LOCAL);
        tier.bindSelector(supersOnly);
        assertEquals(List.of("sb-primary"), names(tier.preview(req)));
        // greedy replacement: the new one binds before the old one unbinds
        tier.bindSelector(locals);
        tier.unbindSelector(supersOnly);
        assertEquals("locals", tier.selectionStrategy());
        assertEquals(List.of("lb-001"), names(tier.preview(req)));
        tier.unbindSelector(locals);
        assertEquals("", tier.selectionStrategy());
    }

    @Test
    void selectorTargetDefaultsWhenBlank() {
        assertEquals(TierRuntime.DEFAULT_SELECTOR_TARGET, new TierRuntime(" ").selectorTarget());
        assertEquals("(strategy=direct)", new TierRuntime("(strategy=direct)").selectorTarget());
    }

    private static List<String> names(SelectionPreview p) {
        return p.picks().stream().map(BootstrapNode::name).toList();
    }

    private static BootstrapSelector selector(String name, NodeRole level) {
        return new BootstrapSelector() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<BootstrapNode> select(SelectionRequest request, TierView view) {
                return view.healthy(level, "");
            }
        };
    }
}
