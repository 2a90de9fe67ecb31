package io.cqkd.dht.core.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.engine.Counters;
import io.cqkd.dht.core.engine.Counters.Counter;
import io.cqkd.dht.core.engine.EngineExecutor;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.codec.ClusterKey;
import io.cqkd.dht.core.wire.codec.MessageCodec;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UdpEndpointTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private UdpRuntime runtime;
    private final List<UdpEndpoint> endpoints = new java.util.ArrayList<>();

    @AfterEach
    void tearDown() {
        endpoints.forEach(UdpEndpoint::close);
        if (runtime != null) {
            runtime.close();
        }
    }

    private UdpEndpoint endpoint(String name, MessageCodec codec, Counters counters) {
        UdpEndpoint e = new UdpEndpoint(runtime, name, LOOPBACK, codec, counters);
        endpoints.add(e);
        return e;
    }

    private static Message ping(long txid) {
        return new Message.Ping(txid, new Peer(new byte[20], NodeRole.WORKER, "", List.of()));
    }

    static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void sendsReceivesOnTheEngineThreadAndCounts(boolean epoll) throws Exception {
        runtime = new UdpRuntime(2, 64 * 1024, epoll);
        Counters ca = new Counters();
        Counters cb = new Counters();
        UdpEndpoint a = endpoint("a", MessageCodec.plain(), ca);
        UdpEndpoint b = endpoint("b", MessageCodec.plain(), cb);
        assertTrue(a.tryBind(0));
        assertTrue(b.tryBind(0));
        assertNotEquals(0, a.port());
        BlockingQueue<Message> got = new ArrayBlockingQueue<>(10);
        AtomicBoolean onLoop = new AtomicBoolean();
        b.receiver((from, m) -> {
            onLoop.set(b.executor().inEngineThread());
            assertEquals(a.port(), from.getPort());
            got.add(m);
        });
        a.send(new InetSocketAddress(LOOPBACK, b.port()), ping(77));
        Message m = got.poll(5, TimeUnit.SECONDS);
        assertEquals(77, m.txid());
        assertTrue(onLoop.get());
        // the sender counts in its write listener, on its own event loop: it may run after b received
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ca.get(Counter.DATAGRAMS_OUT) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, ca.get(Counter.DATAGRAMS_OUT));
        assertTrue(ca.get(Counter.BYTES_OUT) > 0);
        assertEquals(1, cb.get(Counter.DATAGRAMS_IN));
        assertEquals(ca.get(Counter.BYTES_OUT), cb.get(Counter.BYTES_IN));
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void bindDoesNotWaitForABusyEventLoop(boolean epoll) throws Exception {
        runtime = new UdpRuntime(1, 64 * 1024, epoll);
        Counters cb = new Counters();
        UdpEndpoint a = endpoint("a", MessageCodec.plain(), new Counters());
        UdpEndpoint b = endpoint("b", MessageCodec.plain(), cb);
        CountDownLatch release = new CountDownLatch(1);
        b.executor().execute(() -> {
            try {
                release.await(10, TimeUnit.SECONDS); // the loop is busy (a backlog of engine work)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long t0 = System.nanoTime();
        assertTrue(a.tryBind(0));
        assertTrue(b.tryBind(0));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(tookMs < 2_000, "bind waited for the loop: " + tookMs + " ms");
        assertNotEquals(0, a.port());
        assertNotEquals(0, b.port());
        assertTrue(b.isBound());
        BlockingQueue<Message> got = new ArrayBlockingQueue<>(10);
        b.receiver((from, m) -> got.add(m));
        a.send(new InetSocketAddress(LOOPBACK, b.port()), ping(5)); // queued behind the registration
        assertEquals(null, got.poll(200, TimeUnit.MILLISECONDS), "nothing is read while the loop is busy");
        release.countDown();
        Message m = got.poll(5, TimeUnit.SECONDS);
        assertEquals(5, m.txid(), "the datagram sent while the loop was busy waited in the socket buffer");
        assertEquals(1, cb.get(Counter.DATAGRAMS_IN));
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void bindAndHoldReportsPortsInUseAsFalse(boolean epoll) throws Exception {
        runtime = new UdpRuntime(1, 0, epoll);
        UdpEndpoint a = endpoint("a", MessageCodec.plain(), new Counters());
        UdpEndpoint b = endpoint("b", MessageCodec.plain(), new Counters());
        assertTrue(a.tryBind(0));
        assertFalse(b.tryBind(a.port()), "port held by a");
        assertFalse(b.isBound());
        assertTrue(b.tryBind(0));
        assertThrows(IllegalStateException.class, () -> b.tryBind(0));
        int held = a.port();
        a.close();
        UdpEndpoint c = endpoint("c", MessageCodec.plain(), new Counters());
        // epoll releases the port at once; NIO defers the OS close to the selector's next select
        await(() -> c.tryBind(held), "port released on close");
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void hostileDatagramsAreDroppedAndCountedByReason(boolean epoll) throws Exception {
        runtime = new UdpRuntime(1, 0, epoll);
        Counters cb = new Counters();
        ClusterKey key = ClusterKey.parse("0123456789abcdef-cluster").orElseThrow();
        MessageCodec keyed = new MessageCodec(Optional.of(key), Duration.ofSeconds(30));
        UdpEndpoint b = endpoint("b", keyed, cb);
        assertTrue(b.tryBind(0));
        BlockingQueue<Message> got = new ArrayBlockingQueue<>(10);
        b.receiver((from, m) -> got.add(m));
        InetSocketAddress to = new InetSocketAddress(LOOPBACK, b.port());
        try (DatagramSocket raw = new DatagramSocket(0, LOOPBACK)) {
            raw.send(new DatagramPacket(new byte[DhtLimits.MAX_DATAGRAM_BYTES + 500], DhtLimits.MAX_DATAGRAM_BYTES + 500, to));
            byte[] junk = {1, 2, 3, 4, 5};
            raw.send(new DatagramPacket(junk, junk.length, to));
            byte[] unauth = MessageCodec.plain().encode(ping(1), System.currentTimeMillis());
            raw.send(new DatagramPacket(unauth, unauth.length, to));
            byte[] stale = keyed.encode(ping(2), System.currentTimeMillis() - 120_000);
            raw.send(new DatagramPacket(stale, stale.length, to));
            byte[] otherRelease = keyed.encode(ping(4), System.currentTimeMillis());
            otherRelease[1] = MessageCodec.VERSION - 1; // a node of the previous wire format
            raw.send(new DatagramPacket(otherRelease, otherRelease.length, to));
            byte[] good = keyed.encode(ping(3), System.currentTimeMillis());
            raw.send(new DatagramPacket(good, good.length, to));
        }
        assertEquals(3, got.poll(5, TimeUnit.SECONDS).txid());
        await(() -> cb.get(Counter.DATAGRAMS_IN) == 6, "6 datagrams");
        assertEquals(1, cb.get(Counter.DROPPED_OVERSIZED));
        assertEquals(1, cb.get(Counter.DROPPED_MALFORMED));
        assertEquals(1, cb.get(Counter.DROPPED_BAD_MAC));
        assertEquals(1, cb.get(Counter.DROPPED_STALE_TIMESTAMP));
        assertEquals(1, cb.get(Counter.DROPPED_WRONG_VERSION));
        assertTrue(b.isBound());
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void executorSchedulesCancelsAndSurvivesFailingTasks(boolean epoll) throws Exception {
        runtime = new UdpRuntime(1, 0, epoll);
        UdpEndpoint a = endpoint("a", MessageCodec.plain(), new Counters());
        EngineExecutor ex = a.executor();
        long t0 = ex.nowMillis();
        CountDownLatch ran = new CountDownLatch(1);
        AtomicBoolean cancelledRan = new AtomicBoolean();
        ex.execute(() -> {
            throw new IllegalStateException("boom");
        });
        EngineExecutor.Cancellable c = ex.schedule(() -> cancelledRan.set(true), 50);
        c.cancel();
        c.cancel();
        ex.schedule(() -> {
            assertTrue(ex.inEngineThread());
            ran.countDown();
        }, 100);
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertTrue(ex.nowMillis() - t0 >= 100);
        assertFalse(cancelledRan.get());
        assertFalse(ex.inEngineThread());
        assertEquals(1, a.transportErrors());
        assertTrue(Math.abs(ex.wallMillis() - System.currentTimeMillis()) < 1000);
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void sendFailuresAreCountedNotThrown(boolean epoll) {
        runtime = new UdpRuntime(1, 0, epoll);
        Counters ca = new Counters();
        UdpEndpoint a = endpoint("a", MessageCodec.plain(), ca);
        a.send(new InetSocketAddress(LOOPBACK, 9), ping(1)); // not bound yet
        a.send(InetSocketAddress.createUnresolved("nowhere.invalid", 9), ping(1));
        assertTrue(a.tryBind(0));
        a.send(new InetSocketAddress(LOOPBACK, 9), new Message.FindNode(1, ping(1).from(), new byte[3])); // invalid
        assertEquals(3, ca.get(Counter.DROPPED_SEND_FAILED));
    }

    /**
     * A socket with datagrams queued reads a batch of them before its event loop turns to other
     * work: a task that the first datagram's handler queues runs after the whole burst, not
     * between its first and second datagram (which is what one datagram per read did).
     */
    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void aBurstQueuedAtASocketIsReadBeforeTheLoopTurnsToOtherWork(boolean epoll) throws Exception {
        runtime = new UdpRuntime(1, 256 * 1024, epoll);
        UdpEndpoint b = endpoint("b", MessageCodec.plain(), new Counters());
        assertTrue(b.tryBind(0));
        int burst = UdpEndpoint.DATAGRAMS_PER_READ;
        List<String> order = new java.util.ArrayList<>(); // event loop only
        CountDownLatch done = new CountDownLatch(1);
        b.receiver((from, m) -> {
            order.add("datagram " + m.txid());
            if (order.size() == 1) {
                b.executor().execute(() -> order.add("task"));
            }
            if (m.txid() == burst) {
                b.executor().execute(done::countDown);
            }
        });
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        b.executor().execute(() -> { // the loop is busy while the burst queues in the socket
            busy.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // Send only once the loop is inside that task: before, the loop could still be in its poll,
        // read the first datagrams of the burst as they arrived, and only then start the task, so
        // the handler's task queued behind it ran between datagram 2 and 3 (a fresh-check saw it).
        assertTrue(busy.await(10, TimeUnit.SECONDS), "the event loop never ran the blocking task");
        try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
            for (int i = 1; i <= burst; i++) {
                byte[] d = MessageCodec.plain().encode(ping(i), System.currentTimeMillis());
                client.send(new DatagramPacket(d, d.length, LOOPBACK, b.port()));
            }
        }
        release.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS), "burst not delivered");
        List<String> seen = new java.util.ArrayList<>();
        CountDownLatch read = new CountDownLatch(1);
        b.executor().execute(() -> {
            seen.addAll(order);
            read.countDown();
        });
        assertTrue(read.await(5, TimeUnit.SECONDS));
        assertEquals(burst + 1, seen.size(), seen.toString());
        assertEquals("task", seen.get(burst), "the handler's task ran inside the burst: " + seen);
    }
}
