package io.cqkd.dht.bench.jmh;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.WireContact;
import io.cqkd.dht.core.wire.WireValue;
import io.cqkd.dht.core.wire.codec.ClusterKey;
import io.cqkd.dht.core.wire.codec.MessageCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * The wire codec's hot path: every datagram a node sends is one {@code encode}, every one it
 * receives one {@code decode}. A Nodes response with k=20 contacts is the largest frequent message
 * (every FindNode and every FindValue miss is answered with one); a Store carries a value. Run:
 * {@code bundles/bench/jmh.sh CodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    /** "plain": no cluster key; "mac": HMAC-SHA256 envelope with timestamp. */
    @Param({"plain", "mac"})
    public String auth;

    private MessageCodec codec;
    private Message nodes;
    private Message store;
    private byte[] nodesBytes;
    private byte[] storeBytes;
    private long now;

    @Setup
    public void setup() throws Exception {
        Random r = new Random(42);
        codec = auth.equals("mac")
                ? new MessageCodec(ClusterKey.parse("benchmark-cluster-key-0123456789"), Duration.ofSeconds(30))
                : MessageCodec.plain();
        Peer self = new Peer(bytes(r, 20), NodeRole.WORKER, "", List.of());
        List<WireContact> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add(new WireContact(bytes(r, 20), new byte[] {127, 0, 0, 1}, 20000 + i, NodeRole.WORKER, "", List.of()));
        }
        nodes = new Message.Nodes(r.nextLong(), self, twenty);
        byte[] value = bytes(r, 32);
        StringBuilder hex = new StringBuilder("\"");
        for (byte b : value) {
            hex.append(String.format("%02x", b));
        }
        store = new Message.Store(r.nextLong(), self, bytes(r, 20),
                new WireValue(hex.substring(1), hex.append('"').toString(), 1, 3_600_000, bytes(r, 20), false));
        now = System.currentTimeMillis();
        nodesBytes = codec.encode(nodes, now);
        storeBytes = codec.encode(store, now);
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Benchmark
    public byte[] encodeNodes20() throws Exception {
        return codec.encode(nodes, now);
    }

    @Benchmark
    public Message decodeNodes20() throws Exception {
        return codec.decode(nodesBytes, now);
    }

    @Benchmark
    public byte[] encodeStore() throws Exception {
        return codec.encode(store, now);
    }

    @Benchmark
    public Message decodeStore() throws Exception {
        return codec.decode(storeBytes, now);
    }
}
