package io.cqkd.dht.core.wire.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.wire.ErrorCode;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.WireBootstrapNode;
import io.cqkd.dht.core.wire.WireContact;
import io.cqkd.dht.core.wire.WireValue;
import io.cqkd.dht.core.wire.WireWorker;
import io.cqkd.dht.core.wire.codec.DecodeException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The streaming payload codec against the databind codec it replaced ({@link DatabindReference}):
 * identical bytes on encode, equal messages and the same rejection reasons on decode, except the
 * documented coercions databind allowed.
 */
class MessageCborTest {
    private static final long NOW = 1_750_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CBORFactory CBOR = new CBORFactory();
    /** Details of the rejections where databind coerced instead (see MessageCbor's javadoc). */
    private static final Set<String> TIGHTENED = Set.of("wrong token type", "unknown role", "wrapper array form",
            "contact array shorter than six", "contact array longer than six");

    // ------------------------------------------------------------ encode: same bytes

    @Test
    void encoderWritesTheBytesDatabindWritesForEverySample() throws Exception {
        Set<Class<?>> seen = new HashSet<>();
        MessageCodec plain = MessageCodec.plain();
        for (long seed = 1; seed <= 20; seed++) {
            for (Message m : Samples.all(seed)) {
                byte[] reference = DatabindReference.encode(m);
                assertArrayEquals(reference, streaming(m), m::toString);
                // and through the codec: the envelope around the same payload
                byte[] d = plain.encode(m, NOW);
                assertArrayEquals(reference, Arrays.copyOfRange(d, MessageCodec.HEADER_BYTES, d.length));
                seen.add(m.getClass());
            }
        }
        assertEquals(19, seen.size());
    }

