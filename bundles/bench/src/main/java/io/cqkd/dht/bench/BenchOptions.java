package io.cqkd.dht.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line options of {@code cqkd-bench}. Defaults are the peers' workload
 * ({@code ../shared/peers/README.md}): 1000 nodes, 2 seeds, batches of 50 joiners 0.2 s apart,
 * 200 puts and gets with at most 10 in flight, 30 s per operation, 120 s per phase.
 *
 * @param nodes           total nodes including the bootstrap nodes
 * @param topology        network shape
 * @param seeds           flat: number of seed nodes
 * @param puts            values put
 * @param gets            gets of the put keys (cycled when more than puts)
 * @param lookups         lookups of random keys, checked against global knowledge
 * @param json            report file, or null
 * @param seedRandom      seed of every random choice (node ids, values, op nodes)
 * @param threads         event-loop threads (0 = one per core, as the container)
 * @param k               bucket size (ready = k/2 contacts)
 * @param batchSize       joiners created per batch
 * @param batchIntervalMs pause after a batch was created before the next one starts
 * @param joinTimeoutS    bound of the join phase
 * @param phaseTimeoutS   bound of each operation phase
 * @param opTimeoutS      bound of one operation
 * @param inflight        operations in flight at most
 * @param progress        print the progress line on stderr
 */
