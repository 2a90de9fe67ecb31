package io.cqkd.dht.core.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import java.util.concurrent.ThreadFactory;

/**
 * Every reference to Netty's epoll classes, kept in one class so the rest of the transport loads
 * when they are absent: the bundle imports {@code io.netty.channel.epoll} optionally, and this
 * class is only touched after {@link #available()} said yes.
 */
final class EpollSupport {
    private EpollSupport() {
    }

    /** True when the epoll classes and the native library are present. */
    static boolean available() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError e) { // package not wired or native fragment missing
            return false;
        }
    }

    static EventLoopGroup newGroup(int threads, ThreadFactory tf) {
        return new EpollEventLoopGroup(threads, tf);
    }

    static DatagramChannel newChannel(InternetProtocolFamily family) {
        return new EpollDatagramChannel(family);
    }
}