    @Test
    void encoderWritesTheBytesDatabindWritesForRandomMessages() throws Exception {
        Random r = new Random(11);
        Set<Class<?>> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            Message m = RandomMessages.any(r);
            byte[] reference = DatabindReference.encode(m);
            assertArrayEquals(reference, streaming(m), m::toString);
            if (reference.length > DhtLimits.MAX_DATAGRAM_BYTES) {
                continue; // beyond the parser's document limit, for both
            }
            // not validated, so nulls and out-of-range values are in here too: databind reads them back as well
            assertEquals(deep(DatabindReference.decode(reference)), deep(MessageCbor.read(reference, 0, reference.length)));
            seen.add(m.getClass());
        }
        assertEquals(19, seen.size());
    }

    // ------------------------------------------------------------ decode: same messages, same reasons

    @Test
    void decoderReadsWhatDatabindReadsForEverySample() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            for (Message m : Samples.all(seed)) {
                byte[] payload = DatabindReference.encode(m);
                Message back = MessageCbor.read(payload, 0, payload.length);
                assertEquals(m.getClass(), back.getClass());
                assertEquals(deep(m), deep(back));
                assertEquals(deep(DatabindReference.decode(payload)), deep(back));
                // at an offset inside a larger array, as the transport passes it
                byte[] padded = new byte[payload.length + 10];
                System.arraycopy(payload, 0, padded, 7, payload.length);
                assertEquals(deep(m), deep(MessageCbor.read(padded, 7, payload.length)));
            }
        }
    }

    @Test
    void keysInAnyOrderAndDefiniteLengthMapsAreRead() throws Exception {
        Random r = new Random(12);
        int slowPath = 0;
        for (long seed = 1; seed <= 5; seed++) {
            for (Message m : Samples.all(seed)) {
                Obj tree = (Obj) Tree.parse(DatabindReference.encode(m));
                for (int round = 0; round < 5; round++) {
                    Tree.shuffle(tree, r);
                    byte[] shuffled = Tree.write(tree, r.nextBoolean());
                    slowPath += tree.keys.get(0).equals("t") ? 0 : 1;
                    assertEquals(deep(m), deep(MessageCbor.read(shuffled, 0, shuffled.length)));
                    assertEquals(deep(m), deep(DatabindReference.decode(shuffled)));
                }
            }
        }
        assertTrue(slowPath > 100, "type id not first in " + slowPath);
    }

    /**
     * Every field of every sample removed, nulled, renamed, duplicated and replaced by values of
     * every CBOR kind: the streaming decoder never accepts what databind refused, accepts equal
     * messages, and rejects with databind's reason, or (only when a value was replaced) with
     * MALFORMED where databind had coerced the value.
     */
    @Test
    void mutatedFieldsAreRejectedAsDatabindRejectedThem() throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        int tightened = 0;
        List<Message> samples = Samples.all(13);
        for (Message m : samples) {
            byte[] good = DatabindReference.encode(m);
            if (good.length > 2000) {
                continue; // the 8 KB value and the 64-node referral: the same fields as smaller samples, 20x the time
            }
            int entries = Tree.entries((Obj) Tree.parse(good)).size();
            for (int e = 0; e < entries; e++) {
                for (int kind = 0; kind < Mutation.KINDS; kind++) {
                    Obj tree = (Obj) Tree.parse(good);
                    Tree.Entry at = Tree.entries(tree).get(e);
                    String what = Mutation.apply(at, kind);
                    byte[] payload = Tree.write(tree, kind % 2 == 0);
                    Outcome ref = Outcome.reference(payload);
                    Outcome now = Outcome.streaming(payload);
                    outcomes.merge(now.toString().replaceAll("\\[.*", ""), 1, Integer::sum);
                    if (!ref.sameAs(now)) {
                        String context = m.getClass().getSimpleName() + " " + at.key() + " " + what + ": databind "
                                + ref + ", streaming " + now;
                        assertTrue(kind >= Mutation.FIRST_REPLACEMENT && now.reason == Reason.MALFORMED
                                && TIGHTENED.contains(now.detail) && ref.reason != Reason.UNKNOWN_TYPE, context);
                        tightened++;
                    }
                }
            }
        }
        assertTrue(outcomes.getOrDefault("MALFORMED", 0) > 1000, outcomes.toString());
        assertTrue(outcomes.getOrDefault("INVALID_FIELD", 0) > 100, outcomes.toString());
        assertTrue(outcomes.getOrDefault("UNKNOWN_TYPE", 0) > 10, outcomes.toString());
        assertTrue(outcomes.getOrDefault("accepted", 0) > 10, outcomes.toString());
        assertTrue(tightened > 0, "no coercion case was exercised");
    }

    /**
     * Every element of a contact removed, nulled, and replaced by values of every CBOR kind, and an
     * element appended: the streaming decoder has databind's outcome, except that it refuses a
     * contact array of any length but six (databind filled missing fields with nulls and zeros and
     * skipped extra elements).
     */
    @Test
    void contactArraysAreReadAsDatabindReadThem() throws Exception {
        Message nodesSample = Samples.all(1).get(4);
        assertTrue(nodesSample instanceof Message.Nodes);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int at = 0; at < 6; at++) {
            for (int kind = -2; kind < Mutation.VALUES.length; kind++) {
                Obj nodes = (Obj) Tree.parse(DatabindReference.encode(nodesSample));
                @SuppressWarnings("unchecked")
                List<Object> contact = (List<Object>) ((List<?>) nodes.get("nodes")).get(1);
                String what;
                if (kind == -2) {
                    contact.remove(at);
                    what = "removed";
                } else if (kind == -1) {
                    contact.set(at, null);
                    what = "null";
                } else {
                    contact.set(at, Mutation.VALUES[kind]);
                    what = "= " + Mutation.VALUES[kind];
                }
                byte[] payload = Tree.write(nodes, false);
                Outcome ref = Outcome.reference(payload);
                Outcome now = Outcome.streaming(payload);
                outcomes.merge(now.toString(), 1, Integer::sum);
                String context = "element " + at + " " + what + ": databind " + ref + ", streaming " + now;
                assertTrue(ref.sameAs(now) || (now.reason == Reason.MALFORMED && TIGHTENED.contains(now.detail)),
                        context);
                if (kind == -2) {
                    // the elements after it move up a place: a wrong token, or the end too early
                    assertEquals(Reason.MALFORMED, now.reason, context);
                }
            }
        }
        Obj nodes = (Obj) Tree.parse(DatabindReference.encode(nodesSample));
        @SuppressWarnings("unchecked")
        List<Object> contact = (List<Object>) ((List<?>) nodes.get("nodes")).get(1);
        contact.add("extra");
        byte[] longer = Tree.write(nodes, false);
        assertEquals(null, Outcome.reference(longer).reason, "databind skipped an extra element");
        assertRejectedNow(Reason.MALFORMED, longer);
        assertTrue(outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("INVALID_FIELD"))
                .mapToInt(Map.Entry::getValue).sum() > 5, outcomes.toString());
        assertTrue(outcomes.getOrDefault("MALFORMED[wrong token type]", 0) > 20, outcomes.toString());
    }

    /** Strict prefixes of every sample payload (all of them up to 2000 bytes): rejected, with databind's reason. */
    @Test
    void truncatedPayloadsAreRejectedAsDatabindRejectedThem() throws Exception {
        for (Message m : Samples.all(14)) {
            byte[] good = DatabindReference.encode(m);
            for (int n = 1; n < good.length; n += n < 300 || n > good.length - 300 ? 1 : 97) {
                byte[] cut = Arrays.copyOf(good, n);
                Outcome now = Outcome.streaming(cut);
                assertNotNull(now.reason, "prefix " + n + " of " + m);
                assertTrue(Outcome.reference(cut).sameAs(now), "prefix " + n + " of " + m);
            }
        }
    }

    /** Random, truncated, spliced and bit-flipped payloads: same outcome as databind, apart from its coercions. */
    @Test
    void fuzzedPayloadsHaveDatabindsOutcome() throws Exception {
        Random r = new Random(15);
        List<byte[]> valid = new ArrayList<>();
        for (Message m : Samples.all(15)) {
            valid.add(MessageCodec.plain().encode(m, NOW));
        }
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        int tightened = 0;
        for (int i = 0; i < 40_000; i++) {
            byte[] d = Fuzz.next(r, valid);
            if (d.length <= MessageCodec.HEADER_BYTES || d.length > DhtLimits.MAX_DATAGRAM_BYTES) {
                continue;
            }
            byte[] payload = Arrays.copyOfRange(d, MessageCodec.HEADER_BYTES, d.length);
            Outcome ref = Outcome.reference(payload);
            Outcome now = Outcome.streaming(payload);
            if (now.reason != null) {
                reasons.merge(now.reason, 1, Integer::sum);
            }
            if (!ref.sameAs(now)) {
                assertTrue(now.reason == Reason.MALFORMED && TIGHTENED.contains(now.detail)
                        && ref.reason != Reason.UNKNOWN_TYPE,
                        "input " + i + ": databind " + ref + ", streaming " + now + " " + java.util.HexFormat.of().formatHex(payload));
                tightened++;
            }
        }
        assertTrue(reasons.getOrDefault(Reason.MALFORMED, 0) > 1000, reasons.toString());
        assertTrue(tightened < 200, "coercion differences " + tightened);
    }

    // ------------------------------------------------------------ each reject case, by hand

    @Test
    void unknownKeysAreMalformed() throws Exception {
        assertRejected(Reason.MALFORMED, ping(o -> o.put("extra", 1L)));
        assertRejected(Reason.MALFORMED, ping(o -> peerOf(o).put("extra", 1L)));
        // a key of another message type
        assertRejected(Reason.MALFORMED, ping(o -> o.put("target", new byte[20])));
        // a key that differs in case only
        assertRejected(Reason.MALFORMED, ping(o -> o.rename("txid", "TXID")));
        // "t" is a top-level key only
        assertRejected(Reason.MALFORMED, ping(o -> peerOf(o).put("t", "p")));
        // inside a value (a contact has no keys: contactArraysAreReadAsDatabindReadThem)
        Obj store = (Obj) Tree.parse(DatabindReference.encode(Samples.all(1).get(9)));
        ((Obj) store.get("value")).put("json2", "x");
        assertRejected(Reason.MALFORMED, Tree.write(store, false));
    }

    @Test
    void duplicateKeysAreMalformed() throws Exception {
        assertRejected(Reason.MALFORMED, ping(o -> o.add("txid", 5L)));
        assertRejected(Reason.MALFORMED, ping(o -> o.add("t", "p")));
        assertRejected(Reason.MALFORMED, ping(o -> peerOf(o).add("region", "")));
        // a duplicate before an out-of-order "t" (found by the type search)
        assertRejected(Reason.MALFORMED, ping(o -> {
            o.remove("t");
            o.add("txid", 6L);
            o.add("t", "p");
        }));
        // a null (or byte string) "t" is passed over, so a later "t" is a duplicate
        assertRejected(Reason.MALFORMED, ping(o -> {
            o.put("t", null);
            o.add("t", "p");
        }));
        assertRejected(Reason.MALFORMED, ping(o -> {
            o.put("t", new byte[] {'p'});
            o.add("t", "p");
        }));
    }

    @Test
    void unknownOrMissingTypeIdsAreUnknownType() throws Exception {
        for (Object t : new Object[] {"zz", "", "x", "PING", 1L, 1.5, true, null, new byte[] {'p'}, List.of("p"), new Obj()}) {
            assertRejected(Reason.UNKNOWN_TYPE, ping(o -> o.put("t", t)));
        }
        assertRejected(Reason.UNKNOWN_TYPE, ping(o -> o.remove("t")));
        // a number under "t" is refused at once, even when a proper "t" follows
        assertRejected(Reason.UNKNOWN_TYPE, ping(o -> {
            o.put("t", 1L);
            o.add("t", "p");
        }));
        // the type decides before the other keys are looked at
        assertRejected(Reason.UNKNOWN_TYPE, ping(o -> {
            o.put("t", "zz");
            o.put("extra", 1L);
        }));
        assertRejected(Reason.UNKNOWN_TYPE, Tree.write(new Obj(), false));
        for (Object scalar : new Object[] {"p", 1L, true, new byte[3]}) {
            assertRejected(Reason.UNKNOWN_TYPE, Tree.write(scalar, false));
        }
    }

    @Test
    void wrongTokenTypesAreMalformed() throws Exception {
        // long, int, boolean fields given something else (and null, which a primitive cannot hold)
        for (Object bad : new Object[] {"5", true, null, new byte[1], List.of(5L), new Obj(), BigInteger.TWO.pow(64)}) {
            assertRejected(Reason.MALFORMED, ping(o -> o.put("txid", bad)));
        }
        Obj ack = (Obj) Tree.parse(DatabindReference.encode(new Message.StoreAck(1, peer(), true, null)));
        for (Object bad : new Object[] {1L, "true", null}) {
            ack.put("stored", bad);
            assertRejected(Reason.MALFORMED, Tree.write(ack, false));
        }
        Obj pong = (Obj) Tree.parse(DatabindReference.encode(new Message.Pong(1, peer(), new byte[4], 1)));
        for (Object bad : new Object[] {1L << 33, "1", false}) {
            pong.put("observedPort", bad);
            assertRejected(Reason.MALFORMED, Tree.write(pong, false));
        }
        // objects, lists, strings, byte strings and enums given structures of the wrong kind
        assertRejected(Reason.MALFORMED, ping(o -> o.put("from", "")));
        assertRejected(Reason.MALFORMED, ping(o -> o.put("from", List.of())));
        assertRejected(Reason.MALFORMED, ping(o -> peerOf(o).put("caps", "qkd")));
        assertRejected(Reason.MALFORMED, ping(o -> peerOf(o).put("caps", List.of(List.of("qkd")))));
        assertRejected(Reason.MALFORMED, ping(o -> peerOf(o).put("region", new Obj())));
        assertRejected(Reason.MALFORMED, ping(o -> peerOf(o).put("region", List.of("x"))));
        assertRejected(Reason.MALFORMED, ping(o -> peerOf(o).put("role", "worker")));
        assertRejected(Reason.MALFORMED, ping(o -> peerOf(o).put("role", 3L)));
        assertRejected(Reason.MALFORMED, ping(o -> peerOf(o).put("role", "")));
        Obj nodes = (Obj) Tree.parse(DatabindReference.encode(Samples.all(1).get(4)));
        nodes.put("nodes", List.of(""));
        assertRejected(Reason.MALFORMED, Tree.write(nodes, false));
        nodes.put("nodes", new Obj());
        assertRejected(Reason.MALFORMED, Tree.write(nodes, false));
        // a missing primitive is malformed; a missing or null object is the validator's
        assertRejected(Reason.MALFORMED, ping(o -> o.remove("txid")));
        assertRejected(Reason.INVALID_FIELD, ping(o -> o.remove("from")));
        assertRejected(Reason.INVALID_FIELD, ping(o -> o.put("from", null)));
        assertRejected(Reason.INVALID_FIELD, ping(o -> peerOf(o).put("caps", null)));
        assertRejected(Reason.INVALID_FIELD, ping(o -> peerOf(o).put("caps", Arrays.asList((Object) null))));
        // not a map, and trailing data
        assertRejected(Reason.MALFORMED, Tree.write(null, false));
        // arrays: databind tried the "wrapper array" form ["p", {...}]; refused with its reasons
        assertRejected(Reason.MALFORMED, Tree.write(List.of(), false));
        assertRejected(Reason.MALFORMED, Tree.write(List.of(List.of("p")), false));
        assertRejected(Reason.MALFORMED, Tree.write(List.of(new Obj()), false));
        assertRejected(Reason.UNKNOWN_TYPE, Tree.write(List.of(1L, 2L), false));
        assertRejected(Reason.UNKNOWN_TYPE, Tree.write(List.of("zz", new Obj()), false));
        assertRejected(Reason.UNKNOWN_TYPE, Tree.write(Arrays.asList(null, new Obj()), false));
        assertRejected(Reason.UNKNOWN_TYPE, Tree.write(List.of(true), false));
        byte[] good = DatabindReference.encode(Samples.all(1).get(0));
        assertRejected(Reason.MALFORMED, Arrays.copyOf(good, good.length + 1));
    }

    /** What databind coerced and the streaming decoder refuses: no encoder writes any of it. */
    @Test
    void coercionsDatabindAllowedAreMalformedNow() throws Exception {
        List<byte[]> coerced = List.of(
                ping(o -> o.put("txid", 5.0)),
                ping(o -> o.put("txid", 5.7)),
                ping(o -> o.put("txid", Double.NaN)),
                ping(o -> peerOf(o).put("region", 7L)),
                ping(o -> peerOf(o).put("region", true)),
                ping(o -> peerOf(o).put("region", 1.5)),
                ping(o -> peerOf(o).put("region", new byte[3])),
                ping(o -> peerOf(o).put("caps", List.of(3L))),
                ping(o -> peerOf(o).put("id", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")),
                ping(o -> peerOf(o).put("id", List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L,
                        16L, 17L, 18L, 19L, 20L))),
                ping(o -> peerOf(o).put("role", " WORKER")),
                ping(o -> peerOf(o).put("role", "WORKER ")));
        for (byte[] payload : coerced) {
            Message old = DatabindReference.decode(payload);
            MessageValidator.validate(old);
            DecodeException e = assertThrows(DecodeException.class, () -> MessageCbor.read(payload, 0, payload.length));
            assertEquals(Reason.MALFORMED, e.reason());
            assertTrue(TIGHTENED.contains(e.getMessage()), e.getMessage());
        }
        // the "wrapper array" form of a message
        Obj ping = (Obj) Tree.parse(DatabindReference.encode(Samples.all(1).get(0)));
        ping.remove("t");
        byte[] wrapped = Tree.write(List.of("p", ping), false);
        DatabindReference.decode(wrapped);
        assertRejectedNow(Reason.MALFORMED, wrapped);
    }

    @Test
    void oversizeListsAndStringsAreRejected() throws Exception {
        Random r = new Random(16);
        List<WireContact> contacts = new ArrayList<>();
        for (int i = 0; i <= MessageValidator.MAX_CONTACTS; i++) {
            contacts.add(Samples.contact(r));
        }
        assertRejected(Reason.INVALID_FIELD, DatabindReference.encode(new Message.Nodes(1, peer(), contacts)));
        List<WireBootstrapNode> nodes = new ArrayList<>();
        for (int i = 0; i <= MessageValidator.MAX_BOOTSTRAP_NODES; i++) {
            nodes.add(Samples.bootstrapNode(r, i));
        }
        assertRejected(Reason.INVALID_FIELD, DatabindReference.encode(new Message.Referral(1, peer(), "x", nodes)));
        assertRejected(Reason.INVALID_FIELD, ping(o -> peerOf(o).put("caps", List.of("a", "b", "c", "d", "e", "f", "g",
                "h", "i"))));
        assertRejected(Reason.INVALID_FIELD, ping(o -> peerOf(o).put("region", "x".repeat(33))));
        assertRejected(Reason.INVALID_FIELD, ping(o -> peerOf(o).put("id", new byte[21])));
        assertRejected(Reason.INVALID_FIELD, DatabindReference.encode(new Message.StoreAck(1, peer(), false, "r".repeat(65))));
        assertRejected(Reason.INVALID_FIELD, DatabindReference.encode(new Message.Store(1, peer(), new byte[20],
                new WireValue("k", "\"" + "x".repeat(DhtLimits.MAX_VALUE_BYTES) + "\"", 1, 1000, new byte[20], false))));
        // lengths that lie: a string, a byte string, an array and a map claiming 2 GB inside a small datagram
        byte[] good = ping(o -> peerOf(o).put("region", "abcd"));
        int at = Samples.indexOf(good, new byte[] {0x64, 'a', 'b', 'c', 'd'});
        for (int major : new int[] {2, 3, 4, 5}) {
            byte[] lie = good.clone();
            lie[at] = (byte) ((major << 5) | 26);
            lie[at + 1] = 0x7f;
            lie[at + 2] = (byte) 0xff;
            lie[at + 3] = (byte) 0xff;
            lie[at + 4] = (byte) 0xff;
            assertRejected(Reason.MALFORMED, lie);
        }
        // nesting beyond the parser's limit
        Object deep = "x";
        for (int i = 0; i < 50; i++) {
            deep = List.of(deep);
        }
        Object finalDeep = deep;
        assertRejected(Reason.MALFORMED, ping(o -> peerOf(o).put("caps", finalDeep)));
    }

    @Test
    void onlyDecodeExceptionEscapesFromRandomBytes() {
        Random r = new Random(17);
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[r.nextInt(64)];
            r.nextBytes(b);
            if (i % 2 == 0 && b.length > 0) {
                b[0] = (byte) (0xa0 | r.nextInt(8)); // a small map, so the parser gets further
            }
            try {
                MessageCbor.read(b, 0, b.length);
            } catch (DecodeException e) {
                assertNotNull(e.reason());
            } catch (Throwable t) {
                fail("input " + i + " raised " + t, t);
            }
        }
    }

    // ------------------------------------------------------------ helpers

    private static byte[] streaming(Message m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageCbor.write(out, m);
        return out.toByteArray();
    }

    static String deep(Message m) throws IOException {
        return m.getClass().getSimpleName() + JSON.writeValueAsString(m);
    }

    private static Peer peer() {
        return new Peer(new byte[20], NodeRole.WORKER, "", List.of());
    }

    /** A valid Ping's payload after {@code edit} of its tree. */
    private static byte[] ping(Consumer<Obj> edit) throws IOException {
        Obj o = (Obj) Tree.parse(DatabindReference.encode(new Message.Ping(5, new Peer(new byte[20], NodeRole.WORKER, "",
                List.of("qkd")))));
        edit.accept(o);
        return Tree.write(o, false);
    }

    private static Obj peerOf(Obj message) {
        return (Obj) message.get("from");
    }

    /** Both decoders (and the validator after them) reject {@code payload} with {@code reason}. */
    private static void assertRejected(Reason reason, byte[] payload) {
        assertEquals(reason, Outcome.streaming(payload).reason, "streaming");
        assertEquals(reason, Outcome.reference(payload).reason, "databind");
    }

    /** Only the streaming decoder: for what databind coerced. */
    private static void assertRejectedNow(Reason reason, byte[] payload) {
        assertEquals(reason, Outcome.streaming(payload).reason, "streaming");
    }

    /** Accepted (with the message) or rejected (with the reason and detail). */
    private record Outcome(String message, Reason reason, String detail) {
        /** One of the two decoders under comparison. */
        interface Decoder {
            Message decode(byte[] payload) throws DecodeException;
        }

        static Outcome reference(byte[] payload) {
            return of(payload, DatabindReference::decode);
        }

        static Outcome streaming(byte[] payload) {
            return of(payload, b -> MessageCbor.read(b, 0, b.length));
        }

        private static Outcome of(byte[] payload, Decoder decoder) {
            try {
                Message m = decoder.decode(payload);
                MessageValidator.validate(m);
                return new Outcome(deep(m), null, null);
            } catch (DecodeException e) {
                return new Outcome(null, e.reason(), e.getMessage());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        boolean sameAs(Outcome o) {
            return reason == o.reason && (reason != null || message.equals(o.message));
        }

        @Override
        public String toString() {
            return reason == null ? "accepted" : reason + "[" + detail + "]";
        }
    }

    /** Edits of one map entry: {@link #KINDS} of them, the replacements from {@link #FIRST_REPLACEMENT} on. */
    private static final class Mutation {
        static final Object[] VALUES = {7L, -7L, 1L << 40, BigInteger.TWO.pow(70), 5.0, 5.5, Double.NaN, "x", "",
            "WORKER", new byte[20], new byte[0], true, false, List.of(), List.of("x"), new Obj()};
        static final int FIRST_REPLACEMENT = 5;
        static final int KINDS = FIRST_REPLACEMENT + VALUES.length;

        static String apply(Tree.Entry e, int kind) {
            switch (kind) {
                case 0:
                    e.map().keys.remove(e.index());
                    e.map().values.remove(e.index());
                    return "removed";
                case 1:
                    e.map().values.set(e.index(), null);
                    return "null";
                case 2:
                    e.map().keys.set(e.index(), e.key() + "x");
                    return "renamed";
                case 3:
                    e.map().keys.add(e.key());
                    e.map().values.add(e.map().values.get(e.index()));
                    return "duplicated";
                case 4:
                    e.map().keys.add(0, e.map().keys.remove(e.index()));
                    e.map().values.add(0, e.map().values.remove(e.index()));
                    return "moved first";
                default:
                    Object v = VALUES[kind - FIRST_REPLACEMENT];
                    e.map().values.set(e.index(), v);
                    return "= " + (v instanceof byte[] b ? "bytes[" + b.length + "]" : String.valueOf(v));
            }
        }
    }

    /** A CBOR map with ordered and possibly repeated keys. */
    static final class Obj {
        final List<String> keys = new ArrayList<>();
        final List<Object> values = new ArrayList<>();

        Object get(String key) {
            return values.get(keys.indexOf(key));
        }

        void put(String key, Object value) {
            int i = keys.indexOf(key);
            if (i < 0) {
                add(key, value);
            } else {
                values.set(i, value);
            }
        }

        void add(String key, Object value) {
            keys.add(key);
            values.add(value);
        }

        void remove(String key) {
            int i = keys.indexOf(key);
            keys.remove(i);
            values.remove(i);
        }

        void rename(String key, String to) {
            keys.set(keys.indexOf(key), to);
        }
    }

    /** CBOR payloads as trees of {@link Obj}, lists and scalars, to edit them freely. */
    static final class Tree {
        record Entry(Obj map, int index) {
            String key() {
                return map.keys.get(index);
            }
        }

        static Object parse(byte[] payload) throws IOException {
            try (CBORParser p = (CBORParser) CBOR.createParser(payload)) {
                return value(p, p.nextToken());
            }
        }

        private static Object value(CBORParser p, JsonToken t) throws IOException {
            switch (t) {
                case START_OBJECT: {
                    Obj o = new Obj();
                    for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                        String name = p.currentName();
                        o.add(name, value(p, p.nextToken()));
                    }
                    return o;
                }
                case START_ARRAY: {
                    List<Object> l = new ArrayList<>();
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                        l.add(value(p, e));
                    }
                    return l;
                }
                case VALUE_STRING:
                    return p.getText();
                case VALUE_EMBEDDED_OBJECT:
                    return p.getBinaryValue();
                case VALUE_NUMBER_INT:
                    return p.getNumberType() == com.fasterxml.jackson.core.JsonParser.NumberType.BIG_INTEGER
                            ? p.getBigIntegerValue() : (Object) p.getLongValue();
                case VALUE_NUMBER_FLOAT:
                    return p.getDoubleValue();
                case VALUE_TRUE:
                    return true;
                case VALUE_FALSE:
                    return false;
                case VALUE_NULL:
                    return null;
                default:
                    throw new IOException("unexpected " + t);
            }
        }

        /** The payload of {@code tree}; maps of definite length when {@code definite}, as databind never writes them. */
        static byte[] write(Object tree, boolean definite) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (CBORGenerator g = (CBORGenerator) CBOR.createGenerator(out)) {
                write(g, tree, definite);
            }
            return out.toByteArray();
        }

        private static void write(CBORGenerator g, Object v, boolean definite) throws IOException {
            if (v instanceof Obj o) {
                if (definite) {
                    g.writeStartObject(o, o.keys.size());
                } else {
                    g.writeStartObject();
                }
                for (int i = 0; i < o.keys.size(); i++) {
                    g.writeFieldName(o.keys.get(i));
                    write(g, o.values.get(i), definite);
                }
                g.writeEndObject();
            } else if (v instanceof List<?> l) {
                g.writeStartArray(l, l.size());
                for (Object e : l) {
                    write(g, e, definite);
                }
                g.writeEndArray();
            } else if (v == null) {
                g.writeNull();
            } else if (v instanceof String s) {
                g.writeString(s);
            } else if (v instanceof byte[] b) {
                g.writeBinary(b);
            } else if (v instanceof Long n) {
                g.writeNumber(n);
            } else if (v instanceof BigInteger n) {
                g.writeNumber(n);
            } else if (v instanceof Double n) {
                g.writeNumber(n);
            } else if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else {
                throw new IOException("cannot write " + v.getClass());
            }
        }

        /** Every map entry, depth first. */
        static List<Entry> entries(Object tree) {
            List<Entry> all = new ArrayList<>();
            collect(tree, all);
            return all;
        }

        private static void collect(Object v, List<Entry> all) {
            if (v instanceof Obj o) {
                for (int i = 0; i < o.keys.size(); i++) {
                    all.add(new Entry(o, i));
                    collect(o.values.get(i), all);
                }
            } else if (v instanceof List<?> l) {
                for (Object e : l) {
                    collect(e, all);
                }
            }
        }

        /** Shuffles the keys of every map in {@code tree}. */
        static void shuffle(Object tree, Random r) {
            for (Entry e : entries(tree)) {
                Obj o = e.map();
                int j = r.nextInt(o.keys.size());
                String k = o.keys.get(e.index());
                Object v = o.values.get(e.index());
                o.keys.set(e.index(), o.keys.get(j));
                o.values.set(e.index(), o.values.get(j));
                o.keys.set(j, k);
                o.values.set(j, v);
            }
        }
    }

    /** Random messages of every type, with values the validator may refuse (the codec must still agree). */
    static final class RandomMessages {
        private static final long[] EDGE_LONGS = {0, 1, -1, 23, 24, -24, -25, 255, 256, 65535, 65536,
            Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, 0xffff_ffffL,
            0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE};
        private static final String[] STRINGS = {"", "a", "eu-west", "\u00e9\u4e2d", "\ud83d\ude00 emoji", "x".repeat(23),
            "y".repeat(24), "z".repeat(255), "w".repeat(256), "{\"a\":1}", "lb-001", "AT_CAPACITY", "RATE_LIMITED"};

        static Message any(Random r) {
            Peer f = r.nextInt(50) == 0 ? null : peer(r);
            long tx = aLong(r);
            switch (r.nextInt(19)) {
                case 0: return new Message.Ping(tx, f);
                case 1: return new Message.Pong(tx, f, bytes(r), anInt(r));
                case 2: return new Message.FindNode(tx, f, bytes(r));
                case 3: return new Message.Nodes(tx, f, list(r, () -> r.nextInt(30) == 0 ? null : contact(r)));
                case 4: return new Message.FindValue(tx, f, bytes(r));
                case 5: return new Message.ValueFound(tx, f, value(r));
                case 6: return new Message.Store(tx, f, bytes(r), value(r));
                case 7: return new Message.StoreAck(tx, f, r.nextBoolean(), text(r));
                case 8: return new Message.ErrorReply(tx, f, r.nextBoolean() ? ErrorCode.values()[r.nextInt(4)].name() : text(r));
                case 9: return new Message.Join(tx, f, text(r), anInt(r));
                case 10: return new Message.JoinReply(tx, f, text(r), aLong(r), list(r, () -> bootstrapNode(r)), text(r), text(r));
                case 11: return new Message.Renew(tx, f);
                case 12: return new Message.Leave(tx, f);
                case 13: return new Message.TierAck(tx, f, r.nextBoolean(), text(r));
                case 14: return new Message.LoadReport(tx, f, text(r), role(r), text(r), text(r), anInt(r), anInt(r),
                        r.nextBoolean());
                case 15: return new Message.ReferralRequest(tx, f, text(r), text(r), anInt(r));
                case 16: return new Message.Referral(tx, f, text(r), list(r, () -> bootstrapNode(r)));
                case 17: return new Message.RegisterWorkers(tx, f, text(r), list(r, () -> new WireWorker(bytes(r), bytes(r),
                        anInt(r), r.nextBoolean())));
                default: return new Message.CapacityOrder(tx, f, text(r), anInt(r), text(r));
            }
        }

        static Peer peer(Random r) {
            return new Peer(bytes(r), role(r), text(r), list(r, () -> text(r)));
        }

        static WireContact contact(Random r) {
            return new WireContact(bytes(r), bytes(r), anInt(r), role(r), text(r), list(r, () -> text(r)));
        }

        static WireValue value(Random r) {
            return r.nextInt(30) == 0 ? null
                    : new WireValue(text(r), text(r), aLong(r), aLong(r), bytes(r), r.nextBoolean());
        }

        static WireBootstrapNode bootstrapNode(Random r) {
            return r.nextInt(30) == 0 ? null : new WireBootstrapNode(text(r), bytes(r), role(r), text(r), text(r),
                    bytes(r), anInt(r), anInt(r), anInt(r), r.nextBoolean());
        }

        static <T> List<T> list(Random r, java.util.function.Supplier<T> element) {
            if (r.nextInt(30) == 0) {
                return null;
            }
            int n = r.nextInt(4) == 0 ? r.nextInt(30) : r.nextInt(4);
            List<T> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                l.add(element.get());
            }
            return l;
        }

        static NodeRole role(Random r) {
            return r.nextInt(30) == 0 ? null : NodeRole.values()[r.nextInt(NodeRole.values().length)];
        }

        static String text(Random r) {
            if (r.nextInt(30) == 0) {
                return null;
            }
            if (r.nextBoolean()) {
                return STRINGS[r.nextInt(STRINGS.length)];
            }
            StringBuilder s = new StringBuilder();
            for (int i = 0, n = r.nextInt(40); i < n; i++) {
                s.append((char) (r.nextBoolean() ? 'a' + r.nextInt(26) : 0x80 + r.nextInt(0xd000)));
            }
            return s.toString();
        }

        static byte[] bytes(Random r) {
            if (r.nextInt(30) == 0) {
                return null;
            }
            int[] lengths = {0, 4, 16, 20, 23, 24, r.nextInt(40), r.nextInt(300)};
            return Samples.bytes(r, lengths[r.nextInt(lengths.length)]);
        }

        static long aLong(Random r) {
            return r.nextBoolean() ? EDGE_LONGS[r.nextInt(EDGE_LONGS.length)] : r.nextLong() >> r.nextInt(64);
        }

        static int anInt(Random r) {
            return r.nextBoolean() ? (int) EDGE_LONGS[r.nextInt(11)] : r.nextInt() >> r.nextInt(32);
        }
    }
}
