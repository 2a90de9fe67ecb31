package io.cqkd.dht.core.sim;

import io.cqkd.dht.core.engine.EngineExecutor;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A virtual-time {@link EngineExecutor} shared by every simulated node: a priority queue of tasks
 * by due time, FIFO among equal times. Time only moves when the driving test runs the queue, so a
 * simulation is deterministic and an hour of virtual time costs only the work done in it. The
 * thread that created the scheduler is the engine thread of every node; other threads must not
 * touch it.
 */
public final class SimScheduler implements EngineExecutor {
    /** Wall-clock origin of virtual time (an arbitrary fixed date, so runs are reproducible). */
    public static final long WALL_ORIGIN = 1_700_000_000_000L;

    private static final class Task implements Cancellable, Comparable<Task> {
        final long due;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(long due, long seq, Runnable body) {
            this.due = due;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final Thread owner = Thread.currentThread();
    private long now;
    private long seq;
    private long executed;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public long wallMillis() {
        return WALL_ORIGIN + now;
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, 0);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("the simulator is single-threaded");
        }
        Task t = new Task(now + Math.max(0, delayMillis), seq++, task);
        queue.add(t);
        return t;
    }

    @Override
    public boolean inEngineThread() {
        return Thread.currentThread() == owner;
    }

    /** Runs the next task; false when the queue is empty. */
    public boolean runOne() {
        Task t;
        do {
            t = queue.poll();
            if (t == null) {
                return false;
            }
        } while (t.cancelled);
        now = t.due;
        executed++;
        t.body.run();
        return true;
    }

    /** Runs every task due within the next {@code millis}, then sets the clock to that time. */
    public void runFor(long millis) {
        long end = now + millis;
        while (true) {
            Task t = queue.peek();
            if (t == null || t.due > end) {
                break;
            }
            runOne();
        }
        now = end;
    }

    /**
     * Runs tasks until {@code condition} holds or {@code maxMillis} of virtual time passed;
     * returns whether it holds.
     */
    public boolean runUntil(BooleanSupplier condition, long maxMillis) {
        long end = now + maxMillis;
        if (condition.getAsBoolean()) {
            return true;
        }
        // The condition is evaluated each time virtual time moves (not after every task), so an
        // expensive condition does not dominate the run; the result stays deterministic.
        long checkedAt = now;
        while (true) {
            Task t = queue.peek();
            if (t == null || t.due > end) {
                now = Math.max(now, end);
                return condition.getAsBoolean();
            }
            if (t.due != checkedAt) {
                if (condition.getAsBoolean()) {
                    return true;
                }
                checkedAt = t.due;
            }
            runOne();
        }
    }

    /** Tasks run so far. */
    public long executed() {
        return executed;
    }

    /** Tasks waiting (cancelled ones included until they come up). */
    public int queued() {
        return queue.size();
    }
}
