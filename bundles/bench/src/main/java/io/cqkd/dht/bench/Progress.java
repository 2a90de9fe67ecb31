package io.cqkd.dht.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line on stderr: rewritten in place ({@code \r}) on a terminal, one line per second
 * otherwise. Updated from any thread; printed by one daemon thread.
 */
public final class Progress implements AutoCloseable {
    private final PrintStream out;
    private final boolean enabled;
    private final boolean inPlace;
    private final long start = System.nanoTime();
    private volatile String phase = "start";
    private volatile int created;
    private volatile int total;
    private volatile int ready;
    private volatile int opsDone;
    private volatile int opsTotal;
    private volatile int opsOk;
    private volatile boolean closed;
    private Thread thread;

    /** A progress line on {@code out}; {@code enabled=false} prints nothing. */
    public Progress(PrintStream out, boolean enabled, boolean inPlace) {
        this.out = out;
        this.enabled = enabled;
        this.inPlace = inPlace;
    }

    /** Starts the printer thread. */
    public Progress start() {
        if (enabled) {
            thread = new Thread(this::loop, "cqkd-bench-progress");
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    /** Enters a phase. */
    public void phase(String p) {
        phase = p;
        opsDone = 0;
        opsOk = 0;
        opsTotal = 0;
    }

    /** Join progress. */
    public void join(int created, int total, int ready) {
        this.created = created;
        this.total = total;
        this.ready = ready;
    }

    /** Operation progress of the current phase. */
    public void ops(int done, int total, int ok) {
        this.opsDone = done;
        this.opsTotal = total;
        this.opsOk = ok;
    }

    /** The line as it would be printed now. */
    String line() {
        double t = (System.nanoTime() - start) / 1e9;
        String ops = opsTotal == 0 ? "" : String.format(Locale.ROOT, " | %s %d/%d ok %d", phase, opsDone, opsTotal, opsOk);
        return String.format(Locale.ROOT, "[%6.1fs] %-9s nodes %d/%d ready %d%s", t, phase, created, total, ready, ops);
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            if (inPlace) {
                out.print("\r" + line() + "\u001b[K");
            } else {
                out.println(line());
            }
            out.flush();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
            if (inPlace) {
                out.print("\r" + line() + "\u001b[K\n");
                out.flush();
            }
        }
    }
}
