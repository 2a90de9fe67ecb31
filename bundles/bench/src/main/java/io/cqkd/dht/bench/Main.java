package io.cqkd.dht.bench;

import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code cqkd-bench}: see {@link BenchOptions#USAGE} and docs/benchmarks.md. Exit status 0 when
 * the run completed (whatever the figures), 2 for invalid options or a topology the nodes cannot form, 3
 * when the run failed or the watchdog stopped it.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // the engine logs a few INFO lines per node; at 10,000 nodes that is noise and CPU: WARN unless asked
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        BenchOptions o;
        NetworkPlan plan;
        try {
            o = BenchOptions.parse(args);
            if (o == null) {
                out.println(BenchOptions.USAGE);
                return 0;
            }
            plan = NetworkPlan.of(o);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            err.println("cqkd-bench: " + e.getMessage());
            return 2;
        }
        long bound = o.joinTimeoutS() + 3 * (o.phaseTimeoutS() + o.opTimeoutS()) + 120;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(bound * 1000);
                err.println("\ncqkd-bench: watchdog: the run exceeded " + bound + " s, stopping");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // run finished
            }
        }, "cqkd-bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try (Progress progress = new Progress(err, o.progress(), System.console() != null).start()) {
            Results r = new BenchRun(o, plan, progress).run();
            progress.close();
            out.print(Report.text(r));
            if (o.json() != null) {
                Report.write(r, o.json());
                out.println("  report   " + o.json().toAbsolutePath());
            }
            return 0;
        } catch (IOException e) {
            err.println("cqkd-bench: cannot write the report: " + e.getMessage());
            return 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("cqkd-bench: interrupted");
            return 3;
        } catch (RuntimeException e) {
            err.println("cqkd-bench: run failed: " + e);
            return 3;
        } finally {
            watchdog.interrupt();
        }
    }
}
