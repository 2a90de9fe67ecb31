package io.cqkd.dht.api;

/** A failed DHT operation, with a one-line message fit for an operator. */
public class DhtException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final DhtError error;

    /** A failure of kind {@code error} with a human-readable message. */
    public DhtException(DhtError error, String message) {
        super(message);
        this.error = error;
    }

    /** The kind of failure. */
    public DhtError error() {
        return error;
    }
}
