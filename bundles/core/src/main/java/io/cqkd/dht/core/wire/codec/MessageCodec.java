package io.cqkd.dht.core.wire.codec;

import com.fasterxml.jackson.core.StreamReadConstraints;
import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.codec.DecodeException.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * Encodes and decodes {@link Message}s as datagrams: an envelope around a CBOR payload of the
 * message with its explicit type id, written and read token by token with Jackson's streaming
 * CBOR API ({@link MessageCbor}; the bytes are exactly those Jackson databind wrote for the
 * annotated records, which the tests keep as the reference).
 *
 * <pre>
 * offset  size  field
 * 0       1     magic 0xCD
 * 1       1     envelope version (2: contacts as arrays, see WireContact)
 * 2       1     flags: bit 0 = authenticated; other bits must be 0
 *                       -- when authenticated --
 * 3       8     timestamp, sender's wall clock, ms since the epoch, big-endian
 * 11      n     CBOR payload
 * 11+n    16    HMAC-SHA256 over bytes [0, 11+n), truncated to 16 bytes
 *                       -- otherwise --
 * 3       n     CBOR payload
 * </pre>
 *
 * <p>With a {@link ClusterKey} every datagram sent is authenticated, and a datagram received
 * without a valid MAC, or with a timestamp further than the window from the receiver's clock, is
 * rejected. Without a key, authenticated datagrams are rejected too (the receiver is not part
 * of that cluster). The window bounds replays; inside it a replayed request is answered again,
 * which is harmless for Kademlia's idempotent RPCs, and a replayed response is dropped by the
 * engine's transaction matching.
 *
 * <p>Decoding is hardened: the size is checked before anything is parsed, the MAC before the
 * payload, the parser runs with tight {@link StreamReadConstraints} (nesting, string, number and
 * name lengths), every field must have the token its type is written with (no coercion), no
 * untyped maps, unknown keys, duplicate keys and unknown type ids are rejected, and every field is
 * bounds-checked afterwards ({@link MessageValidator}). {@link DecodeException} is the only
 * exception that escapes.
 *
 * <p>Why no databind: with a thousand nodes in one JVM, the codec took about 40% of all CPU, most
 * of it in databind's bean (de)serializers, type-id buffering and creator property buffers. The
 * streaming code decodes a 20-contact Nodes in about 60% of the time and encodes it in about 70%,
 * with the same bytes and the same rejection reasons (stricter only where databind coerced a
 * wrong token, see {@link MessageCbor}); the rest is the CBOR parser and generator themselves.
 *
 * <p>Thread-safe. One instance per cluster key is enough; the Jackson factories are shared by
 * all instances, and the encode buffer and MAC engines are per thread.
 */
public final class MessageCodec {
    /** First byte of every datagram. */
    public static final byte MAGIC = (byte) 0xCD;
    /** Envelope version written and accepted. */
    public static final byte VERSION = 2;
    /** Flag: the datagram carries a timestamp and a MAC. */
    public static final int FLAG_AUTH = 0x01;
    /** Bytes before the payload of a plain datagram. */
    public static final int HEADER_BYTES = 3;
    /** Bytes of the timestamp. */
    public static final int TIMESTAMP_BYTES = 8;
    /** Bytes of the (truncated) MAC. */
    public static final int MAC_BYTES = 16;
    /** Default accepted clock difference for authenticated datagrams. */
    public static final Duration DEFAULT_TIMESTAMP_WINDOW = Duration.ofSeconds(30);
    static final String MAC_ALGORITHM = "HmacSHA256";

    /**
     * Encode buffer per thread, shared by every codec instance: a container runs thousands of nodes
     * (one codec each) on a few event-loop threads, so a buffer per codec and thread would cost
     * {@link DhtLimits#MAX_DATAGRAM_BYTES} of heap per node. Encoding never nests on a thread.
     */
    private static final ThreadLocal<BoundedOutput> OUT =
            ThreadLocal.withInitial(() -> new BoundedOutput(DhtLimits.MAX_DATAGRAM_BYTES));

    private final ClusterKey key;
    private final long windowMillis;
    /** Per-thread MAC engine of this codec's key; only touched when a key is set. */
    private final ThreadLocal<Scratch> scratch;

