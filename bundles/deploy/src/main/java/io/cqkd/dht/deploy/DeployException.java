package io.cqkd.dht.deploy;

/**
 * A topology, an option or an output directory the generator cannot use. The message is one line
 * that names the problem (several problems are joined with "; "), so the command line and Gogo
 * print it as is, without a stack trace.
 */
public final class DeployException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** With a one-line message. */
    public DeployException(String message) {
        super(message);
    }

    /** With a one-line message and its cause. */
    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
