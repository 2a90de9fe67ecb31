package io.cqkd.dht.ports;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.ports.PortAllocator;
import io.cqkd.dht.api.ports.PortLease;
import io.cqkd.dht.api.ports.PortRequest;
import io.cqkd.dht.ports.random.RandomPortAllocator;
import io.cqkd.dht.ports.sequential.SequentialPortAllocator;
import io.cqkd.dht.ports.slot.SlotPortAllocator;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Benchmark (not a test): allocates and binds N worker ports (default 1000) on 127.0.0.1 with
 * each strategy, through real UDP bind-and-hold, first on an empty range, then on a crowded one
 * where another "container" (sockets this process holds outside the registry) already has every
 * other port. Prints the time per allocation. See docs/ports.md for the command line.
 */
public final class PortAllocationBenchmark {
    private PortAllocationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int size = 2 * n;
        int first = freeRange(size);
        System.out.printf("range %d-%d (%d ports), %d allocations per run, UDP bind-and-hold on 127.0.0.1%n",
                first, first + size - 1, size, n);
        System.out.printf("%-10s %-8s %10s %12s %12s%n", "strategy", "host", "total ms", "us/alloc", "failed binds");
        for (String strategy : List.of("sequential", "slot", "random")) {
            for (boolean crowded : new boolean[] {false, true}) {
                run(strategy, crowded, first, size, n);
            }
        }
    }

    private static void run(String strategy, boolean crowded, int first, int size, int n) throws Exception {
        List<DatagramChannel> foreign = new ArrayList<>();
        if (crowded) {
            for (int p = first; p < first + size; p += 2) {
                DatagramChannel ch = DatagramChannel.open();
                ch.bind(new InetSocketAddress("127.0.0.1", p));
                foreign.add(ch);
            }
        }
        String range = first + "-" + (first + size - 1);
        PortAllocationEngine engine = RealUdpPorts.engine(range, first);
        PortAllocator allocator = switch (strategy) {
            case "slot" -> new SlotPortAllocator();
            case "random" -> new RandomPortAllocator(ThreadLocalRandom::current);
            default -> new SequentialPortAllocator();
        };
        engine.strategyBound(allocator, new StrategyInfo(strategy, "bench", 0, 0));
        RealUdpPorts bindAndHold = new RealUdpPorts();
        List<PortLease> leases = new ArrayList<>();
        long start = System.nanoTime();
        for (int id = 1; id <= n; id++) {
            leases.add(engine.allocate(new PortRequest("worker-" + id, NodeRole.WORKER, OptionalInt.empty(),
                    OptionalInt.of(id), OptionalInt.of(id), Optional.empty()), bindAndHold));
        }
        long nanos = System.nanoTime() - start;
        System.out.printf("%-10s %-8s %10.1f %12.1f %12d%n", strategy, crowded ? "crowded" : "empty",
                nanos / 1e6, nanos / 1e3 / n, bindAndHold.failedBinds());
        leases.forEach(PortLease::close);
        bindAndHold.closeAll();
        for (DatagramChannel ch : foreign) {
            ch.close();
        }
    }

    private static int freeRange(int size) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int start = ThreadLocalRandom.current().nextInt(20_000, 32_000 - size);
            boolean free = true;
            for (int p = start; p < start + size && free; p++) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(new InetSocketAddress("127.0.0.1", p));
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return start;
            }
        }
        throw new IOException("no free range of " + size + " UDP ports on 127.0.0.1 in 20000-32000");
    }
}
