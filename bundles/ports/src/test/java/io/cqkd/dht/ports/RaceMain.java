package io.cqkd.dht.ports;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.ports.PortAllocationException;
import io.cqkd.dht.api.ports.PortAllocator;
import io.cqkd.dht.api.ports.PortRequest;
import io.cqkd.dht.ports.random.RandomPortAllocator;
import io.cqkd.dht.ports.sequential.SequentialPortAllocator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One "container" of the two-JVM race test: allocates {@code count} worker ports (worker ids
 * 1..count) in {@code first-last} with the given strategy, each bound and held on 127.0.0.1
 * with a real UDP socket, exactly as a node does.
 *
 * <p>Protocol on stdin/stdout: prints {@code READY}, waits for a line (GO), allocates, prints
 * {@code PORT <workerId> <port>} or {@code FAIL <workerId> <reason>} per worker and
 * {@code DONE <ok> <failed> <micros> <failed binds>}, then holds every socket until stdin gives another line
 * (or closes).
 */
public final class RaceMain {
    private RaceMain() {
    }

    public static void main(String[] args) throws IOException {
        int first = Integer.parseInt(args[0]);
        int last = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        String strategyName = args[3];
        String range = first + "-" + last;
        PortAllocationEngine engine = RealUdpPorts.engine(range, first);
        PortAllocator strategy = strategyName.equals("random") ? new RandomPortAllocator(ThreadLocalRandom::current)
                : new SequentialPortAllocator();
        engine.strategyBound(strategy, new StrategyInfo(strategyName, "race", 0, 0));

        RealUdpPorts bindAndHold = new RealUdpPorts();

        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("READY");
        out.flush();
        in.readLine();

        StringBuilder lines = new StringBuilder();
        int ok = 0;
        long start = System.nanoTime();
        for (int id = 1; id <= count; id++) {
            PortRequest request = new PortRequest("worker-" + id, NodeRole.WORKER, OptionalInt.empty(),
                    OptionalInt.of(id), OptionalInt.empty(), Optional.empty());
            try {
                lines.append("PORT ").append(id).append(' ').append(engine.allocate(request, bindAndHold).port())
                        .append('\n');
                ok++;
            } catch (PortAllocationException e) {
                lines.append("FAIL ").append(id).append(' ').append(e.getMessage()).append('\n');
            }
        }
        long micros = (System.nanoTime() - start) / 1000;
        out.print(lines);
        out.println("DONE " + ok + " " + (count - ok) + " " + micros + " " + bindAndHold.failedBinds());
        out.flush();
        in.readLine();
        bindAndHold.closeAll();
    }
}
