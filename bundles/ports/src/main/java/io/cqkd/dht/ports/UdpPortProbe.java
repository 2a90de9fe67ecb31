package io.cqkd.dht.ports;

import io.cqkd.dht.api.ports.PortBinder;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

/**
 * Dry-run probe: binds the UDP port on the wildcard address and closes it at once. Used only to
 * preview; a real allocation goes through the node's own bind-and-hold binder.
 */
public final class UdpPortProbe implements PortBinder {
    @Override
    public boolean tryBind(int port) {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
