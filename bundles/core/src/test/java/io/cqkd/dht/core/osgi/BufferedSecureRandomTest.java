package io.cqkd.dht.core.osgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BufferedSecureRandomTest {
    /** A source whose bytes are known: block n is filled with the byte n. */
    private static final class CountingSource extends SecureRandom {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void nextBytes(byte[] bytes) {
            java.util.Arrays.fill(bytes, (byte) calls.incrementAndGet());
        }
    }

    @Test
    void everyLongIsEightBytesOfTheSourceAndOneSourceCallServesABlock() {
        CountingSource source = new CountingSource();
        BufferedSecureRandom random = new BufferedSecureRandom(source);
        assertEquals(0, source.calls.get(), "nothing drawn before the first long");
        for (int i = 0; i < BufferedSecureRandom.LONGS_PER_BLOCK; i++) {
            assertEquals(ByteBuffer.wrap(filled((byte) 1)).getLong(), random.nextLong());
        }
        assertEquals(1, source.calls.get());
        assertEquals(ByteBuffer.wrap(filled((byte) 2)).getLong(), random.nextLong());
        assertEquals(2, source.calls.get());
    }

    @Test
    void derivedValuesComeFromTheSameBytes() {
        BufferedSecureRandom a = new BufferedSecureRandom(new CountingSource());
        byte[] bytes = new byte[12];
        a.nextBytes(bytes);
        byte[] expected = new byte[12];
        java.util.Arrays.fill(expected, (byte) 1);
        assertArrayEquals(expected, bytes);
    }

    private static byte[] filled(byte b) {
        byte[] out = new byte[Long.BYTES];
        java.util.Arrays.fill(out, b);
        return out;
    }
}
