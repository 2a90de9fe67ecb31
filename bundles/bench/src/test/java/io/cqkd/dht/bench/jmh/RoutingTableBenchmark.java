package io.cqkd.dht.bench.jmh;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.core.engine.RoutingTable;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The routing table's hot path: every valid message {@code observe}s its sender (mostly a move to
 * the tail of a known contact's bucket), every FindNode/FindValue request is answered from
 * {@code closest(target, k+1)}. The table is filled from a network of {@code networkSize} random ids,
 * as a node of such a network holds it. Run: {@code bundles/bench/jmh.sh RoutingTableBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingTableBenchmark {
    @Param({"1000", "10000"})
    public int networkSize;

    private RoutingTable table;
    private Contact[] known;
    private Contact[] network;
    private NodeId[] targets;
    private int i;
    private long now;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(7);
        NodeId self = id(r);
        table = new RoutingTable(self, 20, 8, 0);
        network = new Contact[networkSize];
        for (int j = 0; j < networkSize; j++) {
            network[j] = new Contact(id(r), new InetSocketAddress("127.0.0.1", 20000 + j % 40000), NodeRecord.WORKER);
            table.observe(network[j], 0);
        }
        List<Contact> all = table.all();
        known = all.toArray(new Contact[0]);
        targets = new NodeId[1024];
        for (int j = 0; j < targets.length; j++) {
            targets[j] = id(r);
        }
        now = 1;
    }

    private static NodeId id(SplittableRandom r) {
        byte[] b = new byte[NodeId.BYTES];
        r.nextBytes(b);
        return NodeId.of(b);
    }

    /** A message from a contact already in the table (the common case). */
    @Benchmark
    public Object observeKnown() {
        Contact c = known[i++ % known.length];
        return table.observe(c, now++);
    }

    /** A message from any node of the network (mostly full buckets: replacement cache / pending). */
    @Benchmark
    public Object observeAny() {
        Contact c = network[i++ % network.length];
        return table.observe(c, now++);
    }

    /** The answer to a FindNode: the k+1 closest to a random target. */
    @Benchmark
    public List<Contact> closest21() {
        return table.closest(targets[i++ & 1023], 21);
    }
}
