package io.cqkd.dht.core.wire.codec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared secret of a cluster, as configured (any text, at least {@link #MIN_LENGTH}
 * characters). The MAC key is derived from it with HMAC-SHA256 under a fixed label, so the
 * configured text is never used directly and a future envelope version can derive another key.
 * {@link #toString()} never shows the secret.
 */
public final class ClusterKey {
    /** Shortest accepted secret. */
    public static final int MIN_LENGTH = 16;
    private static final byte[] LABEL = "cqkd-dht wire mac v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec macKey;
    private final String fingerprint;

    private ClusterKey(SecretKeySpec macKey, String fingerprint) {
        this.macKey = macKey;
        this.fingerprint = fingerprint;
    }

    /**
     * Parses a configured secret: blank or null means "no cluster key".
     *
     * @throws IllegalArgumentException when it is shorter than {@link #MIN_LENGTH}
     */
    public static Optional<ClusterKey> parse(String secret) {
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        String s = secret.trim();
        if (s.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("cluster key must be at least " + MIN_LENGTH + " characters");
        }
        try {
            Mac kdf = Mac.getInstance(MessageCodec.MAC_ALGORITHM);
            kdf.init(new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), MessageCodec.MAC_ALGORITHM));
            byte[] derived = kdf.doFinal(LABEL);
            SecretKeySpec spec = new SecretKeySpec(derived, MessageCodec.MAC_ALGORITHM);
            Mac fp = Mac.getInstance(MessageCodec.MAC_ALGORITHM);
            fp.init(spec);
            byte[] f = fp.doFinal("fingerprint".getBytes(StandardCharsets.US_ASCII));
            return Optional.of(new ClusterKey(spec, java.util.HexFormat.of().formatHex(f, 0, 4)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    SecretKeySpec macKey() {
        return macKey;
    }

    /** 8 hex digits that identify the key without revealing it (for status and logs). */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterKey k && java.security.MessageDigest.isEqual(k.macKey.getEncoded(), macKey.getEncoded());
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return "ClusterKey[" + fingerprint + "]";
    }
}
