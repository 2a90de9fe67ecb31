package io.cqkd.dht.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.ports.NoStrategyException;
import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortLease;
import io.cqkd.dht.api.ports.PortRange;
import io.cqkd.dht.api.ports.PortRequest;
import io.cqkd.dht.ports.random.RandomPortAllocator;
import io.cqkd.dht.ports.sequential.SequentialPortAllocator;
import io.cqkd.dht.ports.slot.SlotPortAllocator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PortAllocationEngineTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final StrategyInfo SEQ = new StrategyInfo("sequential", "io.cqkd.dht.ports.sequential 0.1.0", 7, 70);
    private static final StrategyInfo SLOT = new StrategyInfo("slot", "io.cqkd.dht.ports.slot 0.1.0", 8, 80);
    private static final StrategyInfo RND = new StrategyInfo("random", "io.cqkd.dht.ports.random 0.1.0", 9, 90);

    private final FakeBinder host = new FakeBinder();

    private static PortAllocationEngine engine(Map<String, ?> config, Map<String, String> env) {
        PortAllocationEngine e = new PortAllocationEngine(PortSettings.from(config, env), CLOCK);
        e.strategyBound(new SequentialPortAllocator(), SEQ);
        return e;
    }

    private static PortAllocationEngine engine() {
        return engine(Map.of(), Map.of());
    }

    static PortRequest worker(String name, int id) {
        return new PortRequest(name, NodeRole.WORKER, OptionalInt.empty(), OptionalInt.of(id), OptionalInt.empty(),
                Optional.empty());
    }

    static PortRequest node(String name, NodeRole role) {
        return new PortRequest(name, role, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty());
    }

    static PortRequest explicit(String name, NodeRole role, int port) {
        return new PortRequest(name, role, OptionalInt.of(port), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty());
    }

    private static String failure(PortAllocationEngine e, PortRequest r, FakeBinder b) {
        return assertThrows(PortAllocationException.class, () -> e.allocate(r, b)).getMessage();
    }

    // ------------------------------------------------------------ seed compatibility and rules

    @Test
    void sequentialWorkerFiveGets7004() throws Exception {
        PortLease lease = engine().allocate(worker("worker-5", 5), host);
        assertEquals(7004, lease.port());
        assertEquals("sequential", lease.strategy());
        assertEquals(List.of(7004), host.attempts);
    }

    @Test
    void workerIdFromTheEnvironment() throws Exception {
        PortLease lease = engine(Map.of(), Map.of("WORKER_ID", "5")).allocate(node("w", NodeRole.WORKER), host);
        assertEquals(7004, lease.port());
    }

    @Test
    void basePortAndOffsetFromConfigAndEnvironment() throws Exception {
        assertEquals(7112, engine(Map.of("base.port", "7100", "port.offset", "10"), Map.of())
                .allocate(worker("w", 3), host).port());
        assertEquals(7222, engine(Map.of("base.port", "7100"), Map.of("BASE_PORT", "7200", "PORT_OFFSET", "20"))
                .allocate(worker("w", 3), new FakeBinder()).port());
    }

    @Test
    void legacyModePinsWorkersTo7000() throws Exception {
        PortAllocationEngine e = engine(Map.of(), Map.of("LEGACY_PORT_MODE", "true", "WORKER_ID", "5"));
        PortLease lease = e.allocate(node("worker-5", NodeRole.WORKER), host);
        assertEquals(7000, lease.port());
        assertEquals("legacy", lease.strategy());
        // other roles are not pinned
        assertEquals(5678, e.allocate(node("sb-primary", NodeRole.SUPER), host).port());
        // a second worker in the same container cannot share 7000: a clear error, no walking
        String msg = failure(e, worker("worker-6", 6), host);
        assertTrue(msg.contains("legacy port mode pins workers to port 7000") && msg.contains("held by node worker-5"),
                msg);
    }

    @Test
    void legacyPortInUseByAnotherProcess() {
        String msg = failure(engine(Map.of("legacy.port.mode", true), Map.of()), worker("w", 1), host.taken(7000));
        assertTrue(msg.contains("7000") && msg.contains("in use by another process"), msg);
    }

    @Test
    void explicitPortAlwaysWins() throws Exception {
        PortLease lease = engine().allocate(new PortRequest("w", NodeRole.WORKER, OptionalInt.of(7500),
                OptionalInt.of(5), OptionalInt.empty(), Optional.empty()), host);
        assertEquals(7500, lease.port());
        assertEquals("explicit", lease.strategy());
        // also without any strategy, in another role's range, and in legacy mode
        PortAllocationEngine none = new PortAllocationEngine(PortSettings.defaults(), CLOCK);
        assertEquals(6001, none.allocate(explicit("alice", NodeRole.SPECIAL, 6001), host).port());
        PortAllocationEngine legacy = engine(Map.of("legacy.port.mode", "true"), Map.of());
        assertEquals(7300, legacy.allocate(explicit("w", NodeRole.WORKER, 7300), new FakeBinder()).port());
    }

    @Test
    void explicitPortRefusalsNameTheirReason() throws Exception {
        PortAllocationEngine e = engine(Map.of("blocked.ports", "7100"), Map.of());
        assertTrue(failure(e, explicit("a", NodeRole.WORKER, 7100), host).contains("blocked"));
        assertTrue(failure(e, explicit("a", NodeRole.WORKER, 9000), host).contains("out of the allowed ranges"));
        assertTrue(failure(e, explicit("a", NodeRole.WORKER, 0), host).contains("not a UDP port"));
        assertTrue(failure(e, explicit("a", NodeRole.WORKER, 7200), new FakeBinder().taken(7200))
                .contains("in use by another process"));
        e.allocate(explicit("a", NodeRole.WORKER, 7300), host);
        assertTrue(failure(e, explicit("b", NodeRole.WORKER, 7300), host).contains("already held by node a"));
    }

    @Test
    void takenPortMovesOnToTheNextAtOnce() throws Exception {
        host.taken(7004, 7005, 7006);
        PortLease lease = engine().allocate(worker("w", 5), host);
        assertEquals(7007, lease.port());
        assertEquals(List.of(7004, 7005, 7006, 7007), host.attempts);
    }

    @Test
    void portsBusyAtTheLastAttemptAreTriedLastNotSkipped() throws Exception {
        PortAllocationEngine e = engine();
        host.taken(7000, 7001);
        assertEquals(7002, e.allocate(worker("a", 1), host).port());
        host.attempts.clear();
        // 7000 and 7001 were busy: worker 2 (start 7001) tries 7003 first, no failed bind on the way
        assertEquals(7003, e.allocate(worker("b", 2), host).port());
        assertEquals(List.of(7003), host.attempts);
        // when nothing else is left, the hinted ports are tried again and one that became free is found
        PortAllocationEngine small = engine(Map.of("range.worker", "7000-7003", "allowed.ranges", "7000-7003"),
                Map.of());
        FakeBinder crowded = new FakeBinder().taken(7000, 7001, 7002, 7003);
        assertThrows(PortAllocationException.class, () -> small.allocate(worker("x", 1), crowded));
        crowded.takenByOthers.remove(7001);
        crowded.attempts.clear();
        assertEquals(7001, small.allocate(worker("x", 1), crowded).port());
    }

    @Test
    void aCrowdedRangeTakesMillisecondsNotMinutes() throws Exception {
        host.takenRange(7000, 7989);
        long start = System.nanoTime();
        assertEquals(7990, engine().allocate(worker("w", 1), host).port());
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "walking 990 taken ports must not back off");
    }

    @Test
    void portsHeldInTheContainerAreNeverHandedToTheBinder() throws Exception {
        PortAllocationEngine e = engine();
        e.allocate(worker("a", 1), host);
        e.allocate(worker("b", 2), host);
        host.attempts.clear();
        // worker 3 wants 7002; no node holds it; worker 1 again is refused; an unknown node without id walks past 7000, 7001
        e.allocate(worker("c", 3), host);
        assertEquals(List.of(7002), host.attempts);
        host.attempts.clear();
        assertEquals(7003, e.allocate(node("d", NodeRole.WORKER), host).port());
        assertEquals(List.of(7003), host.attempts);
    }

    @Test
    void roleRanges() throws Exception {
        PortAllocationEngine e = engine();
        assertEquals(5678, e.allocate(node("sb-primary", NodeRole.SUPER), host).port());
        assertEquals(5679, e.allocate(node("rb-east-1", NodeRole.REGIONAL), host).port());
        assertEquals(5680, e.allocate(node("lb-001", NodeRole.LOCAL), host).port());
        assertEquals(6000, e.allocate(node("alice", NodeRole.SPECIAL), host).port());
        assertEquals(6001, e.allocate(node("bob", NodeRole.SPECIAL), host).port());
        assertEquals(7000, e.allocate(node("worker-x", NodeRole.WORKER), host).port());
    }

    @Test
    void rangesChangeAtRuntimeForTheNextAllocation() throws Exception {
        PortAllocationEngine e = engine();
        PortLease before = e.allocate(node("alice", NodeRole.SPECIAL), host);
        e.update(PortSettings.from(Map.of("range.special", "6500-6599", "allowed.ranges", "6500-6599,7000-7999"),
                Map.of()));
        assertEquals(6500, e.allocate(node("bob", NodeRole.SPECIAL), host).port());
        assertEquals(6000, before.port());
        assertTrue(e.registry().stream().anyMatch(p -> p.port() == 6000), "held ports survive reconfiguration");
    }

    @Test
    void slotStrategy() throws Exception {
        PortAllocationEngine e = engine(Map.of(), Map.of("POD_NAME", "cqkd-worker-17"));
        e.strategyBound(new SlotPortAllocator(), SLOT);
        assertEquals(7017, e.allocate(node("w17", NodeRole.WORKER), host).port());
        PortRequest swarm = new PortRequest("s1", NodeRole.WORKER, OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.of(1), Optional.empty());
        assertEquals(7000, e.allocate(swarm, host).port());
    }

    @Test
    void slotStrategyWithoutSlotOrPodIsAClearError() {
        PortAllocationEngine e = engine();
        e.strategyBound(new SlotPortAllocator(), SLOT);
        String msg = failure(e, node("x", NodeRole.WORKER), host);
        assertTrue(msg.contains("TASK_SLOT") && msg.contains("POD_NAME"), msg);
        assertEquals(HistoryEvent.Kind.FAILED, e.history().get(0).kind());
    }

    @Test
    void randomStrategyStaysInTheRangeAndRetriesCollisions() throws Exception {
        PortAllocationEngine e = engine(Map.of("range.worker", "7000-7009", "allowed.ranges", "7000-7009"), Map.of());
        e.strategyBound(new RandomPortAllocator(() -> new SplittableRandom(5)), RND);
        host.taken(7000, 7001, 7002, 7003, 7004, 7005, 7006, 7007);
        Set<Integer> got = new HashSet<>();
        got.add(e.allocate(worker("a", 1), host).port());
        got.add(e.allocate(worker("b", 2), host).port());
        assertEquals(Set.of(7008, 7009), got);
        assertTrue(host.attempts.size() <= 10, "each port is tried at most once per allocation: " + host.attempts);
    }

    @Test
    void blockedPortsAreSkippedByTheStrategyWalk() throws Exception {
        PortAllocationEngine e = engine(Map.of("blocked.ports", "7004-7006"), Map.of());
        assertEquals(7007, e.allocate(worker("w", 5), host).port());
        assertEquals(List.of(7007), host.attempts);
    }

    @Test
    void onePortPerWorker() throws Exception {
        PortAllocationEngine e = engine();
        e.allocate(worker("worker-5", 5), host);
        String msg = failure(e, worker("other", 5), host);
        assertTrue(msg.contains("one port per worker") && msg.contains("worker 5 already holds port 7004"), msg);
        HistoryEvent last = e.history().get(e.history().size() - 1);
        assertEquals(HistoryEvent.Kind.REFUSED, last.kind());
        // explicit ports obey it too
        assertTrue(failure(e, new PortRequest("x", NodeRole.WORKER, OptionalInt.of(7500), OptionalInt.of(5),
                OptionalInt.empty(), Optional.empty()), host).contains("one port per worker"));
        // a node never holds two ports
        assertTrue(failure(e, worker("worker-5", 6), host).contains("node worker-5 already holds port 7004"));
        // the policy can be relaxed
        PortAllocationEngine relaxed = engine(Map.of("one.port.per.worker", "false"), Map.of());
        FakeBinder other = new FakeBinder();
        relaxed.allocate(worker("a", 5), other);
        assertEquals(7005, relaxed.allocate(worker("b", 5), other).port());
    }

    @Test
    void exhaustionNamesTheRange() {
        PortAllocationEngine e = engine(Map.of("range.worker", "7000-7009", "blocked.ports", "7009"), Map.of());
        String msg = failure(e, worker("w", 1), host.takenRange(7000, 7008));
        assertTrue(msg.contains("worker range 7000-7009") && msg.contains("exhausted"), msg);
        assertTrue(msg.contains("9 in use by other processes") && msg.contains("1 refused by policy"), msg);
    }

    @Test
    void noStrategyNamesTheMissingOneAndExplicitStillWorks() throws Exception {
        PortAllocationEngine e = new PortAllocationEngine(PortSettings.from(Map.of("allocator.target",
                "(strategy=random)"), Map.of()), CLOCK);
        NoStrategyException none = assertThrows(NoStrategyException.class, () -> e.allocate(worker("w", 1), host));
        String msg = none.getMessage();
        assertTrue(msg.contains("no port allocation strategy is active") && msg.contains("'random'"), msg);
        assertEquals(7004, e.allocate(explicit("w", NodeRole.WORKER, 7004), host).port());
    }

    @Test
    void swappingTheStrategyKeepsLeasesAndChangesTheNextAllocation() throws Exception {
        PortAllocationEngine e = engine(Map.of(), Map.of());
        SequentialPortAllocator seq = new SequentialPortAllocator();
        e.strategyBound(seq, SEQ);
        PortLease first = e.allocate(worker("w1", 1), host);
        RandomPortAllocator rnd = new RandomPortAllocator(() -> new SplittableRandom(1));
        e.strategyBound(rnd, RND); // greedy rebind: bind new, then unbind old
        e.strategyUnbound(seq);
        assertEquals("random", e.activeStrategy().orElseThrow().name());
        PortLease second = e.allocate(worker("w2", 2), host);
        assertEquals("random", second.strategy());
        assertEquals(7000, first.port());
        assertEquals(2, e.registry().size());
        // unbinding a strategy that is not the active one changes nothing
        e.strategyUnbound(seq);
        assertEquals("random", e.activeStrategy().orElseThrow().name());
        e.strategyUnbound(rnd);
        assertTrue(e.activeStrategy().isEmpty());
        assertEquals(2, e.registry().size(), "leases survive the strategy going away");
    }

    // ------------------------------------------------------------ registry, history, utilization

    @Test
    void registryRecordsOwnerWorkerStrategyTimeAndStatus() throws Exception {
        PortAllocationEngine e = engine();
        e.allocate(worker("worker-5", 5), host);
        PortEntry entry = e.registry().get(0);
        assertEquals(7004, entry.port());
        assertEquals("worker-5", entry.node());
        assertEquals(NodeRole.WORKER, entry.role());
        assertEquals(OptionalInt.of(5), entry.workerId());
        assertEquals("sequential", entry.strategy());
        assertEquals(CLOCK.instant(), entry.allocatedAt());
        assertEquals(PortEntry.Status.ALLOCATED, entry.status());
    }

    @Test
    void statusIsBindingWhileTheNodeBinds() throws Exception {
        PortAllocationEngine e = engine();
        List<PortEntry.Status> seen = new ArrayList<>();
        e.allocate(worker("w", 1), port -> {
            seen.add(e.registry().get(0).status());
            return true;
        });
        assertEquals(List.of(PortEntry.Status.BINDING), seen);
    }

    @Test
    void closingTheLeaseReleasesOnceAndTheHistoryShowsIt() throws Exception {
        PortAllocationEngine e = engine();
        PortLease lease = e.allocate(worker("w", 1), host);
        lease.close();
        lease.close();
        assertTrue(e.registry().isEmpty());
        List<HistoryEvent.Kind> kinds = e.history().stream().map(HistoryEvent::kind).toList();
        assertEquals(List.of(HistoryEvent.Kind.ALLOCATED, HistoryEvent.Kind.RELEASED), kinds);
        // the port can be taken again; the stale lease cannot release the new owner
        host.unbind(7000);
        PortLease again = e.allocate(worker("w2", 1), host);
        lease.close();
        assertEquals(7000, again.port());
        assertEquals(1, e.registry().size());
    }

    @Test
    void historyIsBounded() throws Exception {
        PortAllocationEngine e = engine(Map.of("history.size", "3"), Map.of());
        for (int i = 1; i <= 5; i++) {
            e.allocate(worker("w" + i, i), host).close();
        }
        assertEquals(3, e.history().size());
        assertEquals(7, e.historyDropped());
    }

    @Test
    void utilizationPerRange() throws Exception {
        PortAllocationEngine e = engine(Map.of("blocked.ports", "7990-7999"), Map.of());
        for (int i = 1; i <= 5; i++) {
            e.allocate(worker("w" + i, i), host);
        }
        e.allocate(node("sb", NodeRole.SUPER), host);
        RangeUsage workers = e.utilization().stream().filter(u -> u.name() == RangeName.WORKER).findFirst()
                .orElseThrow();
        assertEquals(1000, workers.total());
        assertEquals(5, workers.used());
        assertEquals(10, workers.blocked());
        assertEquals(985, workers.available());
        assertEquals(0.5, workers.percent());
        RangeUsage boot = e.utilization().stream().filter(u -> u.name() == RangeName.BOOTSTRAP).findFirst()
                .orElseThrow();
        assertEquals(84, boot.total());
        assertEquals(1, boot.used());
        assertEquals(1.19, boot.percent());
    }

    @Test
    void binderFailureCancelsTheReservation() {
        PortAllocationEngine e = engine();
        PortAllocationException ex = assertThrows(PortAllocationException.class,
                () -> e.allocate(worker("w", 1), port -> {
                    throw new IllegalStateException("no permission");
                }));
        assertTrue(ex.getMessage().contains("no permission"), ex.getMessage());
        assertTrue(e.registry().isEmpty());
    }

    // ------------------------------------------------------------ dry run

    @Test
    void previewAppliesTheSameRefusals() throws Exception {
        PortAllocationEngine e = engine(Map.of("blocked.ports", "7100"), Map.of());
        e.allocate(worker("w4", 4), host);
        FakeBinder probe = new FakeBinder();
        PortAllocationException perWorker = assertThrows(PortAllocationException.class,
                () -> e.preview(worker("x", 4), probe));
        assertTrue(perWorker.getMessage().contains("one port per worker"), perWorker.getMessage());
        assertTrue(assertThrows(PortAllocationException.class, () -> e.preview(explicit("y", NodeRole.WORKER, 7100),
                probe)).getMessage().contains("blocked"));
        assertTrue(assertThrows(PortAllocationException.class, () -> e.preview(explicit("y", NodeRole.WORKER, 7003),
                probe)).getMessage().contains("held by node w4"));
        assertEquals(7200, e.preview(explicit("y", NodeRole.WORKER, 7200), probe).port());
        assertEquals(1, e.registry().size());
        assertTrue(probe.bound.stream().allMatch(p -> p == 7200), "the probe is the only thing that binds");
    }

    @Test
    void previewWalksLikeTheAllocation() throws Exception {
        PortAllocationEngine e = engine(Map.of("blocked.ports", "7005"), Map.of());
        e.allocate(node("holder", NodeRole.WORKER), host); // 7000
        e.allocate(explicit("h2", NodeRole.WORKER, 7004), host);
        FakeBinder probe = new FakeBinder().taken(7006);
        Preview p = e.preview(worker("x", 5), probe);
        assertEquals(7007, p.port());
        assertEquals(1, p.skippedHeld());
        assertEquals(1, p.skippedPolicy());
        assertEquals(1, p.skippedBusy());
        assertEquals(2, e.registry().size());
        assertTrue(e.history().stream().noneMatch(h -> "x".equals(h.node())), "a dry run leaves no history");
    }

    // ------------------------------------------------------------ concurrency inside one container

    @Test
    void concurrentAllocationsInOneContainerNeverShareAPort() throws Exception {
        PortAllocationEngine e = engine();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int id = (i % 50) + 1; // workers collide on purpose: one port per worker is off below
                String name = "n" + i;
                tasks.add(() -> e.allocate(new PortRequest(name, NodeRole.WORKER, OptionalInt.empty(), OptionalInt.of(id),
                        OptionalInt.empty(), Optional.empty()), host).port());
            }
            e.update(PortSettings.from(Map.of("one.port.per.worker", "false"), Map.of()));
            Set<Integer> ports = new HashSet<>();
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                assertTrue(ports.add(f.get()), "duplicate port");
            }
            assertEquals(400, ports.size());
            assertTrue(ports.stream().allMatch(new PortRange(7000, 7999)::contains));
        } finally {
            pool.shutdownNow();
        }
    }
}
