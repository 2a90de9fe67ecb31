package io.cqkd.dht.ports;

import io.cqkd.dht.api.ports.PortBinder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For {@link PortAllocationBenchmark} and {@link RaceMain}: an engine over one worker range, and a
 * binder that binds each port with a real UDP socket on 127.0.0.1 and holds it, exactly as a node
 * does, counting the ports it found taken.
 */
final class RealUdpPorts implements PortBinder {
    private final List<DatagramChannel> held = new ArrayList<>();
    private int failedBinds;

    /** An engine whose worker range and allowed ranges are {@code range}, with BASE_PORT {@code first}. */
    static PortAllocationEngine engine(String range, int first) {
        return new PortAllocationEngine(PortSettings.from(Map.of(
                PortSettings.RANGE_WORKER, range, PortSettings.ALLOWED_RANGES, range,
                PortSettings.BASE_PORT, Integer.toString(first)), Map.of()), Clock.systemUTC());
    }

    @Override
    public boolean tryBind(int port) {
        try {
            DatagramChannel ch = DatagramChannel.open();
            try {
                ch.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException taken) {
                failedBinds++;
                ch.close();
                return false;
            }
            held.add(ch);
            return true;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many ports were found taken. */
    int failedBinds() {
        return failedBinds;
    }

    /** Closes every held socket. */
    void closeAll() throws IOException {
        for (DatagramChannel ch : held) {
            ch.close();
        }
    }
}
