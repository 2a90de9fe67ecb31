package io.cqkd.dht.shell.control;

/**
 * The loopback control channel's wire format, shared by {@link ControlServer} and
 * {@link ControlClient}.
 *
 * <p>The client connects to 127.0.0.1, sends ONE command line in UTF-8 ending with {@code \n},
 * and reads until the server closes. The server answers with lines, each starting with a
 * one-letter tag and a space:
 * <pre>
 * O &lt;a line the command wrote to its standard output&gt;
 * E &lt;a line the command wrote to its standard error, or the one-line failure&gt;
 * X &lt;exit status&gt;            (always the last line)
 * </pre>
 * A reply without its {@code X} line is a broken reply. The channel is readable with
 * {@code nc}: {@code echo lb | nc 127.0.0.1 5600}.
 */
public final class ControlProtocol {
    /** Tag of a standard-output line. */
    public static final char OUT = 'O';
    /** Tag of a standard-error line. */
    public static final char ERR = 'E';
    /** Tag of the final status line. */
    public static final char EXIT = 'X';

    /** The command ran and succeeded. */
    public static final int EXIT_OK = 0;
    /** The command ran and failed (bad argument, unknown command, operation failed). */
    public static final int EXIT_FAILED = 1;
    /** The request was malformed (empty, too long, not UTF-8, not sent in time) or the client was misused. */
    public static final int EXIT_BAD_REQUEST = 2;
    /** The container could not be reached (client side only). */
    public static final int EXIT_UNREACHABLE = 3;
    /** The command did not finish within the server's command timeout. */
    public static final int EXIT_TIMEOUT = 4;
    /** Too many control sessions are running; try again. */
    public static final int EXIT_BUSY = 5;

    /** Default TCP port, outside the DHT port ranges (5678-5761, 6000-6099, 7000-7999). */
    public static final int DEFAULT_PORT = 5600;
    /** Environment variable naming the port, read by the client and (by default) by the server. */
    public static final String PORT_ENV = "CQKD_CONTROL_PORT";

    private ControlProtocol() {
    }
}
