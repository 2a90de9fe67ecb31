package io.cqkd.dht.core.netty;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty event loops shared by every node of a container: epoll when the native transport is
 * available, NIO otherwise, with a small fixed number of daemon threads. Each node's socket is
 * registered on one loop ({@link #nextLoop()}, round robin) and its engine runs on that loop's
 * thread, so 10,000 nodes share a handful of threads.
 *
 * <p>Plain Java: the OSGi runtime component creates one per container, tests create their own.
 */
public final class UdpRuntime implements AutoCloseable {
    /** Default socket receive buffer: room for ~100 full-size datagrams per node without wasting kernel memory at 10,000 nodes. */
    public static final int DEFAULT_RECEIVE_BUFFER_BYTES = 256 * 1024;
    /** Default socket receive buffer of bootstrap nodes (super, regional, local), which absorb bursts of joiners. */
    public static final int DEFAULT_BOOTSTRAP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(UdpRuntime.class);

    private final EventLoopGroup group;
    private final boolean epoll;
    private final int threads;
    private final int receiveBufferBytes;

    /**
     * Starts the loops.
     *
     * @param threads            event-loop threads; 0 means one per available processor
     * @param receiveBufferBytes SO_RCVBUF of each node's socket; 0 leaves the OS default
     * @param preferEpoll        use epoll when available (false forces NIO)
     */
    public UdpRuntime(int threads, int receiveBufferBytes, boolean preferEpoll) {
        if (threads < 0 || threads > 1024) {
            throw new IllegalArgumentException("threads must be 0..1024, got " + threads);
        }
        if (receiveBufferBytes < 0) {
            throw new IllegalArgumentException("receiveBufferBytes must not be negative");
        }
        this.threads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        this.receiveBufferBytes = receiveBufferBytes;
        this.epoll = preferEpoll && epollAvailable();
        DefaultThreadFactory tf = new DefaultThreadFactory("cqkd-udp", true);
        this.group = epoll ? EpollSupport.newGroup(this.threads, tf) : new NioEventLoopGroup(this.threads, tf);
        LOG.info("event=udp_runtime_started transport={} threads={} rcvbuf={}",
                epoll ? "epoll" : "nio", this.threads, receiveBufferBytes);
    }

    /** Defaults: one thread per processor, {@link #DEFAULT_RECEIVE_BUFFER_BYTES}, epoll if available. */
    public UdpRuntime() {
        this(0, DEFAULT_RECEIVE_BUFFER_BYTES, true);
    }

    private static boolean epollAvailable() {
        try {
            return EpollSupport.available();
        } catch (LinkageError e) { // io.netty.channel.epoll not wired (optional import)
            return false;
        }
    }

    /** The loop a new node's socket and engine will live on. */
    public EventLoop nextLoop() {
        return group.next();
    }

    /** True when the native epoll transport is used. */
    public boolean epoll() {
        return epoll;
    }

    /** Number of event-loop threads. */
    public int threads() {
        return threads;
    }

    /** SO_RCVBUF for node sockets (0 = OS default). */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** True once {@link #close()} has been called. */
    public boolean isClosed() {
        return group.isShuttingDown();
    }

    /** Stops the loops; nodes must have closed their endpoints first. Waits up to 5 s. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        LOG.info("event=udp_runtime_stopped");
    }
}
