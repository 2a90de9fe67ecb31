package io.cqkd.dht.core.wire.codec;

/** A message that cannot be sent: it would exceed the datagram limit or could not be serialised. */
public final class EncodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure with a one-line reason. */
    public EncodeException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
