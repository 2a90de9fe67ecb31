package io.cqkd.dht.shell;

import io.cqkd.dht.api.DhtException;
import io.cqkd.dht.shell.support.CommandFailure;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits on the node's asynchronous operations, with one-line failures. */
public final class Await {
    private Await() {
    }

    /**
     * The result of {@code stage}, waiting at most {@code timeout}.
     *
     * @param what what is being waited for, for the message ("get 'k' via boot")
     * @throws CommandFailure on timeout, interruption or failure, naming {@code what}
     */
    public static <T> T result(CompletionStage<T> stage, Duration timeout, String what) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CommandFailure(what + ": timed out after " + seconds(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(what + ": interrupted");
        } catch (ExecutionException | CompletionException e) {
            throw failure(what, e.getCause());
        } catch (CancellationException e) {
            throw new CommandFailure(what + ": cancelled");
        }
    }

    /** Maps an operation's failure to a one-line {@link CommandFailure}. */
    static CommandFailure failure(String what, Throwable cause) {
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CommandFailure cf) {
            return cf;
        }
        if (cause instanceof DhtException de) {
            String kind = de.error() == null ? "" : " [" + de.error() + "]";
            return new CommandFailure(what + ": " + CommandFailure.oneLine(de.getMessage()) + kind);
        }
        if (cause == null) {
            return new CommandFailure(what + ": failed");
        }
        String msg = cause.getMessage();
        return new CommandFailure(what + ": " + (msg == null || msg.isBlank()
                ? cause.getClass().getSimpleName() : CommandFailure.oneLine(msg)));
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
