package io.cqkd.dht.core.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import java.io.IOException;
import java.net.InetSocketAddress;
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

    /**
     * An epoll datagram channel whose socket is created and bound on the calling thread (the
     * channel is active at once and must still be registered on a loop).
     */
    static DatagramChannel newBoundChannel(InternetProtocolFamily family, InetSocketAddress local,
                                           int receiveBufferBytes) throws IOException {
        LinuxSocket socket = LinuxSocket.newSocketDgram(family);
        try {
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.bind(local);
            return new EpollDatagramChannel(socket.intValue());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