    /**
     * A codec for a cluster.
     *
     * @param key             the cluster key, empty for unauthenticated datagrams
     * @param timestampWindow accepted |sender clock - receiver clock| for authenticated datagrams
     */
    public MessageCodec(Optional<ClusterKey> key, Duration timestampWindow) {
        this.key = Objects.requireNonNull(key, "key").orElse(null);
        if (timestampWindow.isNegative() || timestampWindow.isZero()) {
            throw new IllegalArgumentException("timestamp window must be positive");
        }
        this.windowMillis = timestampWindow.toMillis();
        ClusterKey k = this.key;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(k));
    }

    /** A codec without a cluster key. */
    public static MessageCodec plain() {
        return new MessageCodec(Optional.empty(), DEFAULT_TIMESTAMP_WINDOW);
    }

    /** True when datagrams are authenticated. */
    public boolean authenticated() {
        return key != null;
    }

    /** The cluster key, if any. */
    public Optional<ClusterKey> clusterKey() {
        return Optional.ofNullable(key);
    }

    /**
     * The datagram for {@code message}, stamped with {@code wallMillis} when authenticated.
     *
     * @throws EncodeException when the message breaks a wire bound or the datagram would be
     *                         larger than {@link DhtLimits#MAX_DATAGRAM_BYTES}
     */
    public byte[] encode(Message message, long wallMillis) throws EncodeException {
        return encode(message, wallMillis, null, COPY);
    }

    /**
     * Takes an encoded datagram: {@code bytes[0, length)}, which the codec reuses once the call
     * returns (so a sink copies what it keeps, and must not encode).
     *
     * @param <C> what the sink needs besides the bytes (an allocator, say), so that a sink can be a
     *            constant instead of a lambda allocated per datagram
     * @param <T> what the sink makes of the bytes
     */
    @FunctionalInterface
    public interface DatagramSink<C, T> {
        /** The sink's form of the datagram {@code bytes[0, length)}. */
        T take(C context, byte[] bytes, int length);
    }

    private static final DatagramSink<Void, byte[]> COPY = (unused, bytes, length) -> Arrays.copyOf(bytes, length);

    /**
     * {@link #encode(Message, long)} handing the datagram to {@code sink} instead of copying it into
     * an array of its own: the transport copies it straight into the buffer it sends (one copy
     * and one array per datagram less).
     *
     * @throws EncodeException as {@link #encode(Message, long)}; the sink is then not called
     */
    public <C, T> T encode(Message message, long wallMillis, C context, DatagramSink<C, T> sink) throws EncodeException {
        try {
            MessageValidator.validate(message);
        } catch (DecodeException e) {
            throw new EncodeException("invalid outgoing " + typeName(message) + ": " + e.getMessage(), null);
        }
        BoundedOutput out = OUT.get();
        out.reset();
        out.buf[0] = MAGIC;
        out.buf[1] = VERSION;
        out.buf[2] = (byte) (key != null ? FLAG_AUTH : 0);
        out.size = HEADER_BYTES;
        if (key != null) {
            putLong(out.buf, HEADER_BYTES, wallMillis);
            out.size += TIMESTAMP_BYTES;
        }
        try {
            MessageCbor.write(out, message);
        } catch (IOException | RuntimeException e) {
            throw new EncodeException(out.overflow
                    ? typeName(message) + " larger than " + DhtLimits.MAX_DATAGRAM_BYTES + " bytes"
                    : "cannot encode " + typeName(message) + ": " + e.getClass().getSimpleName(), null);
        }
        int len = out.size;
        if (key != null) {
            if (len + MAC_BYTES > DhtLimits.MAX_DATAGRAM_BYTES) {
                throw new EncodeException(typeName(message) + " larger than " + DhtLimits.MAX_DATAGRAM_BYTES + " bytes", null);
            }
            Scratch s = scratch.get();
            s.mac(out.buf, 0, len);
            System.arraycopy(s.tag, 0, out.buf, len, MAC_BYTES);
            len += MAC_BYTES;
        }
        return sink.take(context, out.buf, len);
    }

    /** {@link #decode(byte[], int, int, long)} of a whole array. */
    public Message decode(byte[] datagram, long wallMillis) throws DecodeException {
        return decode(datagram, 0, datagram.length, wallMillis);
    }

    /**
     * The message in {@code data[offset, offset+length)}, checked against the cluster key and the
     * receiver's wall clock {@code wallMillis}.
     *
     * @throws DecodeException for anything but a valid, authentic, fresh message; nothing else escapes
     */
    public Message decode(byte[] data, int offset, int length, long wallMillis) throws DecodeException {
        if (length > DhtLimits.MAX_DATAGRAM_BYTES) {
            throw new DecodeException(Reason.OVERSIZED, "datagram larger than " + DhtLimits.MAX_DATAGRAM_BYTES);
        }
        if (length < HEADER_BYTES + 1) {
            throw new DecodeException(Reason.TRUNCATED, "shorter than the envelope");
        }
        if (data[offset] != MAGIC) {
            throw new DecodeException(Reason.BAD_MAGIC, "not a CQKD datagram");
        }
        if (data[offset + 1] != VERSION) {
            throw new DecodeException(Reason.UNSUPPORTED_VERSION, "unsupported envelope version");
        }
        int flags = data[offset + 2] & 0xff;
        if ((flags & ~FLAG_AUTH) != 0) {
            throw new DecodeException(Reason.BAD_FLAGS, "unknown flags");
        }
        boolean auth = (flags & FLAG_AUTH) != 0;
        int payloadOffset = offset + HEADER_BYTES;
        int payloadLength = length - HEADER_BYTES;
        if (key != null) {
            if (!auth) {
                throw new DecodeException(Reason.MISSING_MAC, "no MAC but a cluster key is configured");
            }
            if (length < HEADER_BYTES + TIMESTAMP_BYTES + MAC_BYTES + 1) {
                throw new DecodeException(Reason.TRUNCATED, "shorter than the authenticated envelope");
            }
            int macAt = offset + length - MAC_BYTES;
            Scratch s = scratch.get();
            s.mac(data, offset, length - MAC_BYTES);
            int diff = 0;
            for (int i = 0; i < MAC_BYTES; i++) {
                diff |= s.tag[i] ^ data[macAt + i];
            }
            if (diff != 0) {
                throw new DecodeException(Reason.BAD_MAC, "MAC mismatch");
            }
            long ts = getLong(data, offset + HEADER_BYTES);
            long skew = wallMillis - ts;
            if (skew > windowMillis || skew < -windowMillis) {
                throw new DecodeException(Reason.STALE_TIMESTAMP, "timestamp outside the window");
            }
            payloadOffset = offset + HEADER_BYTES + TIMESTAMP_BYTES;
            payloadLength = length - HEADER_BYTES - TIMESTAMP_BYTES - MAC_BYTES;
        } else if (auth) {
            throw new DecodeException(Reason.MISSING_MAC, "authenticated datagram but no cluster key is configured");
        }
        Message m = MessageCbor.read(data, payloadOffset, payloadLength);
        MessageValidator.validate(m);
        return m;
    }

    private static String typeName(Message m) {
        return m == null ? "null" : m.getClass().getSimpleName();
    }

    static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }

    /** Per-thread MAC engine and tag buffer. */
    private static final class Scratch {
        final Mac mac;
        final byte[] tag = new byte[32];

        Scratch(ClusterKey key) {
            if (key == null) {
                mac = null;
                return;
            }
            try {
                mac = Mac.getInstance(MAC_ALGORITHM);
                mac.init(key.macKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
            }
        }

        void mac(byte[] data, int offset, int length) {
            mac.update(data, offset, length);
            try {
                mac.doFinal(tag, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** An output stream over a fixed array that refuses to grow past the datagram limit. */
    private static final class BoundedOutput extends OutputStream {
        final byte[] buf;
        int size;
        boolean overflow;

        BoundedOutput(int capacity) {
            buf = new byte[capacity];
        }

        void reset() {
            size = 0;
            overflow = false;
        }

        @Override
        public void write(int b) throws IOException {
            if (size >= buf.length) {
                overflow = true;
                throw new IOException("datagram too large");
            }
            buf[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > buf.length - size) {
                overflow = true;
                throw new IOException("datagram too large");
            }
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }
    }
}
