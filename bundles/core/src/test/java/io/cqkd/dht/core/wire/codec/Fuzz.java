package io.cqkd.dht.core.wire.codec;

import io.cqkd.dht.api.DhtLimits;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Generators of hostile datagrams: random bytes, truncations, bit flips, splices, oversize. */
public final class Fuzz {
    private Fuzz() {
    }

    /** One hostile datagram derived from {@code valid} encodings (or from nothing). */
    public static byte[] next(Random r, List<byte[]> valid) {
        byte[] base = valid.get(r.nextInt(valid.size()));
        switch (r.nextInt(9)) {
            case 0: { // random bytes
                byte[] b = new byte[r.nextInt(300)];
                r.nextBytes(b);
                return b;
            }
            case 1: { // random bytes behind a valid header
                byte[] b = new byte[3 + r.nextInt(300)];
                r.nextBytes(b);
                b[0] = MessageCodec.MAGIC;
                b[1] = MessageCodec.VERSION;
                b[2] = 0;
                return b;
            }
            case 2: // truncation
                return Arrays.copyOf(base, r.nextInt(base.length));
            case 3: { // bit flips
                byte[] b = base.clone();
                int flips = 1 + r.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int at = 3 + r.nextInt(b.length - 3);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 4: { // random byte values at random places
                byte[] b = base.clone();
                for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
                    b[3 + r.nextInt(b.length - 3)] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 5: { // splice two valid messages
                byte[] other = valid.get(r.nextInt(valid.size()));
                int cut = 3 + r.nextInt(base.length - 3);
                int from = 3 + r.nextInt(other.length - 3);
                byte[] b = Arrays.copyOf(base, cut + other.length - from);
                System.arraycopy(other, from, b, cut, other.length - from);
                return b;
            }
            case 6: { // inserted or deleted bytes
                byte[] b = base.clone();
                int at = 3 + r.nextInt(b.length - 3);
                if (r.nextBoolean()) {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) r.nextInt(256);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    return c;
                }
                byte[] c = new byte[b.length - 1];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                return c;
            }
            case 7: { // oversized
                byte[] b = Arrays.copyOf(base, DhtLimits.MAX_DATAGRAM_BYTES + 1 + r.nextInt(4000));
                return b;
            }
            default: { // CBOR major-type headers with huge lengths at random places
                byte[] b = base.clone();
                int at = 3 + r.nextInt(Math.max(1, b.length - 8));
                byte[] lie = {(byte) (0x5b), 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
                lie[0] = (byte) ((r.nextInt(8) << 5) | (24 + r.nextInt(4)));
                System.arraycopy(lie, 0, b, at, Math.min(lie.length, b.length - at));
                return b;
            }
        }
    }
}
