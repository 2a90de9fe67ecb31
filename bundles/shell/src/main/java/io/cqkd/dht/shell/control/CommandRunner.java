package io.cqkd.dht.shell.control;

import java.io.PrintStream;

/** Runs one command line; what the control server executes (Gogo in the container, a fake in tests). */
@FunctionalInterface
public interface CommandRunner {
    /**
     * Runs {@code commandLine}, writing its output to {@code out} and {@code err}.
     *
     * @return the exit status, {@link ControlProtocol#EXIT_OK} on success
     * @throws Exception when the command failed; its one-line description is sent to the client
     */
    int run(String commandLine, PrintStream out, PrintStream err) throws Exception;
}
