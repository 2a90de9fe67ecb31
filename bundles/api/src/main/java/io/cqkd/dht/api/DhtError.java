package io.cqkd.dht.api;

/** Why an operation failed; carried by {@link DhtException}. */
public enum DhtError {
    /** The key is empty or longer than {@link DhtLimits#MAX_KEY_BYTES}. */
    INVALID_KEY,
    /** The value is not a well-formed JSON document. */
    INVALID_JSON,
    /** The encoded value is larger than {@link DhtLimits#MAX_VALUE_BYTES}. */
    VALUE_TOO_LARGE,
    /** The TTL is not positive or is above {@link DhtLimits#MAX_TTL}. */
    INVALID_TTL,
    /** No node accepted the value (the node knows no contacts, or all refused). */
    NOT_STORED,
    /** No response in time. */
    TIMEOUT,
    /** The node is stopped. */
    STOPPED,
    /** Too many operations are in flight on this node. */
    OVERLOADED,
    /** An address could not be parsed or resolved. */
    INVALID_ADDRESS
}
