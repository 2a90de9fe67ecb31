package io.cqkd.dht.api.ports;

/** A refused or impossible allocation, with a message that names the reason and range. */
public class PortAllocationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An allocation failure with an operator-readable reason. */
    public PortAllocationException(String message) {
        super(message);
    }
}
