package io.cqkd.dht.core.osgi;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A node's randomness (transaction ids, refresh targets, jitter): {@link SecureRandom} bytes,
 * drawn a block at a time. Transaction ids must stay unguessable for nodes without a cluster key
 * (a response is matched by txid and source address only), but a {@code SecureRandom} call per
 * request was ~1 % of a 1000-node network's CPU: the platform's default generator takes a lock
 * shared by every instance in the JVM and mixes each call's output with SHA-1. One call per 64
 * longs keeps the bytes and drops the per-call cost.
 */
final class BufferedSecureRandom implements RandomGenerator {
    static final int LONGS_PER_BLOCK = 64;

    private final SecureRandom source;
    private final ByteBuffer block = ByteBuffer.allocate(LONGS_PER_BLOCK * Long.BYTES);

    BufferedSecureRandom(SecureRandom source) {
        this.source = Objects.requireNonNull(source, "source");
        block.position(block.limit());
    }

    @Override
    public synchronized long nextLong() {
        if (!block.hasRemaining()) {
            source.nextBytes(block.array());
            block.clear();
        }
        return block.getLong();
    }
}