public record BenchOptions(int nodes, Topology topology, int seeds, int puts, int gets, int lookups, Path json,
                           long seedRandom, int threads, int k, int batchSize, long batchIntervalMs,
                           long joinTimeoutS, long phaseTimeoutS, long opTimeoutS, int inflight, boolean progress) {

    /** Usage text for {@code --help}. */
    public static final String USAGE = String.join("\n",
            "usage: cqkd-bench [options]",
            "  Runs a whole DHT network in this JVM on loopback UDP (production engine, codec, Netty transport, tier",
            "  agent, and the container's default selection strategy, adaptive, on every node), measures join,",
            "  put/get, lookups and cost, prints the figures and optionally writes a JSON report.",
            "  --nodes N              nodes including bootstrap nodes (default 1000)",
            "  --topology T           flat | two-level | three-level (default flat; two-level: supers + regionals,",
            "                         workers join a regional of their region; three-level: + locals, workers join a local)",
            "  --seeds S              flat: seed nodes every joiner bootstraps off (default 2)",
            "  --puts P               values put from random non-seed nodes (default 200)",
            "  --gets G               gets of those keys from other random non-seed nodes (default 200)",
            "  --lookups L            lookups of random keys checked against the true closest node (default 200)",
            "  --json FILE            write the JSON report to FILE",
            "  --seed-random R        seed of all random choices: node ids, values, op nodes (default 1)",
            "  --threads T            event-loop threads, 0 = one per core (default 0)",
            "  --k K                  bucket size; a node is ready at k/2 contacts (default 20)",
            "  --batch-size B         joiners created per batch (default 50)",
            "  --batch-interval-ms M  pause after each batch (default 200)",
            "  --join-timeout-s S     join phase bound (default 120)",
            "  --phase-timeout-s S    bound of each operation phase (default 120)",
            "  --op-timeout-s S       bound of one operation (default 30)",
            "  --inflight F           operations in flight at most (default 10)",
            "  --no-progress          no progress line on stderr",
            "  --help                 this text",
            "Exit status: 0 run complete (the figures say how well), 2 invalid options, 3 run failed or watchdog.");

    /** Refuses nonsense with a one-line message. */
    public BenchOptions {
        if (nodes < 1 || nodes > 60_000) {
            throw new IllegalArgumentException("--nodes must be 1..60000, got " + nodes);
        }
        if (seeds < 1 || seeds > nodes) {
            throw new IllegalArgumentException("--seeds must be 1..nodes (" + nodes + "), got " + seeds);
        }
        if (puts < 0 || gets < 0 || lookups < 0) {
            throw new IllegalArgumentException("--puts, --gets and --lookups must not be negative");
        }
        if (gets > 0 && puts == 0) {
            throw new IllegalArgumentException("--gets needs at least one put");
        }
        if (threads < 0 || threads > 1024) {
            throw new IllegalArgumentException("--threads must be 0..1024, got " + threads);
        }
        if (k < 1 || k > 64) {
            throw new IllegalArgumentException("--k must be 1..64, got " + k);
        }
        if (batchSize < 1 || batchIntervalMs < 0 || joinTimeoutS < 1 || phaseTimeoutS < 1 || opTimeoutS < 1
                || inflight < 1) {
            throw new IllegalArgumentException("--batch-size, --join-timeout-s, --phase-timeout-s, --op-timeout-s and "
                    + "--inflight must be positive, --batch-interval-ms not negative");
        }
    }

    /** The defaults (the peers' workload at N=1000). */
    public static BenchOptions defaults() {
        return new BenchOptions(1000, Topology.FLAT, 2, 200, 200, 200, null, 1, 0, 20, 50, 200, 120, 120, 30, 10, true);
    }

    /** Bootstrap nodes of the plan (flat: the seeds). */
    public int bootstrapCount() {
        return seeds;
    }

    /**
     * Parses the command line.
     *
     * @return the options, or null when {@code --help} was given
     * @throws IllegalArgumentException with a one-line reason
     */
    public static BenchOptions parse(String... args) {
        BenchOptions d = defaults();
        int nodes = d.nodes, seeds = d.seeds, puts = d.puts, gets = d.gets, lookups = d.lookups, threads = d.threads;
        int k = d.k, batchSize = d.batchSize, inflight = d.inflight;
        long seedRandom = d.seedRandom, batchIntervalMs = d.batchIntervalMs, joinTimeoutS = d.joinTimeoutS;
        long phaseTimeoutS = d.phaseTimeoutS, opTimeoutS = d.opTimeoutS;
        Topology topology = d.topology;
        Path json = null;
        boolean progress = true;
        List<String> a = new ArrayList<>(List.of(args));
        for (int i = 0; i < a.size(); i++) {
            String opt = a.get(i);
            String val = null;
            int eq = opt.indexOf('=');
            if (opt.startsWith("--") && eq > 0) {
                val = opt.substring(eq + 1);
                opt = opt.substring(0, eq);
            }
            switch (opt) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--no-progress" -> {
                    progress = false;
                    continue;
                }
                default -> {
                }
            }
            if (val == null) {
                if (i + 1 >= a.size()) {
                    throw new IllegalArgumentException(opt.startsWith("--") ? opt + " needs a value" : "unknown argument '" + opt + "'");
                }
                val = a.get(++i);
            }
            switch (opt) {
                case "--nodes" -> nodes = integer(opt, val);
                case "--topology" -> topology = Topology.parse(val);
                case "--seeds" -> seeds = integer(opt, val);
                case "--puts" -> puts = integer(opt, val);
                case "--gets" -> gets = integer(opt, val);
                case "--lookups" -> lookups = integer(opt, val);
                case "--json" -> json = Path.of(val);
                case "--seed-random" -> seedRandom = longValue(opt, val);
                case "--threads" -> threads = integer(opt, val);
                case "--k" -> k = integer(opt, val);
                case "--batch-size" -> batchSize = integer(opt, val);
                case "--batch-interval-ms" -> batchIntervalMs = longValue(opt, val);
                case "--join-timeout-s" -> joinTimeoutS = longValue(opt, val);
                case "--phase-timeout-s" -> phaseTimeoutS = longValue(opt, val);
                case "--op-timeout-s" -> opTimeoutS = longValue(opt, val);
                case "--inflight" -> inflight = integer(opt, val);
                default -> throw new IllegalArgumentException("unknown option '" + opt + "' (see --help)");
            }
        }
        return new BenchOptions(nodes, topology, seeds, puts, gets, lookups, json, seedRandom, threads, k, batchSize,
                batchIntervalMs, joinTimeoutS, phaseTimeoutS, opTimeoutS, inflight, progress);
    }

    private static int integer(String opt, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " must be an integer, got '" + v + "'");
        }
    }

    private static long longValue(String opt, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " must be an integer, got '" + v + "'");
        }
    }
}
