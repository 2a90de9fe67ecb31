package io.cqkd.dht.shell.support;

/**
 * A shell command that failed for a reason the operator can fix (unknown node, invalid JSON,
 * timeout ...). The message is one line.
 *
 * <p>Gogo's console prints a failed command as {@code exception.toString()}, and its pipes as
 * {@code "gogo: " + simpleName + ": " + message}. {@link #toString()} is therefore just the
 * message and the stack trace is not filled in: the operator sees one line, never a trace.
 */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure with a one-line message; line breaks are folded into spaces. */
    public CommandFailure(String message) {
        super(oneLine(message), null, false, false);
    }

    @Override
    public String toString() {
        return getMessage();
    }

    /** {@code text} on one line: line breaks become spaces, null becomes "failed". */
    public static String oneLine(String text) {
        if (text == null || text.isBlank()) {
            return "failed";
        }
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
