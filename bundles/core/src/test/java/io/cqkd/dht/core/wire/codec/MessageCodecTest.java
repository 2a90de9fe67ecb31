package io.cqkd.dht.core.wire.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.WireWorker;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.WireContact;
import io.cqkd.dht.core.wire.codec.DecodeException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final long NOW = 1_750_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ClusterKey KEY = ClusterKey.parse("correct horse battery staple").orElseThrow();
    private static final ClusterKey OTHER = ClusterKey.parse("incorrect horse battery staple").orElseThrow();

    private final MessageCodec plain = MessageCodec.plain();
    private final MessageCodec keyed = new MessageCodec(Optional.of(KEY), Duration.ofSeconds(30));

    /** Deep equality of records with byte[] fields, through their JSON form. */
    static String deep(Message m) throws Exception {
        return m.getClass().getSimpleName() + JSON.writeValueAsString(m);
    }

    @Test
    void everyMessageTypeRoundTripsPlainAndAuthenticated() throws Exception {
        Set<Class<?>> seen = new HashSet<>();
        for (Message m : Samples.all(1)) {
            for (MessageCodec c : List.of(plain, keyed)) {
                byte[] d = c.encode(m, NOW);
                assertTrue(d.length <= DhtLimits.MAX_DATAGRAM_BYTES);
                Message back = c.decode(d, NOW);
                assertEquals(m.getClass(), back.getClass());
                assertEquals(deep(m), deep(back));
                assertEquals(m.txid(), back.txid());
                assertArrayEquals(m.from().id(), back.from().id());
            }
            seen.add(m.getClass());
        }
        assertEquals(Set.of(Message.Ping.class, Message.Pong.class, Message.FindNode.class, Message.Nodes.class,
                Message.FindValue.class, Message.ValueFound.class, Message.Store.class, Message.StoreAck.class,
                Message.ErrorReply.class, Message.Join.class, Message.JoinReply.class, Message.Renew.class,
                Message.Leave.class, Message.TierAck.class, Message.LoadReport.class, Message.ReferralRequest.class,
                Message.Referral.class, Message.RegisterWorkers.class, Message.CapacityOrder.class), seen);
    }

    @Test
    void tierMessagesBreakingBoundsCannotBeEncoded() {
        Peer p = Samples.peer(new java.util.Random(3));
        java.util.Random r = new java.util.Random(4);
        List<io.cqkd.dht.core.wire.WireBootstrapNode> tooMany = new java.util.ArrayList<>();
        for (int i = 0; i <= MessageValidator.MAX_BOOTSTRAP_NODES; i++) {
            tooMany.add(Samples.bootstrapNode(r, i));
        }
        io.cqkd.dht.core.wire.WireBootstrapNode ok = Samples.bootstrapNode(r, 1);
        io.cqkd.dht.core.wire.WireBootstrapNode worker = new io.cqkd.dht.core.wire.WireBootstrapNode("w", new byte[0],
                NodeRole.WORKER, "", "", new byte[4], 1, 0, 0, true);
        io.cqkd.dht.core.wire.WireBootstrapNode badName = new io.cqkd.dht.core.wire.WireBootstrapNode("a b",
                new byte[0], NodeRole.LOCAL, "", "", new byte[4], 1, 0, 0, true);
        io.cqkd.dht.core.wire.WireBootstrapNode badId = new io.cqkd.dht.core.wire.WireBootstrapNode("a", new byte[5],
                NodeRole.LOCAL, "", "", new byte[4], 1, 0, 0, true);
        io.cqkd.dht.core.wire.WireBootstrapNode negative = new io.cqkd.dht.core.wire.WireBootstrapNode("a",
                new byte[0], NodeRole.LOCAL, "", "", new byte[4], 1, -1, 0, true);
        for (Message m : List.<Message>of(
                new Message.Referral(1, p, "x", tooMany),
                new Message.Referral(1, p, "x", List.of(worker)),
                new Message.Referral(1, p, "x", List.of(badName)),
                new Message.Referral(1, p, "x", List.of(badId)),
                new Message.Referral(1, p, "x", List.of(negative)),
                new Message.Referral(1, p, "bad name", List.of(ok)),
                new Message.JoinReply(1, p, "maybe", 0, List.of(), "", ""),
                new Message.JoinReply(1, p, Message.JoinReply.ADMITTED, 0, List.of(), "", ""),
                new Message.JoinReply(1, p, Message.JoinReply.REFERRED, 0, List.of(), "", ""),
                new Message.JoinReply(1, p, Message.JoinReply.REFUSED, 0, List.of(), "r".repeat(65), ""),
                new Message.Join(1, p, "x".repeat(33), 0),
                new Message.Join(1, p, "east", -1),
                new Message.LoadReport(1, p, "lb-1", NodeRole.WORKER, "", "", 0, 1, true),
                new Message.LoadReport(1, p, "", NodeRole.LOCAL, "", "", 0, 1, true),
                new Message.LoadReport(1, p, "lb-1", NodeRole.LOCAL, "", "", 5, -1, true),
                new Message.ReferralRequest(1, p, "worker", "", 8),
                new Message.ReferralRequest(1, p, "", "", MessageValidator.MAX_BOOTSTRAP_NODES + 1),
                new Message.RegisterWorkers(1, p, "", List.of(new WireWorker(new byte[19], new byte[4], 7000, true))),
                new Message.RegisterWorkers(1, p, "", List.of(new WireWorker(new byte[20], new byte[4], 0, true))),
                new Message.RegisterWorkers(1, p, "", List.of(new WireWorker(new byte[20], new byte[5], 7000, true))),
                new Message.RegisterWorkers(1, p, "", List.of()),
                new Message.RegisterWorkers(1, p, "", java.util.Collections.nCopies(MessageValidator.MAX_WORKERS + 1,
                        new WireWorker(new byte[20], new byte[4], 7000, true))),
                new Message.CapacityOrder(1, p, "", 10, "lb-001"),
                new Message.CapacityOrder(1, p, "lb-002", -1, ""),
                new Message.CapacityOrder(1, p, "lb-002", MessageValidator.MAX_SESSIONS + 1, ""),
                new Message.CapacityOrder(1, p, "lb-002", 10, "bad name"),
                new Message.TierAck(1, p, false, null))) {
            assertThrows(EncodeException.class, () -> plain.encode(m, NOW), m::toString);
        }
    }

    @Test
    void envelopeLayoutIsAsDocumented() throws Exception {
        Message ping = Samples.all(2).get(0);
        byte[] p = plain.encode(ping, NOW);
        assertEquals(MessageCodec.MAGIC, p[0]);
        assertEquals(MessageCodec.VERSION, p[1]);
        assertEquals(0, p[2]);
        byte[] k = keyed.encode(ping, NOW);
        assertEquals(MessageCodec.FLAG_AUTH, k[2]);
        assertEquals(NOW, MessageCodec.getLong(k, 3));
        assertEquals(p.length + MessageCodec.TIMESTAMP_BYTES + MessageCodec.MAC_BYTES, k.length);
    }

    @Test
    void macTamperingOfAnyByteIsDetected() throws Exception {
        for (Message m : List.of(Samples.all(3).get(0), Samples.all(3).get(4))) {
            byte[] good = keyed.encode(m, NOW);
            for (int i = 0; i < good.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] bad = good.clone();
                    bad[i] ^= (byte) (1 << bit);
                    DecodeException e = assertThrows(DecodeException.class, () -> keyed.decode(bad, NOW));
                    if (i >= MessageCodec.HEADER_BYTES) {
                        assertEquals(Reason.BAD_MAC, e.reason(), "byte " + i);
                    }
                }
            }
        }
    }

    @Test
    void wrongMissingOrUnexpectedKeyIsRejected() throws Exception {
        Message m = Samples.all(4).get(3);
        MessageCodec other = new MessageCodec(Optional.of(OTHER), Duration.ofSeconds(30));
        assertEquals(Reason.BAD_MAC, assertThrows(DecodeException.class,
                () -> keyed.decode(other.encode(m, NOW), NOW)).reason());
        assertEquals(Reason.MISSING_MAC, assertThrows(DecodeException.class,
                () -> keyed.decode(plain.encode(m, NOW), NOW)).reason());
        assertEquals(Reason.MISSING_MAC, assertThrows(DecodeException.class,
                () -> plain.decode(keyed.encode(m, NOW), NOW)).reason());
        // stripping the MAC but keeping the flag
        byte[] d = keyed.encode(m, NOW);
        byte[] cut = java.util.Arrays.copyOf(d, d.length - MessageCodec.MAC_BYTES);
        assertEquals(Reason.BAD_MAC, assertThrows(DecodeException.class, () -> keyed.decode(cut, NOW)).reason());
    }

    @Test
    void timestampsOutsideTheWindowAreRejectedAsStale() throws Exception {
        Message m = Samples.all(5).get(0);
        long window = Duration.ofSeconds(30).toMillis();
        keyed.decode(keyed.encode(m, NOW - window), NOW);
        keyed.decode(keyed.encode(m, NOW + window), NOW);
        for (long skew : new long[] {window + 1, -window - 1, 3_600_000L, -86_400_000L, NOW}) {
            byte[] d = keyed.encode(m, NOW - skew);
            assertEquals(Reason.STALE_TIMESTAMP,
                    assertThrows(DecodeException.class, () -> keyed.decode(d, NOW)).reason(), "skew " + skew);
        }
        // a replay captured now is refused once the window has passed
        byte[] captured = keyed.encode(m, NOW);
        keyed.decode(captured, NOW + 1000);
        assertEquals(Reason.STALE_TIMESTAMP,
                assertThrows(DecodeException.class, () -> keyed.decode(captured, NOW + window + 1)).reason());
        MessageCodec narrow = new MessageCodec(Optional.of(KEY), Duration.ofSeconds(2));
        assertEquals(Reason.STALE_TIMESTAMP,
                assertThrows(DecodeException.class, () -> narrow.decode(captured, NOW + 2001)).reason());
    }

    @Test
    void oversizedIsRejectedBeforeParsing() {
        byte[] huge = new byte[DhtLimits.MAX_DATAGRAM_BYTES + 1];
        huge[0] = MessageCodec.MAGIC;
        huge[1] = MessageCodec.VERSION;
        assertEquals(Reason.OVERSIZED, assertThrows(DecodeException.class, () -> plain.decode(huge, NOW)).reason());
        assertEquals(Reason.OVERSIZED, assertThrows(DecodeException.class, () -> keyed.decode(huge, NOW)).reason());
    }

    @Test
    void messagesBreakingBoundsCannotBeEncoded() {
        Random r = new Random(6);
        Peer p = Samples.peer(r);
        List<WireContact> many = new ArrayList<>();
        for (int i = 0; i < MessageValidator.MAX_CONTACTS + 1; i++) {
            many.add(Samples.contact(r));
        }
        assertThrows(EncodeException.class, () -> plain.encode(new Message.Nodes(1, p, many), NOW));
        assertThrows(EncodeException.class, () -> plain.encode(new Message.FindNode(1, p, new byte[19]), NOW));
        assertThrows(EncodeException.class, () -> plain.encode(new Message.ErrorReply(1, p, "NOPE"), NOW));
        assertThrows(EncodeException.class, () -> plain.encode(
                new Message.Ping(1, new Peer(new byte[20], NodeRole.WORKER, "x".repeat(33), List.of())), NOW));
    }

    @Test
    void aSinkTakesTheSameDatagramAndNothingWhenTheMessageCannotBeEncoded() throws Exception {
        for (Message m : Samples.all(3)) {
            for (MessageCodec c : List.of(plain, keyed)) {
                byte[] taken = c.encode(m, NOW, "context", (context, bytes, length) -> {
                    assertEquals("context", context);
                    return java.util.Arrays.copyOf(bytes, length);
                });
                assertArrayEquals(c.encode(m, NOW), taken, m::toString);
            }
        }
        Peer p = Samples.peer(new Random(8));
        int[] calls = {0};
        assertThrows(EncodeException.class, () -> plain.encode(new Message.FindNode(1, p, new byte[19]), NOW, null,
                (context, bytes, length) -> ++calls[0]));
        assertEquals(0, calls[0]);
    }

    /** Hand-built payloads: well-formed CBOR that is not a valid message. */
    @Test
    void hostilePayloadsAreTypedRejections() throws Exception {
        CBORMapper cbor = new CBORMapper();
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("id", new byte[20]);
        from.put("role", "WORKER");
        from.put("region", "");
        from.put("caps", List.of());
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("t", "p");
        ok.put("txid", 5L);
        ok.put("from", from);
        assertEquals(5L, plain.decode(frame(cbor.writeValueAsBytes(ok)), NOW).txid());

        Map<Reason, Integer> seen = new EnumMap<>(Reason.class);
        List<Map<String, Object>> bad = new ArrayList<>();
        bad.add(with(ok, "t", "zz"));
        bad.add(with(ok, "t", null));
        bad.add(with(ok, "extra", 1));
        bad.add(with(ok, "txid", "12"));
        bad.add(with(ok, "from", with(from, "role", "ROOT")));
        bad.add(with(ok, "from", with(from, "role", 0)));
        bad.add(with(ok, "from", with(from, "id", new byte[21])));
        bad.add(with(ok, "from", with(from, "caps", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"))));
        bad.add(with(ok, "from", with(from, "caps", Map.of("a", 1))));
        bad.add(with(ok, "from", null));
        Map<String, Object> noTxid = new LinkedHashMap<>(ok);
        noTxid.remove("txid");
        bad.add(noTxid);
        Object deep = "x";
        for (int i = 0; i < 50; i++) {
            deep = List.of(deep);
        }
        bad.add(with(ok, "from", with(from, "caps", deep)));
        for (Map<String, Object> b : bad) {
            DecodeException e = assertThrows(DecodeException.class, () -> plain.decode(frame(cbor.writeValueAsBytes(b)), NOW),
                    b.toString());
            seen.merge(e.reason(), 1, Integer::sum);
        }
        assertTrue(seen.containsKey(Reason.UNKNOWN_TYPE), seen.toString());
        assertTrue(seen.containsKey(Reason.MALFORMED), seen.toString());
        assertTrue(seen.containsKey(Reason.INVALID_FIELD), seen.toString());
        // trailing bytes after the message, and an untyped top-level array
        byte[] good = cbor.writeValueAsBytes(ok);
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertThrows(DecodeException.class, () -> plain.decode(frame(trailing), NOW));
        assertThrows(DecodeException.class, () -> plain.decode(frame(cbor.writeValueAsBytes(List.of(1, 2))), NOW));
        // text that decodes to an unpaired surrogate must not get in (it could not be re-encoded)
        assertThrows(EncodeException.class, () -> plain.encode(new Message.Ping(1,
                new Peer(new byte[20], NodeRole.WORKER, "a\ud800b", List.of())), NOW));
        assertThrows(DecodeException.class, () -> MessageValidator.text("x\udc00"));
        byte[] cesu = cbor.writeValueAsBytes(with(ok, "from", with(from, "region", "abc")));
        int at = Samples.indexOf(cesu, "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        cesu[at] = (byte) 0xED;
        cesu[at + 1] = (byte) 0xA0;
        cesu[at + 2] = (byte) 0x80;
        byte[] cesuFrame = frame(cesu);
        assertThrows(DecodeException.class, () -> plain.decode(cesuFrame, NOW));
        // a byte string claiming 2 GB inside a small datagram
        byte[] lie = frame(new byte[] {(byte) 0xa1, 0x61, 't', 0x5a, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2});
        assertThrows(DecodeException.class, () -> plain.decode(lie, NOW));
    }

    private static Map<String, Object> with(Map<String, Object> base, String k, Object v) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.put(k, v);
        return m;
    }

    private static byte[] frame(byte[] payload) {
        byte[] d = new byte[payload.length + 3];
        d[0] = MessageCodec.MAGIC;
        d[1] = MessageCodec.VERSION;
        System.arraycopy(payload, 0, d, 3, payload.length);
        return d;
    }

    /** Random, truncated and mutated datagrams only ever produce a DecodeException. */
    @Test
    void fuzzedInputOnlyEverRaisesDecodeException() throws Exception {
        Random r = new Random(42);
        List<byte[]> valid = new ArrayList<>();
        for (Message m : Samples.all(7)) {
            valid.add(plain.encode(m, NOW));
        }
        int accepted = 0;
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        for (int i = 0; i < 100_000; i++) {
            byte[] d = Fuzz.next(r, valid);
            try {
                plain.decode(d, NOW);
                accepted++;
            } catch (DecodeException e) {
                reasons.merge(e.reason(), 1, Integer::sum);
            } catch (Throwable t) {
                fail("input " + i + " raised " + t, t);
            }
        }
        assertTrue(reasons.getOrDefault(Reason.MALFORMED, 0) > 1000, reasons.toString());
        assertTrue(reasons.getOrDefault(Reason.TRUNCATED, 0) > 0, reasons.toString());
        assertTrue(reasons.getOrDefault(Reason.OVERSIZED, 0) > 0, reasons.toString());
        // accepted ones are mutations that stayed valid (e.g. a flipped bit inside an id)
        assertTrue(accepted < 100_000 / 2, "accepted " + accepted);
    }
}
