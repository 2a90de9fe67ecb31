package io.cqkd.dht.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A 160-bit Kademlia identifier (node id or key id), immutable. Keys are mapped to ids with
 * SHA-1 of their UTF-8 bytes, as the original CQKD implementation did. Distance is XOR,
 * compared as an unsigned big-endian 160-bit number.
 */
public final class NodeId implements Comparable<NodeId> {
    /** Length of an id in bytes. */
    public static final int BYTES = 20;
    /** Length of an id in bits. */
    public static final int BITS = BYTES * 8;

    private static final HexFormat HEX = HexFormat.of();
    // The 160 bits as two longs and an int (big-endian), and nothing else: distance comparisons
    // and prefix lengths are the hot path of routing and lookups (a word at a time is ~5x faster
    // than a byte array), and an id read from the wire is kept without a copy of its bytes.
    private final long w0;
    private final long w1;
    private final int w2;
    private final int hash;

    private NodeId(long w0, long w1, int w2) {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        int h = 1; // Arrays.hashCode of the 20 bytes
        for (int shift = 56; shift >= 0; shift -= 8) {
            h = 31 * h + (byte) (w0 >>> shift);
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            h = 31 * h + (byte) (w1 >>> shift);
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            h = 31 * h + (byte) (w2 >>> shift);
        }
        this.hash = h;
    }

    private NodeId(byte[] bytes) {
        this(word(bytes, 0), word(bytes, 8), (int) word(bytes, 12));
    }

    private static long word(byte[] b, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = (v << 8) | (b[i] & 0xffL);
        }
        return v;
    }

    /** An id from exactly 20 bytes (read, not kept: the array stays the caller's). */
    public static NodeId of(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("a node id is " + BYTES + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return new NodeId(bytes);
    }

    /** An id from 40 hex digits. */
    public static NodeId ofHex(String hex) {
        if (hex == null || hex.length() != BYTES * 2) {
            throw new IllegalArgumentException("a node id is " + (BYTES * 2) + " hex digits");
        }
        try {
            return new NodeId(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex node id: " + hex, e);
        }
    }

    /** The id of a key: SHA-1 of its UTF-8 bytes. */
    public static NodeId ofKey(String key) {
        try {
            return new NodeId(MessageDigest.getInstance("SHA-1").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }

    /** A uniformly random id drawn from the given generator. */
    public static NodeId random(RandomGenerator random) {
        byte[] b = new byte[BYTES];
        random.nextBytes(b);
        return new NodeId(b);
    }

    /** The 20 bytes, in a new array. */
    public byte[] toBytes() {
        byte[] b = new byte[BYTES];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (w0 >>> (56 - 8 * i));
            b[i + 8] = (byte) (w1 >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            b[i + 16] = (byte) (w2 >>> (24 - 8 * i));
        }
        return b;
    }

    /** The byte at {@code index} (0 is the most significant). */
    public byte byteAt(int index) {
        Objects.checkIndex(index, BYTES);
        if (index < 8) {
            return (byte) (w0 >>> (56 - 8 * index));
        }
        if (index < 16) {
            return (byte) (w1 >>> (56 - 8 * (index - 8)));
        }
        return (byte) (w2 >>> (24 - 8 * (index - 16)));
    }

    /** XOR distance to {@code other}, as an id. */
    public NodeId xor(NodeId other) {
        return new NodeId(w0 ^ other.w0, w1 ^ other.w1, w2 ^ other.w2);
    }

    /**
     * Number of leading bits this id shares with {@code other}: 160 for equal ids. The k-bucket
     * of a contact is {@code 159 - commonPrefixLength} (bucket 159 holds the farthest half).
     */
    public int commonPrefixLength(NodeId other) {
        long x = w0 ^ other.w0;
        if (x != 0) {
            return Long.numberOfLeadingZeros(x);
        }
        x = w1 ^ other.w1;
        if (x != 0) {
            return 64 + Long.numberOfLeadingZeros(x);
        }
        int y = w2 ^ other.w2;
        return y != 0 ? 128 + Integer.numberOfLeadingZeros(y) : BITS;
    }

    /**
     * Compares the XOR distances of {@code a} and {@code b} to this id: negative when {@code a} is
     * closer, zero when equal, positive when {@code b} is closer. Allocation-free.
     */
    public int compareDistance(NodeId a, NodeId b) {
        long da = a.w0 ^ w0;
        long db = b.w0 ^ w0;
        if (da != db) {
            return Long.compareUnsigned(da, db);
        }
        da = a.w1 ^ w1;
        db = b.w1 ^ w1;
        if (da != db) {
            return Long.compareUnsigned(da, db);
        }
        return Integer.compareUnsigned(a.w2 ^ w2, b.w2 ^ w2);
    }

    /** Lower-case hex, 40 digits. */
    public String toHex() {
        return HEX.formatHex(toBytes());
    }

    /** The first 8 hex digits, for tables and logs. */
    public String shortHex() {
        return toHex().substring(0, 8);
    }

    @Override
    public int compareTo(NodeId o) {
        if (w0 != o.w0) {
            return Long.compareUnsigned(w0, o.w0);
        }
        if (w1 != o.w1) {
            return Long.compareUnsigned(w1, o.w1);
        }
        return Integer.compareUnsigned(w2, o.w2);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof NodeId other && w0 == other.w0 && w1 == other.w1 && w2 == other.w2;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
