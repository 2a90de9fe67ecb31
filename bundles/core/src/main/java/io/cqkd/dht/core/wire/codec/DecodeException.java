package io.cqkd.dht.core.wire.codec;

/**
 * A datagram that is not a valid, authentic message. The only exception {@link MessageCodec#decode}
 * throws. It carries no stack trace (hostile input can produce many per second) and a short,
 * constant detail that never contains bytes from the datagram.
 */
public final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a datagram was rejected. */
    public enum Reason {
        /** Longer than {@code DhtLimits.MAX_DATAGRAM_BYTES}; rejected before any parsing. */
        OVERSIZED,
        /** Shorter than its envelope. */
        TRUNCATED,
        /** First byte is not the CQKD magic. */
        BAD_MAGIC,
        /** Envelope version not understood. */
        UNSUPPORTED_VERSION,
        /** Unknown flag bits. */
        BAD_FLAGS,
        /** A cluster key is configured and the datagram has no MAC, or the receiver has no key and it has one. */
        MISSING_MAC,
        /** The MAC does not match. */
        BAD_MAC,
        /** The authenticated timestamp is outside the accepted window. */
        STALE_TIMESTAMP,
        /** The payload is not well-formed CBOR for a message (or breaks the parser limits). */
        MALFORMED,
        /** The payload names a message type this version does not know. */
        UNKNOWN_TYPE,
        /** Well-formed, but a field is missing or out of bounds. */
        INVALID_FIELD
    }

    private final Reason reason;

    /** A rejection for {@code reason}; {@code detail} must be a constant text (no input bytes). */
    public DecodeException(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    /** Why the datagram was rejected. */
    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "DecodeException[" + reason + ": " + getMessage() + "]";
    }
}
