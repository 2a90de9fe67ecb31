package io.cqkd.dht.core.netty;

import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.api.ports.PortBinder;
import io.cqkd.dht.core.engine.Counters;
import io.cqkd.dht.core.engine.Counters.Counter;
import io.cqkd.dht.core.engine.Transport;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.codec.DecodeException;
import io.cqkd.dht.core.wire.codec.EncodeException;
import io.cqkd.dht.core.wire.codec.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's UDP socket on the shared {@link UdpRuntime}: the {@link Transport} the engine sends
 * through, the {@link EventLoopExecutor} it runs on (the socket's event loop), and the
 * {@link PortBinder} that port allocation binds with.
 *
 * <p>Inbound path, on the event loop: size check (a datagram longer than
 * {@link DhtLimits#MAX_DATAGRAM_BYTES} is dropped unparsed), decode and authentication by the
 * {@link MessageCodec}, counters, then {@link Receiver#onMessage}. Nothing on this path logs per
 * datagram above DEBUG; failures are counted and at most one WARN line per minute is written.
 * {@code exceptionCaught} counts and keeps the channel open.
 *
 * <p>Life cycle: create, {@link #tryBind(int)} until it returns true (bind-and-hold: the socket
 * stays bound), set the receiver, and finally {@link #close()}.
 */
public final class UdpEndpoint implements Transport, PortBinder, AutoCloseable {
    /** Receives decoded, authenticated messages on the endpoint's event loop. */
    @FunctionalInterface
    public interface Receiver {
        /** One message from {@code from}. */
        void onMessage(InetSocketAddress from, Message message);
    }

    /** Thrown by {@link #tryBind(int)} when binding fails for a reason other than "port in use". */
    public static final class BindFailedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        BindFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(UdpEndpoint.class);
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[DhtLimits.MAX_DATAGRAM_BYTES + 1]);

    private final UdpRuntime runtime;
    private final String name;
    private final InetAddress bindHost;
    private final MessageCodec codec;
    private final Counters counters;
    private final EventLoop loop;
    private final EventLoopExecutor executor;
    private final int receiveBufferBytes;
    private final LongAdder transportErrors = new LongAdder();
    private final LogThrottle warnThrottle = new LogThrottle(60_000);
    private volatile Channel channel;
    private volatile Receiver receiver;
    private volatile boolean closed;
    /** Test seam (fault injection): inbound drop probability; 0 in production. */
    private volatile double inboundLoss;
    /** Test seam (fault injection): inbound delay in ms; 0 in production. */
    private volatile long inboundDelayMillis;

    /**
     * An unbound endpoint on the next loop of {@code runtime}.
     *
     * @param name     node name, for log lines
     * @param bindHost local address to bind (a wildcard address for all interfaces)
     * @param codec    datagram codec (carries the cluster key)
     * @param counters the node's counters
     */
    public UdpEndpoint(UdpRuntime runtime, String name, InetAddress bindHost, MessageCodec codec, Counters counters) {
        this(runtime, name, bindHost, codec, counters, runtime.receiveBufferBytes());
    }

    /**
     * An unbound endpoint with its own socket receive buffer size ({@code SO_RCVBUF}; 0 = OS
     * default), e.g. a larger one for a bootstrap node that absorbs bursts of joiners.
     */
    public UdpEndpoint(UdpRuntime runtime, String name, InetAddress bindHost, MessageCodec codec, Counters counters,
                       int receiveBufferBytes) {
        if (receiveBufferBytes < 0) {
            throw new IllegalArgumentException("receiveBufferBytes must not be negative");
        }
        this.receiveBufferBytes = receiveBufferBytes;
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.name = Objects.requireNonNull(name, "name");
        this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.loop = runtime.nextLoop();
        this.executor = new EventLoopExecutor(loop, this::engineTaskFailed);
    }

    /** The executor the node's engine must run on. */
    public EventLoopExecutor executor() {
        return executor;
    }

    /** Where decoded messages go; until set, messages are dropped uncounted beyond DATAGRAMS_IN. */
    public void receiver(Receiver r) {
        this.receiver = r;
    }

    /** Exceptions seen by the pipeline or thrown by engine tasks (counted, never propagated). */
    public long transportErrors() {
        return transportErrors.sum();
    }

    /** True when the socket is bound and open. */
    public boolean isBound() {
        Channel c = channel;
        return c != null && c.isActive();
    }

    /**
     * Stops ({@code false}) or resumes reading the socket (Netty auto-read). A fault-injection seam
     * for the failover scenarios (a paused process: datagrams queue in the socket buffer and are
     * read late); production code never calls it.
     */
    public void setReading(boolean reading) {
        Channel c = channel;
        if (c != null) {
            c.config().setAutoRead(reading);
        }
    }

    /**
     * Drops each inbound datagram with probability {@code probability} (0-1), before it is decoded
     * or counted. A fault-injection seam for the loss scenarios; production code never calls it
     * (the default 0 costs one volatile read per datagram).
     */
    public void setInboundLoss(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be within 0-1");
        }
        this.inboundLoss = probability;
    }

    /**
     * Hands each inbound datagram to the node {@code millis} ms after it was read (0 = at once): a
     * slow but live node whose answers arrive after the requester's timeout. A fault-injection seam
     * for the failover scenarios; production code never calls it.
     */
    public void setInboundDelayMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("millis must not be negative");
        }
        this.inboundDelayMillis = millis;
    }

    /** The bound local address, or null before binding. */
    public InetSocketAddress localAddress() {
        Channel c = channel;
        return c == null ? null : (InetSocketAddress) c.localAddress();
    }

    /** The bound port, 0 before binding. */
    public int port() {
        InetSocketAddress a = localAddress();
        return a == null ? 0 : a.getPort();
    }

    /**
     * Binds the socket to {@code port} (0 = an ephemeral port) and keeps it. The socket is created
     * and bound on the calling thread (two system calls); its registration with the event loop is
     * queued and not waited for, so a node's start does not wait behind the loop's backlog (at
     * 1000 nodes on two busy loops that wait was ~65 ms per node and stretched the benchmark's
     * start window from 4 s to 6-20 s). Everything the node does with the socket runs on the loop
     * after that registration (tasks of a loop run in order), and a send from another thread is
     * queued behind it too. Must not be called on an event loop.
     *
     * @return true when bound, false when the port is in use
     * @throws BindFailedException for any other failure (address not local, permission ...)
     * @throws IllegalStateException when already bound or closed
     */
    @Override
    public boolean tryBind(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("endpoint " + name + " is closed");
            }
            if (channel != null) {
                throw new IllegalStateException("endpoint " + name + " is already bound to port " + port());
            }
            InternetProtocolFamily family = bindHost instanceof Inet6Address ? InternetProtocolFamily.IPv6
                    : InternetProtocolFamily.IPv4;
            InetSocketAddress local = new InetSocketAddress(bindHost, port);
            Channel c;
            try {
                c = runtime.epoll() ? EpollSupport.newBoundChannel(family, local, receiveBufferBytes)
                        : newBoundNioChannel(family, local, receiveBufferBytes);
            } catch (IOException | RuntimeException e) {
                if (isAddressInUse(e)) {
                    return false;
                }
                throw new BindFailedException("cannot bind " + bindHost.getHostAddress() + ":" + port + ": "
                        + e.getMessage(), e);
            }
            c.config().setRecvByteBufAllocator(RECV_ALLOCATOR);
            c.pipeline().addLast(new Inbound());
            ChannelFuture registered = loop.register(c);
            registered.addListener(f -> {
                if (!f.isSuccess()) {
                    transportErrors.increment();
                    LOG.warn("event=udp_register_failed node={} error=\"{}\"", name, String.valueOf(f.cause()));
                    c.close();
                }
            });
            channel = c;
            LOG.debug("event=udp_bound node={} address={}", name, c.localAddress());
            return true;
        }
    }

    /**
     * Datagrams read from one socket each time it is ready, Netty's own default for datagram
     * channels. An allocator set on a channel brings its own limit, one unless told otherwise, and
     * with one a socket read a single datagram and then waited behind every other socket and task
     * of its event loop for the next: a bootstrap node that hundreds of joiners write to drained
     * its queue a datagram per loop round, answered later than their timeouts and was asked again.
     * A 10,000-node three-level join on two cores: 10-13k RPC timeouts and ready in 49-55 s with
     * one, 0-1 timeouts and ready 0.3-1.0 s after the last joiner started with 16
     * (docs/benchmarks-history.md, "Eleventh session").
     */
    static final int DATAGRAMS_PER_READ = 16;

    /**
     * One receive buffer of the largest datagram plus one byte (to detect a longer one), allocated
     * per read from the pooled allocator and released after it; the allocator object itself is
     * stateless and shared by every endpoint (each channel gets its own small handle from it).
     */
    /**
     * The encoded datagram copied into a (pooled) direct buffer: the socket writes it as it is. A
     * heap buffer was copied into a direct one by the channel anyway, after the codec had copied
     * it into an array of its own.
     */
    private static final MessageCodec.DatagramSink<ByteBufAllocator, ByteBuf> TO_DIRECT_BUFFER =
            (alloc, bytes, length) -> alloc.directBuffer(length, length).writeBytes(bytes, 0, length);

    private static final RecvByteBufAllocator RECV_ALLOCATOR =
            new FixedRecvByteBufAllocator(DhtLimits.MAX_DATAGRAM_BYTES + 1).maxMessagesPerRead(DATAGRAMS_PER_READ);

    /** An NIO datagram channel, its socket bound on the calling thread (see {@link #tryBind}). */
    private static Channel newBoundNioChannel(InternetProtocolFamily family, InetSocketAddress local,
                                              int receiveBufferBytes) throws IOException {
        DatagramChannel ch = DatagramChannel.open(family == InternetProtocolFamily.IPv6
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            if (receiveBufferBytes > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            ch.bind(local);
            return new NioDatagramChannel(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    static boolean isAddressInUse(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("address already in use")) {
                return true;
            }
            if (c instanceof BindException && (m == null || !m.toLowerCase(java.util.Locale.ROOT).contains("assign"))) {
                return true;
            }
        }
        return false;
    }

    /** Encodes and sends; never throws. Failures count as DROPPED_SEND_FAILED. */
    @Override
    public void send(InetSocketAddress to, Message message) {
        Channel c = channel;
        if (c == null || !c.isActive() || to == null || to.isUnresolved()) {
            counters.increment(Counter.DROPPED_SEND_FAILED);
            return;
        }
        ByteBuf datagram;
        try {
            datagram = codec.encode(message, System.currentTimeMillis(), c.alloc(), TO_DIRECT_BUFFER);
        } catch (EncodeException e) {
            counters.increment(Counter.DROPPED_SEND_FAILED);
            warn("event=udp_encode_failed node={} reason=\"{}\"", e.getMessage());
            return;
        }
        int len = datagram.readableBytes();
        c.writeAndFlush(new DatagramPacket(datagram, to)).addListener(f -> {
            if (f.isSuccess()) {
                counters.increment(Counter.DATAGRAMS_OUT);
                counters.add(Counter.BYTES_OUT, len);
            } else {
                counters.increment(Counter.DROPPED_SEND_FAILED);
            }
        });
    }

    /** Closes the socket (waits for it unless called on the loop). Idempotent. */
    @Override
    public void close() {
        Channel c;
        synchronized (this) {
            closed = true;
            c = channel;
        }
        receiver = null;
        if (c != null) {
            ChannelFuture f = c.close();
            if (!loop.inEventLoop()) {
                f.awaitUninterruptibly(5_000);
            }
        }
    }

    private void engineTaskFailed(Throwable t) {
        transportErrors.increment();
        long s = warnThrottle.admit();
        if (s >= 0) {
            LOG.warn("event=engine_task_failed node={} suppressed={} error=\"{}\"", name, s, t.toString(), t);
        }
    }

    private void warn(String format, String detail) {
        long s = warnThrottle.admit();
        if (s >= 0) {
            LOG.warn(format + " suppressed={}", name, detail, s);
        }
    }

    /**
     * A datagram from a node of another release (another wire format): said at WARN, throttled,
     * because it explains a network that does not form.
     */
    private void wrongVersion(DatagramPacket packet) {
        long s = warnThrottle.admit();
        if (s >= 0) {
            ByteBuf c = packet.content();
            LOG.warn("event=udp_wrong_version node={} from={} version={} expected={} suppressed={}", name,
                    packet.sender(), c.getByte(c.readerIndex() + 1) & 0xff, MessageCodec.VERSION, s);
        }
    }

    private void deliver(DatagramPacket packet) {
        ByteBuf content = packet.content();
        int len = content.readableBytes();
        counters.increment(Counter.DATAGRAMS_IN);
        counters.add(Counter.BYTES_IN, len);
        if (len > DhtLimits.MAX_DATAGRAM_BYTES) {
            counters.increment(Counter.DROPPED_OVERSIZED);
            return;
        }
        byte[] buf = SCRATCH.get();
        content.getBytes(content.readerIndex(), buf, 0, len);
        Message m;
        try {
            m = codec.decode(buf, 0, len, System.currentTimeMillis());
        } catch (DecodeException e) {
            counters.increment(counterFor(e.reason()));
            if (e.reason() == DecodeException.Reason.UNSUPPORTED_VERSION) {
                wrongVersion(packet);
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("event=udp_dropped node={} from={} reason={}", name, packet.sender(), e.reason());
            }
            return;
        }
        counters.received(m);
        Receiver r = receiver;
        if (r == null) {
            return;
        }
        try {
            r.onMessage(packet.sender(), m);
        } catch (RuntimeException e) {
            engineTaskFailed(e);
        }
    }

    /** The counter a rejection is counted under. */
    public static Counter counterFor(DecodeException.Reason reason) {
        switch (reason) {
            case OVERSIZED:
                return Counter.DROPPED_OVERSIZED;
            case MISSING_MAC:
            case BAD_MAC:
                return Counter.DROPPED_BAD_MAC;
            case STALE_TIMESTAMP:
                return Counter.DROPPED_STALE_TIMESTAMP;
            case UNSUPPORTED_VERSION:
                return Counter.DROPPED_WRONG_VERSION;
            default:
                return Counter.DROPPED_MALFORMED;
        }
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        Inbound() {
            super(DatagramPacket.class, true);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            double loss = inboundLoss;
            if (loss > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < loss) {
                return;
            }
            long delay = inboundDelayMillis;
            if (delay > 0) {
                packet.retain();
                loop.schedule(() -> {
                    try {
                        deliver(packet);
                    } finally {
                        packet.release();
                    }
                }, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
                return;
            }
            deliver(packet);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // UDP: an error (ICMP unreachable, a failed read) concerns one datagram, never the socket.
            transportErrors.increment();
            long s = warnThrottle.admit();
            if (s >= 0) {
                LOG.warn("event=udp_channel_error node={} suppressed={} error=\"{}\"", name, s, cause.toString());
            }
        }
    }
}
