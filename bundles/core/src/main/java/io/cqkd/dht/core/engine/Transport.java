package io.cqkd.dht.core.engine;

import io.cqkd.dht.core.wire.Message;
import java.net.InetSocketAddress;

/**
 * Sends messages for one node. Implemented by the Netty UDP adapter (encode, MAC, datagram) and
 * by the in-memory simulator. Must not block; a send that cannot be done is dropped and counted.
 */
public interface Transport {
    /** Sends {@code message} to {@code to}; fire-and-forget (UDP semantics). */
    void send(InetSocketAddress to, Message message);
}
