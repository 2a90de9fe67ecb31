package io.cqkd.dht.core.netty;

import io.cqkd.dht.core.engine.EngineExecutor;
import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link EngineExecutor} over one Netty event loop: the engine of a node runs on the thread of
 * the loop its socket is registered on, so datagrams, timers and API calls are serialised without
 * locks. Monotonic time comes from {@link System#nanoTime()}, wall time from
 * {@link System#currentTimeMillis()}. Tasks submitted after the loop shut down are dropped; a
 * task that throws is reported to {@code onTaskFailure} and the loop keeps running.
 */
public final class EventLoopExecutor implements EngineExecutor {
    private static final long ORIGIN = System.nanoTime();
    private final EventLoop loop;
    private final Consumer<Throwable> onTaskFailure;

    /** An executor on {@code loop}; failures of tasks go to {@code onTaskFailure}. */
    public EventLoopExecutor(EventLoop loop, Consumer<Throwable> onTaskFailure) {
        this.loop = loop;
        this.onTaskFailure = onTaskFailure;
    }

    /** The loop. */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public long nowMillis() {
        return (System.nanoTime() - ORIGIN) / 1_000_000L;
    }

    @Override
    public long wallMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public void execute(Runnable task) {
        try {
            loop.execute(guard(task));
        } catch (RejectedExecutionException e) {
            // the runtime is shutting down: the node is being stopped too
        }
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        try {
            ScheduledFuture<?> f = loop.schedule(guard(task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    @Override
    public boolean inEngineThread() {
        return loop.inEventLoop();
    }

    private Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError vme) {
                    throw vme;
                }
                onTaskFailure.accept(e);
            }
        };
    }
}
