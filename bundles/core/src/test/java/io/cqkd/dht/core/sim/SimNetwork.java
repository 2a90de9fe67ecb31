package io.cqkd.dht.core.sim;

import io.cqkd.dht.core.engine.Counters;
import io.cqkd.dht.core.engine.KademliaNode;
import io.cqkd.dht.core.engine.Transport;
import io.cqkd.dht.core.wire.Message;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An in-memory datagram network: delivers messages to nodes' {@link KademliaNode#onMessage} after
 * a random latency, losing each one with a configurable probability, all from one seeded random.
 * Messages travel as objects; a {@link Codec} hook can encode and decode them on the way (the
 * wire codec plugs in there) and drop what fails to decode.
 */
public final class SimNetwork {
    /** Transforms a message in flight; returns null to drop it. Identity by default. */
    @FunctionalInterface
    public interface Codec {
        Message roundTrip(Message m);
    }

    private final SimScheduler scheduler;
    private final SplittableRandom random;
    private long minLatencyMillis;
    private long maxLatencyMillis;
    private final Map<InetSocketAddress, KademliaNode> nodes = new HashMap<>();
    private final Map<InetSocketAddress, Counters> counters = new HashMap<>();
    private volatile double loss;
    private Codec codec = m -> m;
    private Link link = (from, to, message) -> true;
    private long sent;
    private long lost;
    private long delivered;

    /**
     * A network.
     *
     * @param scheduler        virtual time
     * @param seed             seed of latency and loss draws
     * @param minLatencyMillis one-way latency lower bound
     * @param maxLatencyMillis one-way latency upper bound
     * @param loss             probability that a datagram is lost, 0..1
     */
    public SimNetwork(SimScheduler scheduler, long seed, long minLatencyMillis, long maxLatencyMillis, double loss) {
        this.scheduler = scheduler;
        this.random = new SplittableRandom(seed);
        this.minLatencyMillis = minLatencyMillis;
        this.maxLatencyMillis = maxLatencyMillis;
        this.loss = loss;
    }

    /** Sets the codec hook. */
    public void setCodec(Codec codec) {
        this.codec = codec;
    }

    /**
     * Sets which links carry datagrams: a datagram from {@code from} to {@code to} is dropped (counted
     * as lost) when the predicate is false at send time. All links up by default; partitions use it.
     */
    public void setLink(Link link) {
        this.link = link == null ? (from, to, message) -> true : link;
    }

    /** Which datagrams a link carries (a partition, or a probe that records traffic). */
    @FunctionalInterface
    public interface Link {
        boolean carries(InetSocketAddress from, InetSocketAddress to, Message message);
    }

    /** Changes the one-way latency bounds of the datagrams sent from now on (congestion, recovery). */
    public void setLatency(long minLatencyMillis, long maxLatencyMillis) {
        this.minLatencyMillis = minLatencyMillis;
        this.maxLatencyMillis = maxLatencyMillis;
    }

    /** Changes the loss probability. */
    public void setLoss(double loss) {
        this.loss = loss;
    }

    /** The transport of the node at {@code self}. */
    public Transport transportFor(InetSocketAddress self, Counters nodeCounters) {
        counters.put(self, nodeCounters);
        return (to, message) -> send(self, to, message);
    }

    /** Attaches a node at {@code address}: messages to the address are delivered to it. */
    public void attach(InetSocketAddress address, KademliaNode node) {
        nodes.put(address, node);
    }

    /** Detaches the node at {@code address}: messages to it vanish (it is dead or partitioned). */
    public void detach(InetSocketAddress address) {
        nodes.remove(address);
    }

    /** Injects a message as if {@code from} had sent it to {@code to} (for hostile-input tests). */
    public void inject(InetSocketAddress from, InetSocketAddress to, Message message) {
        send(from, to, message);
    }

    private void send(InetSocketAddress from, InetSocketAddress to, Message message) {
        sent++;
        Counters c = counters.get(from);
        if (c != null) {
            c.increment(Counters.Counter.DATAGRAMS_OUT);
        }
        if (!link.carries(from, to, message) || (loss > 0 && random.nextDouble() < loss)) {
            lost++;
            return;
        }
        long latency = minLatencyMillis + (maxLatencyMillis > minLatencyMillis
                ? random.nextLong(maxLatencyMillis - minLatencyMillis + 1) : 0);
        scheduler.schedule(() -> {
            KademliaNode node = nodes.get(to);
            if (node == null) {
                return;
            }
            Message decoded = codec.roundTrip(message);
            Counters rc = counters.get(to);
            if (rc != null) {
                rc.increment(Counters.Counter.DATAGRAMS_IN);
            }
            if (decoded == null) {
                if (rc != null) {
                    rc.increment(Counters.Counter.DROPPED_MALFORMED);
                }
                return;
            }
            delivered++;
            if (rc != null) {
                rc.received(decoded);
            }
            node.onMessage(from, decoded);
        }, latency);
    }

    /** Datagrams sent. */
    public long sent() {
        return sent;
    }

    /** Datagrams lost on purpose. */
    public long lost() {
        return lost;
    }

    /** Datagrams delivered. */
    public long delivered() {
        return delivered;
    }
}
