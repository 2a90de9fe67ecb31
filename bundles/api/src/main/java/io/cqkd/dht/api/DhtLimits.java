package io.cqkd.dht.api;

import java.time.Duration;

/** The documented bounds of the DHT; larger input is refused with a {@link DhtException}. */
public final class DhtLimits {
    /** Largest value, in bytes of its UTF-8 JSON text. */
    public static final int MAX_VALUE_BYTES = 8 * 1024;
    /** Longest key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 256;
    /** Largest datagram sent or accepted. A STORE of the largest value fits with room to spare. */
    public static final int MAX_DATAGRAM_BYTES = 12 * 1024;
    /** Longest TTL a value may ask for. */
    public static final Duration MAX_TTL = Duration.ofDays(7);
    /** TTL used when the caller gives none. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private DhtLimits() {
    }
}
