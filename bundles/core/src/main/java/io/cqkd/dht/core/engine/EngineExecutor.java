package io.cqkd.dht.core.engine;

/**
 * The single thread a node's engine runs on, and its clock. Every engine method that touches
 * node state runs on it, so the engine needs no locks. Implemented over a Netty event loop in
 * production and over a virtual-time queue in simulations.
 */
public interface EngineExecutor {
    /** Monotonic engine time in milliseconds (virtual in simulations). */
    long nowMillis();

    /** Wall-clock time in milliseconds since the epoch (value versions, expiry display). */
    long wallMillis();

    /** Runs {@code task} on the engine thread, soon. */
    void execute(Runnable task);

    /** Runs {@code task} on the engine thread after {@code delayMillis}. */
    Cancellable schedule(Runnable task, long delayMillis);

    /** True when the caller is on the engine thread. */
    boolean inEngineThread();

    /** A scheduled task that can be cancelled. */
    interface Cancellable {
        /** Cancels the task if it has not run; idempotent. */
        void cancel();
    }
}
