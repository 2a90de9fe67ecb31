package io.cqkd.dht.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeIdTest {
    @Test
    void keyIdIsSha1OfUtf8() {
        // SHA-1("abc") from FIPS 180-1
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", NodeId.ofKey("abc").toHex());
    }

    @Test
    void hexRoundTripAndValidation() {
        NodeId id = NodeId.random(new Random(1));
        assertEquals(id, NodeId.ofHex(id.toHex()));
        assertThrows(IllegalArgumentException.class, () -> NodeId.ofHex("zz"));
        assertThrows(IllegalArgumentException.class, () -> NodeId.ofHex("g".repeat(40)));
        assertThrows(IllegalArgumentException.class, () -> NodeId.of(new byte[19]));
    }

    @Test
    void commonPrefixAndDistanceOrder() {
        byte[] a = new byte[20];
        byte[] b = new byte[20];
        b[0] = 0x01; // differs in bit 7
        assertEquals(7, NodeId.of(a).commonPrefixLength(NodeId.of(b)));
        assertEquals(160, NodeId.of(a).commonPrefixLength(NodeId.of(a)));
        byte[] c = new byte[20];
        c[19] = 0x01;
        NodeId zero = NodeId.of(a);
        assertTrue(zero.compareDistance(NodeId.of(c), NodeId.of(b)) < 0);
        assertTrue(zero.compareDistance(NodeId.of(b), NodeId.of(c)) > 0);
        assertEquals(0, zero.compareDistance(NodeId.of(b), NodeId.of(b)));
    }

    @Test
    void wordWiseDistanceAndPrefixAgreeWithTheBigIntegerDefinition() {
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            NodeId t = NodeId.random(r);
            // share a random-length prefix with the target so every word boundary is exercised
            NodeId a = withPrefixOf(t, r.nextInt(161), r);
            NodeId b = withPrefixOf(t, r.nextInt(161), r);
            BigInteger da = big(a).xor(big(t));
            BigInteger db = big(b).xor(big(t));
            assertEquals(Integer.signum(da.compareTo(db)), Integer.signum(t.compareDistance(a, b)), "distance order");
            assertEquals(160 - da.bitLength(), t.commonPrefixLength(a), "prefix length");
            assertEquals(da.signum() == 0, a.equals(t));
            assertEquals(da.signum() == 0 ? t.hashCode() : a.hashCode(), a.hashCode());
        }
    }

    @Test
    void bytesOrderXorAndHashAgreeWithTheByteArrayDefinitions() {
        Random r = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            byte[] a = new byte[20];
            byte[] b = new byte[20];
            r.nextBytes(a);
            r.nextBytes(b);
            if (i % 3 == 0) {
                System.arraycopy(a, 0, b, 0, r.nextInt(20)); // equal leading bytes, then a difference
            }
            NodeId x = NodeId.of(a);
            NodeId y = NodeId.of(b);
            assertArrayEquals(a, x.toBytes());
            assertEquals(Arrays.hashCode(a), x.hashCode());
            assertEquals(Integer.signum(Arrays.compareUnsigned(a, b)), Integer.signum(x.compareTo(y)));
            byte[] d = new byte[20];
            for (int j = 0; j < 20; j++) {
                d[j] = (byte) (a[j] ^ b[j]);
                assertEquals(a[j], x.byteAt(j));
            }
            assertEquals(NodeId.of(d), x.xor(y));
            assertEquals(HexFormat.of().formatHex(a), x.toHex());
        }
        assertThrows(IndexOutOfBoundsException.class, () -> NodeId.ofHex("00".repeat(20)).byteAt(20));
    }

    @Test
    void anIdKeepsNoReferenceToTheArrayItWasReadFrom() {
        byte[] a = new byte[20];
        NodeId id = NodeId.of(a);
        a[0] = 1;
        assertEquals(NodeId.of(new byte[20]), id);
        id.toBytes()[0] = 2;
        assertEquals(0, id.byteAt(0));
    }

    private static NodeId withPrefixOf(NodeId t, int bits, Random r) {
        byte[] out = NodeId.random(r).toBytes();
        byte[] src = t.toBytes();
        for (int bit = 0; bit < bits; bit++) {
            int mask = 0x80 >>> (bit & 7);
            out[bit >>> 3] = (byte) ((out[bit >>> 3] & ~mask) | (src[bit >>> 3] & mask));
        }
        return NodeId.of(out);
    }

    private static BigInteger big(NodeId id) {
        return new BigInteger(1, id.toBytes());
    }
}
