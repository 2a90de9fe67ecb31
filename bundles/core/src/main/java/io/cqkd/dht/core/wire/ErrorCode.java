package io.cqkd.dht.core.wire;

/** Codes carried by {@link Message.ErrorReply}. */
public enum ErrorCode {
    /** The sender exceeded its request rate at the receiver. */
    RATE_LIMITED,
    /** The request was well-formed CBOR but semantically invalid (bad key length, value too large ...). */
    BAD_REQUEST,
    /** The receiver is stopping. */
    SHUTTING_DOWN,
    /** The receiver does not serve this request type (a tier request at a node without a tier role). */
    UNSUPPORTED
}
