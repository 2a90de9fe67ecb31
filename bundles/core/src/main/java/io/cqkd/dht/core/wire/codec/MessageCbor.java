package io.cqkd.dht.core.wire.codec;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.END_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_EMBEDDED_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_FALSE;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;
import static com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactoryBuilder;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.WireBootstrapNode;
import io.cqkd.dht.core.wire.WireContact;
import io.cqkd.dht.core.wire.WireValue;
import io.cqkd.dht.core.wire.WireWorker;
import io.cqkd.dht.core.wire.codec.DecodeException.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The CBOR payload of every {@link Message}, written and read token by token with Jackson's
 * streaming API ({@link CBORGenerator}, {@link CBORParser}); no databind.
 *
 * <p><b>Format.</b> Byte for byte what Jackson databind wrote for the annotated records (and still
 * writes: the tests keep it as the reference): an indefinite-length map whose first key is
 * {@code "t"} (the type id of {@link Message}'s {@code @JsonSubTypes}), then the record
 * components in declaration order under their own names; nested records are indefinite-length
 * maps too, except a {@link WireContact}, an indefinite-length array of its six components in
 * order ({@code @JsonFormat(shape = ARRAY)}); lists are definite-length arrays, {@code byte[]}
 * byte strings, enums their names, integers in their shortest form, {@code null} written as null.
 *
 * <p><b>Reading</b> accepts the keys of a map in any order and {@code "t"} anywhere in the top-level
 * map (found the way databind's type deserializer finds it; only the rare out-of-order case pays
 * a second pass). Rejections have the reasons databind gave: an unknown or missing type id is
 * {@link Reason#UNKNOWN_TYPE}; an unknown key, a duplicate key, a missing primitive, a wrong token,
 * trailing bytes and anything the parser refuses are {@link Reason#MALFORMED}; a missing or null
 * object, string, enum, list or byte string is read as {@code null} and left to {@link MessageValidator}
 * ({@link Reason#INVALID_FIELD}). Duplicate keys are caught with a bit set per map instead of the
 * parser's {@code STRICT_DUPLICATE_DETECTION}, which allocates a hash set per map.
 *
 * <p><b>Stricter than databind</b> where databind coerced, which contradicted the codec's
 * "no coercion" rule and is never produced by any encoder: a float for an integer (databind
 * truncated it, NaN became 0), a number, boolean or byte string for a string (databind turned it
 * into text, bytes as base64), a base64 string or an array of numbers for a byte string, an
 * enum name with surrounding blanks, the "wrapper array" form {@code ["p", {...}]} of a message,
 * and a contact array of any length but six (databind left missing fields empty and skipped extra
 * elements). All of these are {@link Reason#MALFORMED}.
 *
 * <p>All nineteen message types go through here, the bootstrap-tier ones included: they are rare,
 * but one code path keeps the rules above (and the stricter typing) identical for every message,
 * and lets the codec drop its databind mapper; they gain like the rest (measured, CPU time: a
 * 64-node {@link Message.Referral} decodes in 35-41 us instead of 52-61, encodes in 14 instead of 20).
 *
 * <p>Cost: most of what remains is the parser's own per-token work, chiefly decoding and
 * canonicalizing map keys (the reason contacts, twenty to an answer, have none).
 * {@code nextFieldName(SerializableString)} would skip that for keys in the expected order, but
 * jackson-dataformat-cbor 2.18 misreads a 23-byte key there (it takes the key's first byte as a
 * length), so a crafted key could be matched by mistake.
 */
final class MessageCbor {
    private static final CBORFactory FACTORY = factory(false);
    /** Only for {@link #scanForType}: databind's parser detected duplicates while it searched for "t". */
    private static final CBORFactory STRICT_FACTORY = factory(true);
    /** The largest list capacity taken from an array's stated length before its elements are read. */
    private static final int MAX_PRESIZED_LIST = 64;

    // Type ids, as in Message's @JsonSubTypes.
    private static final int PING = 0;
    private static final int PONG = 1;
    private static final int FIND_NODE = 2;
    private static final int NODES = 3;
    private static final int FIND_VALUE = 4;
    private static final int VALUE_FOUND = 5;
    private static final int STORE = 6;
    private static final int STORE_ACK = 7;
    private static final int ERROR_REPLY = 8;
    private static final int JOIN = 9;
    private static final int JOIN_REPLY = 10;
    private static final int RENEW = 11;
    private static final int LEAVE = 12;
    private static final int TIER_ACK = 13;
    private static final int LOAD_REPORT = 14;
    private static final int REFERRAL_REQUEST = 15;
    private static final int REFERRAL = 16;
    private static final int REGISTER_WORKERS = 17;
    private static final int CAPACITY_ORDER = 18;
    private static final SerializedString[] TYPE_IDS = names("p", "P", "f", "N", "v", "V", "s", "S", "E", "j", "J",
            "r", "l", "A", "o", "q", "Q", "w", "c");

    // Keys of the top-level map: one bit each, for the allowed/seen/required sets of a type.
    private static final int K_T = 0;
    private static final int K_TXID = 1;
    private static final int K_FROM = 2;
    private static final int K_OBSERVED_IP = 3;
    private static final int K_OBSERVED_PORT = 4;
    private static final int K_TARGET = 5;
    private static final int K_NODES = 6;
    private static final int K_KEY = 7;
    private static final int K_VALUE = 8;
    private static final int K_STORED = 9;
    private static final int K_REASON = 10;
    private static final int K_CODE = 11;
    private static final int K_REGION = 12;
    private static final int K_EXPECTED_WORKERS = 13;
    private static final int K_OUTCOME = 14;
    private static final int K_LEASE_MILLIS = 15;
    private static final int K_DETAIL = 16;
    private static final int K_OK = 17;
    private static final int K_NAME = 18;
    private static final int K_LEVEL = 19;
    private static final int K_PARENT = 20;
    private static final int K_ACTIVE_SESSIONS = 21;
    private static final int K_CAPACITY = 22;
    private static final int K_HEALTHY = 23;
    private static final int K_MAX = 24;
    private static final int K_RESPONDER = 25;
    private static final int K_WORKERS = 26;
    // 27-29: names of nested keys only (no message has them at the top level)
    private static final int K_IP = 27;
    private static final int K_PORT = 28;
    private static final int K_LIVE = 29;
    private static final int K_BACKUP = 30;
    private static final int K_TAKES_PLACE_OF = 31;
    /** Names of the keys above, by index, for writing. */
    private static final SerializedString[] KEYS = names("t", "txid", "from", "observedIp", "observedPort", "target",
            "nodes", "key", "value", "stored", "reason", "code", "region", "expectedWorkers", "outcome", "leaseMillis",
            "detail", "ok", "name", "level", "parent", "activeSessions", "capacity", "healthy", "max", "responder",
            "workers", "ip", "port", "live", "backup", "takesPlaceOf");

    /** Per type: the keys its map may hold. */
    private static final long[] ALLOWED = new long[TYPE_IDS.length];
    /**
     * Per type: the keys that must be present, i.e. its primitives (databind failed on a missing
     * primitive; a missing object became null for the validator to refuse).
     */
    private static final long[] REQUIRED = new long[TYPE_IDS.length];

    static {
        keys(PING);
        keys(PONG, K_OBSERVED_IP, K_OBSERVED_PORT);
        keys(FIND_NODE, K_TARGET);
        keys(NODES, K_NODES);
        keys(FIND_VALUE, K_KEY);
        keys(VALUE_FOUND, K_VALUE);
        keys(STORE, K_KEY, K_VALUE);
        keys(STORE_ACK, K_STORED, K_REASON);
        keys(ERROR_REPLY, K_CODE);
        keys(JOIN, K_REGION, K_EXPECTED_WORKERS);
        keys(JOIN_REPLY, K_OUTCOME, K_LEASE_MILLIS, K_NODES, K_REASON, K_DETAIL);
        keys(RENEW);
        keys(LEAVE);
        keys(TIER_ACK, K_OK, K_REASON);
        keys(LOAD_REPORT, K_NAME, K_LEVEL, K_REGION, K_PARENT, K_ACTIVE_SESSIONS, K_CAPACITY, K_HEALTHY);
        keys(REFERRAL_REQUEST, K_LEVEL, K_REGION, K_MAX);
        keys(REFERRAL, K_RESPONDER, K_NODES);
        keys(REGISTER_WORKERS, K_REGION, K_WORKERS);
        keys(CAPACITY_ORDER, K_BACKUP, K_CAPACITY, K_TAKES_PLACE_OF);
        long primitives = bits(K_TXID, K_OBSERVED_PORT, K_STORED, K_EXPECTED_WORKERS, K_LEASE_MILLIS, K_OK,
                K_ACTIVE_SESSIONS, K_CAPACITY, K_HEALTHY, K_MAX);
        for (int type = 0; type < TYPE_IDS.length; type++) {
            REQUIRED[type] = ALLOWED[type] & primitives;
        }
    }

    // Keys of the nested records (written only; read with a switch on the name).
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString ROLE = new SerializedString("role");
    private static final SerializedString REGION = KEYS[K_REGION];
    private static final SerializedString CAPS = new SerializedString("caps");
    private static final SerializedString IP = KEYS[K_IP];
    private static final SerializedString PORT = KEYS[K_PORT];
    private static final SerializedString KEY = KEYS[K_KEY];
    private static final SerializedString JSON = new SerializedString("json");
    private static final SerializedString VERSION = new SerializedString("version");
    private static final SerializedString TTL_MILLIS = new SerializedString("ttlMillis");
    private static final SerializedString PUBLISHER = new SerializedString("publisher");
    private static final SerializedString TOMBSTONE = new SerializedString("tombstone");
    private static final SerializedString NAME = KEYS[K_NAME];
    private static final SerializedString LEVEL = KEYS[K_LEVEL];
    private static final SerializedString PARENT = KEYS[K_PARENT];
    private static final SerializedString ACTIVE_SESSIONS = KEYS[K_ACTIVE_SESSIONS];
    private static final SerializedString CAPACITY = KEYS[K_CAPACITY];
    private static final SerializedString HEALTHY = KEYS[K_HEALTHY];
    private static final SerializedString LIVE = KEYS[K_LIVE];
    private static final SerializedString WORKER = new SerializedString("worker");

    private static final NodeRole[] ROLES = NodeRole.values();

    private MessageCbor() {
    }

    /**
     * The parser and generator limits the codec has always had (databind ran on the same factory
     * settings): they bound nesting, string, number and name lengths whatever the input claims.
     */
    private static CBORFactory factory(boolean strictDuplicates) {
        StreamReadConstraints read = StreamReadConstraints.builder()
                .maxNestingDepth(8)
                .maxStringLength(DhtLimits.MAX_DATAGRAM_BYTES)
                .maxNumberLength(24)
                .maxNameLength(32)
                .maxDocumentLength(DhtLimits.MAX_DATAGRAM_BYTES)
                .build();
        CBORFactoryBuilder b = CBORFactory.builder()
                .streamReadConstraints(read)
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(8).build())
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET);
        if (strictDuplicates) {
            b.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        }
        return b.build();
    }

    // ---------------------------------------------------------------- writing

    /** Writes {@code m}'s payload to {@code out} (a validated message: the validator runs first). */
    static void write(OutputStream out, Message m) throws IOException {
        try (CBORGenerator g = (CBORGenerator) FACTORY.createGenerator(out)) {
            write(g, m);
        }
    }

    private static void write(CBORGenerator g, Message m) throws IOException {
        g.writeStartObject();
        // hot Kademlia types first
        if (m instanceof Message.Nodes n) {
            head(g, NODES, m);
            contacts(g, n.nodes());
        } else if (m instanceof Message.FindNode f) {
            head(g, FIND_NODE, m);
            bytes(g, KEYS[K_TARGET], f.target());
        } else if (m instanceof Message.Ping) {
            head(g, PING, m);
        } else if (m instanceof Message.Pong p) {
            head(g, PONG, m);
            bytes(g, KEYS[K_OBSERVED_IP], p.observedIp());
            int32(g, KEYS[K_OBSERVED_PORT], p.observedPort());
        } else if (m instanceof Message.FindValue f) {
            head(g, FIND_VALUE, m);
            bytes(g, KEY, f.key());
        } else if (m instanceof Message.ValueFound v) {
            head(g, VALUE_FOUND, m);
            value(g, v.value());
        } else if (m instanceof Message.Store s) {
            head(g, STORE, m);
            bytes(g, KEY, s.key());
            value(g, s.value());
        } else if (m instanceof Message.StoreAck a) {
            head(g, STORE_ACK, m);
            bool(g, KEYS[K_STORED], a.stored());
            text(g, KEYS[K_REASON], a.reason());
        } else if (m instanceof Message.ErrorReply e) {
            head(g, ERROR_REPLY, m);
            text(g, KEYS[K_CODE], e.code());
        } else {
            writeTier(g, m);
        }
        g.writeEndObject();
    }

    private static void writeTier(CBORGenerator g, Message m) throws IOException {
        if (m instanceof Message.Join j) {
            head(g, JOIN, m);
            text(g, REGION, j.region());
            int32(g, KEYS[K_EXPECTED_WORKERS], j.expectedWorkers());
        } else if (m instanceof Message.JoinReply r) {
            head(g, JOIN_REPLY, m);
            text(g, KEYS[K_OUTCOME], r.outcome());
            int64(g, KEYS[K_LEASE_MILLIS], r.leaseMillis());
            bootstrapNodes(g, r.nodes());
            text(g, KEYS[K_REASON], r.reason());
            text(g, KEYS[K_DETAIL], r.detail());
        } else if (m instanceof Message.Renew) {
            head(g, RENEW, m);
        } else if (m instanceof Message.Leave) {
            head(g, LEAVE, m);
        } else if (m instanceof Message.TierAck a) {
            head(g, TIER_ACK, m);
            bool(g, KEYS[K_OK], a.ok());
            text(g, KEYS[K_REASON], a.reason());
        } else if (m instanceof Message.LoadReport r) {
            head(g, LOAD_REPORT, m);
            text(g, NAME, r.name());
            role(g, LEVEL, r.level());
            text(g, REGION, r.region());
            text(g, PARENT, r.parent());
            int32(g, ACTIVE_SESSIONS, r.activeSessions());
            int32(g, CAPACITY, r.capacity());
            bool(g, HEALTHY, r.healthy());
        } else if (m instanceof Message.ReferralRequest q) {
            head(g, REFERRAL_REQUEST, m);
            text(g, LEVEL, q.level());
            text(g, REGION, q.region());
            int32(g, KEYS[K_MAX], q.max());
        } else if (m instanceof Message.Referral r) {
            head(g, REFERRAL, m);
            text(g, KEYS[K_RESPONDER], r.responder());
            bootstrapNodes(g, r.nodes());
        } else if (m instanceof Message.RegisterWorkers r) {
            head(g, REGISTER_WORKERS, m);
            text(g, REGION, r.region());
            list(g, KEYS[K_WORKERS], r.workers(), (gen, w) -> {
                gen.writeStartObject();
                bytes(gen, WORKER, w.worker());
                bytes(gen, IP, w.ip());
                int32(gen, PORT, w.port());
                bool(gen, LIVE, w.live());
                gen.writeEndObject();
            });
        } else if (m instanceof Message.CapacityOrder o) {
            head(g, CAPACITY_ORDER, m);
            text(g, KEYS[K_BACKUP], o.backup());
            int32(g, CAPACITY, o.capacity());
            text(g, KEYS[K_TAKES_PLACE_OF], o.takesPlaceOf());
        } else {
            // unreachable for the sealed hierarchy; the caller maps it to an EncodeException
            throw new IOException("unknown message class");
        }
    }

    /** "t", "txid" and "from": the start of every message. */
    private static void head(CBORGenerator g, int type, Message m) throws IOException {
        g.writeFieldName(KEYS[K_T]);
        g.writeString(TYPE_IDS[type]);
        int64(g, KEYS[K_TXID], m.txid());
        g.writeFieldName(KEYS[K_FROM]);
        Peer p = m.from();
        if (p == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        bytes(g, ID, p.id());
        role(g, ROLE, p.role());
        text(g, REGION, p.region());
        strings(g, CAPS, p.caps());
        g.writeEndObject();
    }

    private static void contacts(CBORGenerator g, List<WireContact> contacts) throws IOException {
        list(g, KEYS[K_NODES], contacts, (gen, c) -> {
            gen.writeStartArray();
            bytes(gen, c.id());
            bytes(gen, c.ip());
            gen.writeNumber(c.port());
            role(gen, c.role());
            text(gen, c.region());
            strings(gen, c.caps());
            gen.writeEndArray();
        });
    }

    private static void value(CBORGenerator g, WireValue v) throws IOException {
        g.writeFieldName(KEYS[K_VALUE]);
        if (v == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        text(g, KEY, v.key());
        text(g, JSON, v.json());
        int64(g, VERSION, v.version());
        int64(g, TTL_MILLIS, v.ttlMillis());
        bytes(g, PUBLISHER, v.publisher());
        bool(g, TOMBSTONE, v.tombstone());
        g.writeEndObject();
    }

    private static void bootstrapNodes(CBORGenerator g, List<WireBootstrapNode> nodes) throws IOException {
        list(g, KEYS[K_NODES], nodes, (gen, b) -> {
            gen.writeStartObject();
            text(gen, NAME, b.name());
            bytes(gen, ID, b.id());
            role(gen, LEVEL, b.level());
            text(gen, REGION, b.region());
            text(gen, PARENT, b.parent());
            bytes(gen, IP, b.ip());
            int32(gen, PORT, b.port());
            int32(gen, ACTIVE_SESSIONS, b.activeSessions());
            int32(gen, CAPACITY, b.capacity());
            bool(gen, HEALTHY, b.healthy());
            gen.writeEndObject();
        });
    }

    private static void strings(CBORGenerator g, SerializableString key, List<String> list) throws IOException {
        g.writeFieldName(key);
        strings(g, list);
    }

    private static void strings(CBORGenerator g, List<String> list) throws IOException {
        list(g, list, CBORGenerator::writeString);
    }

    /** Writes one element of a list (never null: null elements are written as null by {@link #list}). */
    @FunctionalInterface
    private interface ElementWriter<T> {
        void write(CBORGenerator g, T element) throws IOException;
    }

    /** {@code key} and the array of {@code items} (null for a null list or element), each by {@code element}. */
    private static <T> void list(CBORGenerator g, SerializableString key, List<T> items, ElementWriter<T> element)
            throws IOException {
        g.writeFieldName(key);
        list(g, items, element);
    }

    /** The array of {@code items} (null for a null list or element), each by {@code element}. */
    private static <T> void list(CBORGenerator g, List<T> items, ElementWriter<T> element) throws IOException {
        if (items == null) {
            g.writeNull();
            return;
        }
        int n = items.size();
        g.writeStartArray(items, n);
        for (int i = 0; i < n; i++) {
            T item = items.get(i);
            if (item == null) {
                g.writeNull();
            } else {
                element.write(g, item);
            }
        }
        g.writeEndArray();
    }

    private static void text(CBORGenerator g, SerializableString key, String s) throws IOException {
        g.writeFieldName(key);
        text(g, s);
    }

    private static void text(CBORGenerator g, String s) throws IOException {
        if (s == null) {
            g.writeNull();
        } else {
            g.writeString(s);
        }
    }

    private static void bytes(CBORGenerator g, SerializableString key, byte[] b) throws IOException {
        g.writeFieldName(key);
        bytes(g, b);
    }

    private static void bytes(CBORGenerator g, byte[] b) throws IOException {
        if (b == null) {
            g.writeNull();
        } else {
            g.writeBinary(b);
        }
    }

    private static void role(CBORGenerator g, SerializableString key, NodeRole r) throws IOException {
        g.writeFieldName(key);
        role(g, r);
    }

    private static void role(CBORGenerator g, NodeRole r) throws IOException {
        if (r == null) {
            g.writeNull();
        } else {
            g.writeString(r.name());
        }
    }

    private static void int64(CBORGenerator g, SerializableString key, long v) throws IOException {
        g.writeFieldName(key);
        g.writeNumber(v); // shortest form, as databind: WRITE_MINIMAL_INTS is on by default
    }

    private static void int32(CBORGenerator g, SerializableString key, int v) throws IOException {
        g.writeFieldName(key);
        g.writeNumber(v);
    }

    private static void bool(CBORGenerator g, SerializableString key, boolean v) throws IOException {
        g.writeFieldName(key);
        g.writeBoolean(v);
    }

    // ---------------------------------------------------------------- reading

    /**
     * The message in the CBOR payload {@code data[offset, offset+length)}, not yet validated.
     *
     * @throws DecodeException {@link Reason#MALFORMED} or {@link Reason#UNKNOWN_TYPE}; nothing else escapes
     */
    static Message read(byte[] data, int offset, int length) throws DecodeException {
        try (CBORParser p = (CBORParser) FACTORY.createParser(data, offset, length)) {
            JsonToken first = p.nextToken();
            if (first != START_OBJECT) {
                throw notAMap(p, first);
            }
            Message m;
            if (p.nextToken() == FIELD_NAME && p.currentName().equals("t") && p.nextToken() == VALUE_STRING) {
                // what every encoder writes: the type first
                m = body(p, type(p.getText()), bit(K_T));
            } else {
                int type = scanForType(data, offset, length);
                try (CBORParser again = (CBORParser) FACTORY.createParser(data, offset, length)) {
                    again.nextToken(); // the START_OBJECT seen above
                    m = body(again, type, 0);
                    end(again);
                }
                return m;
            }
            end(p);
            return m;
        } catch (DecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Jackson's exceptions (and any parser bug surfacing as a runtime exception) mean the
            // same thing here: the bytes are not a message.
            throw malformed("not a well-formed message");
        }
    }

    /** No trailing data after the message (databind's FAIL_ON_TRAILING_TOKENS). */
    private static void end(CBORParser p) throws IOException, DecodeException {
        if (p.nextToken() != null) {
            throw malformed("trailing data after the message");
        }
    }

    /** Why a payload that is not a map was refused: the reasons databind gave. */
    private static DecodeException notAMap(CBORParser p, JsonToken first) throws IOException {
        if (first == VALUE_NULL) {
            return malformed("empty payload");
        }
        if (first == START_ARRAY) {
            // Databind read an array as the "wrapper array" form ["p", {...}], which no encoder writes
            // and which is refused now; but where databind failed, it fails the same way: a scalar
            // first element was taken as a type id (after reading the next token), an unknown one;
            // anything else was malformed.
            JsonToken id = p.nextToken();
            if (id == null || !id.isScalarValue() || id == VALUE_EMBEDDED_OBJECT) {
                return malformed("payload is not a map");
            }
            String text = p.getText();
            p.nextToken();
            for (SerializedString known : TYPE_IDS) {
                if (known.getValue().equals(text)) {
                    return malformed("wrapper array form");
                }
            }
            return unknownType();
        }
        if (first == null) {
            return malformed("payload is not a map");
        }
        // a scalar: databind found no type id in it
        return unknownType();
    }

    /**
     * The type of a map whose first key is not a string "t", searched as databind's
     * {@code AsPropertyTypeDeserializer} did (so the rejections are the same): top-level keys in
     * order, a number or boolean under "t" is an unknown type id at once, a null, byte string or
     * structure under "t" is passed over, a duplicate key or undecodable value anywhere before "t"
     * is malformed (databind buffered, and so decoded, everything before it), and no "t" at all is
     * a missing type id.
     */
    private static int scanForType(byte[] data, int offset, int length) throws IOException, DecodeException {
        try (JsonParser p = STRICT_FACTORY.createParser(data, offset, length)) {
            p.nextToken();
            for (JsonToken t = p.nextToken(); t == FIELD_NAME; t = p.nextToken()) {
                boolean typeKey = p.currentName().equals("t");
                JsonToken v = p.nextToken();
                if (typeKey) {
                    if (v == VALUE_STRING) {
                        return type(p.getText());
                    }
                    if (v.isNumeric() || v.isBoolean()) {
                        throw unknownType();
                    }
                }
                decode(p, v);
            }
            throw unknownType();
        }
    }

    /** Decodes the value at {@code v} and everything inside it (the parser skips undecoded strings unchecked). */
    private static void decode(JsonParser p, JsonToken v) throws IOException {
        int depth = 0;
        JsonToken t = v;
        while (true) {
            if (t == START_OBJECT || t == START_ARRAY) {
                depth++;
            } else if (t == END_OBJECT || t == END_ARRAY) {
                depth--;
            } else if (t == VALUE_STRING) {
                p.getText();
            } else if (t == VALUE_EMBEDDED_OBJECT) {
                p.getBinaryValue();
            }
            if (depth == 0) {
                return;
            }
            t = p.nextToken();
            if (t == null) {
                throw new IOException("end of input inside a structure");
            }
        }
    }

    private static int type(String id) throws DecodeException {
        if (id.length() == 1) {
            char c = id.charAt(0);
            for (int i = 0; i < TYPE_IDS.length; i++) {
                if (TYPE_IDS[i].getValue().charAt(0) == c) {
                    return i;
                }
            }
        }
        throw unknownType();
    }

    /**
     * The rest of the top-level map of a message of {@code type}, up to and including its end;
     * {@code seen} holds the keys already read.
     */
    private static Message body(CBORParser p, int type, long seen) throws IOException, DecodeException {
        long allowed = ALLOWED[type];
        long txid = 0;
        Peer from = null;
        byte[] bytes = null; // observedIp, target or key: no type has two of them
        int port = 0; // observedPort
        int count = 0; // expectedWorkers, activeSessions or max
        int capacity = 0;
        long leaseMillis = 0;
        boolean flag = false; // stored, ok or healthy
        List<WireContact> contacts = null;
        List<WireBootstrapNode> bootstrapNodes = null;
        List<WireWorker> workers = null;
        WireValue value = null;
        String region = null;
        String reason = null;
        String text1 = null; // code, outcome, name, responder or backup
        String text2 = null; // detail, parent or takesPlaceOf
        String levelName = null;
        NodeRole level = null;
        JsonToken t;
        for (t = p.nextToken(); t == FIELD_NAME; t = p.nextToken()) {
            int k = topKey(p.currentName());
            if (k < 0 || (allowed & bit(k)) == 0) {
                throw malformed("unknown key");
            }
            if ((seen & bit(k)) != 0) {
                throw malformed("duplicate key");
            }
            seen |= bit(k);
            JsonToken v = p.nextToken();
            switch (k) {
                case K_T -> expect(v, VALUE_STRING); // only when "t" was not first: scanForType has read it
                case K_TXID -> txid = int64(p, v);
                case K_FROM -> from = peer(p, v);
                case K_OBSERVED_IP, K_TARGET, K_KEY -> bytes = bytes(p, v);
                case K_OBSERVED_PORT -> port = int32(p, v);
                case K_EXPECTED_WORKERS, K_ACTIVE_SESSIONS, K_MAX -> count = int32(p, v);
                case K_CAPACITY -> capacity = int32(p, v);
                case K_LEASE_MILLIS -> leaseMillis = int64(p, v);
                case K_STORED, K_OK, K_HEALTHY -> flag = bool(p, v);
                case K_WORKERS -> workers = list(p, v, MessageCbor::worker);
                case K_NODES -> {
                    if (type == NODES) {
                        contacts = contacts(p, v);
                    } else {
                        bootstrapNodes = bootstrapNodes(p, v);
                    }
                }
                case K_VALUE -> value = value(p, v);
                case K_REGION -> region = text(p, v);
                case K_REASON -> reason = text(p, v);
                case K_CODE, K_OUTCOME, K_NAME, K_RESPONDER, K_BACKUP -> text1 = text(p, v);
                case K_DETAIL, K_PARENT, K_TAKES_PLACE_OF -> text2 = text(p, v);
                case K_LEVEL -> {
                    // a role for a load report, a filter string ("" = any) for a referral request
                    if (type == LOAD_REPORT) {
                        level = role(p, v);
                    } else {
                        levelName = text(p, v);
                    }
                }
                default -> throw new IllegalStateException("key without a reader");
            }
        }
        if (t != END_OBJECT) {
            throw malformed("not a map");
        }
        if ((REQUIRED[type] & ~seen) != 0) {
            throw malformed("missing primitive field");
        }
        return switch (type) {
            case PING -> new Message.Ping(txid, from);
            case PONG -> new Message.Pong(txid, from, bytes, port);
            case FIND_NODE -> new Message.FindNode(txid, from, bytes);
            case NODES -> new Message.Nodes(txid, from, contacts);
            case FIND_VALUE -> new Message.FindValue(txid, from, bytes);
            case VALUE_FOUND -> new Message.ValueFound(txid, from, value);
            case STORE -> new Message.Store(txid, from, bytes, value);
            case STORE_ACK -> new Message.StoreAck(txid, from, flag, reason);
            case ERROR_REPLY -> new Message.ErrorReply(txid, from, text1);
            case JOIN -> new Message.Join(txid, from, region, count);
            case JOIN_REPLY -> new Message.JoinReply(txid, from, text1, leaseMillis, bootstrapNodes, reason, text2);
            case RENEW -> new Message.Renew(txid, from);
            case LEAVE -> new Message.Leave(txid, from);
            case TIER_ACK -> new Message.TierAck(txid, from, flag, reason);
            case LOAD_REPORT -> new Message.LoadReport(txid, from, text1, level, region, text2, count, capacity, flag);
            case REFERRAL_REQUEST -> new Message.ReferralRequest(txid, from, levelName, region, count);
            case REFERRAL -> new Message.Referral(txid, from, text1, bootstrapNodes);
            case REGISTER_WORKERS -> new Message.RegisterWorkers(txid, from, region, workers);
            case CAPACITY_ORDER -> new Message.CapacityOrder(txid, from, text1, capacity, text2);
            default -> throw new IllegalStateException("type without a constructor");
        };
    }

    /** Index of a top-level key, -1 when no message has it. */
    private static int topKey(String name) {
        return switch (name) {
            case "t" -> K_T;
            case "txid" -> K_TXID;
            case "from" -> K_FROM;
            case "observedIp" -> K_OBSERVED_IP;
            case "observedPort" -> K_OBSERVED_PORT;
            case "target" -> K_TARGET;
            case "nodes" -> K_NODES;
            case "key" -> K_KEY;
            case "value" -> K_VALUE;
            case "stored" -> K_STORED;
            case "reason" -> K_REASON;
            case "code" -> K_CODE;
            case "region" -> K_REGION;
            case "expectedWorkers" -> K_EXPECTED_WORKERS;
            case "outcome" -> K_OUTCOME;
            case "leaseMillis" -> K_LEASE_MILLIS;
            case "detail" -> K_DETAIL;
            case "ok" -> K_OK;
            case "name" -> K_NAME;
            case "level" -> K_LEVEL;
            case "parent" -> K_PARENT;
            case "activeSessions" -> K_ACTIVE_SESSIONS;
            case "capacity" -> K_CAPACITY;
            case "healthy" -> K_HEALTHY;
            case "max" -> K_MAX;
            case "responder" -> K_RESPONDER;
            case "workers" -> K_WORKERS;
            case "backup" -> K_BACKUP;
            case "takesPlaceOf" -> K_TAKES_PLACE_OF;
            default -> -1;
        };
    }

    // Nested records: one bit per key in declaration order; primitives are required.

    private static Peer peer(CBORParser p, JsonToken v) throws IOException, DecodeException {
        if (v == VALUE_NULL) {
            return null;
        }
        expect(v, START_OBJECT);
        byte[] id = null;
        NodeRole role = null;
        String region = null;
        List<String> caps = null;
        int seen = 0;
        JsonToken t;
        for (t = p.nextToken(); t == FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken fv = p.nextToken();
            switch (name) {
                case "id" -> {
                    seen = once(seen, 0);
                    id = bytes(p, fv);
                }
                case "role" -> {
                    seen = once(seen, 1);
                    role = role(p, fv);
                }
                case "region" -> {
                    seen = once(seen, 2);
                    region = text(p, fv);
                }
                case "caps" -> {
                    seen = once(seen, 3);
                    caps = strings(p, fv);
                }
                default -> throw malformed("unknown key");
            }
        }
        expect(t, END_OBJECT);
        return new Peer(id, role, region, caps);
    }

    private static List<WireContact> contacts(CBORParser p, JsonToken v) throws IOException, DecodeException {
        return list(p, v, MessageCbor::contact);
    }

    /**
     * A contact: the array {@code [id, ip, port, role, region, caps]}, exactly six elements (a
     * shorter one is malformed, where databind left the missing fields empty).
     */
    private static WireContact contact(CBORParser p, JsonToken v) throws IOException, DecodeException {
        if (v == VALUE_NULL) {
            return null;
        }
        expect(v, START_ARRAY);
        byte[] id = bytes(p, element(p));
        byte[] ip = bytes(p, element(p));
        int port = int32(p, element(p));
        NodeRole role = role(p, element(p));
        String region = text(p, element(p));
        List<String> caps = strings(p, element(p));
        if (p.nextToken() != END_ARRAY) {
            throw malformed("contact array longer than six");
        }
        return new WireContact(id, ip, port, role, region, caps);
    }

    /** The next element of a contact array. */
    private static JsonToken element(CBORParser p) throws IOException, DecodeException {
        JsonToken t = p.nextToken();
        if (t == END_ARRAY) {
            throw malformed("contact array shorter than six");
        }
        return t;
    }

    private static WireValue value(CBORParser p, JsonToken v) throws IOException, DecodeException {
        if (v == VALUE_NULL) {
            return null;
        }
        expect(v, START_OBJECT);
        String key = null;
        String json = null;
        long version = 0;
        long ttlMillis = 0;
        byte[] publisher = null;
        boolean tombstone = false;
        int seen = 0;
        JsonToken t;
        for (t = p.nextToken(); t == FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken fv = p.nextToken();
            switch (name) {
                case "key" -> {
                    seen = once(seen, 0);
                    key = text(p, fv);
                }
                case "json" -> {
                    seen = once(seen, 1);
                    json = text(p, fv);
                }
                case "version" -> {
                    seen = once(seen, 2);
                    version = int64(p, fv);
                }
                case "ttlMillis" -> {
                    seen = once(seen, 3);
                    ttlMillis = int64(p, fv);
                }
                case "publisher" -> {
                    seen = once(seen, 4);
                    publisher = bytes(p, fv);
                }
                case "tombstone" -> {
                    seen = once(seen, 5);
                    tombstone = bool(p, fv);
                }
                default -> throw malformed("unknown key");
            }
        }
        expect(t, END_OBJECT);
        required(seen, (1 << 2) | (1 << 3) | (1 << 5));
        return new WireValue(key, json, version, ttlMillis, publisher, tombstone);
    }

    private static List<WireBootstrapNode> bootstrapNodes(CBORParser p, JsonToken v)
            throws IOException, DecodeException {
        return list(p, v, MessageCbor::bootstrapNode);
    }

    private static WireBootstrapNode bootstrapNode(CBORParser p, JsonToken v) throws IOException, DecodeException {
        if (v == VALUE_NULL) {
            return null;
        }
        expect(v, START_OBJECT);
        String name = null;
        byte[] id = null;
        NodeRole level = null;
        String region = null;
        String parent = null;
        byte[] ip = null;
        int port = 0;
        int activeSessions = 0;
        int capacity = 0;
        boolean healthy = false;
        int seen = 0;
        JsonToken t;
        for (t = p.nextToken(); t == FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken fv = p.nextToken();
            switch (key) {
                case "name" -> {
                    seen = once(seen, 0);
                    name = text(p, fv);
                }
                case "id" -> {
                    seen = once(seen, 1);
                    id = bytes(p, fv);
                }
                case "level" -> {
                    seen = once(seen, 2);
                    level = role(p, fv);
                }
                case "region" -> {
                    seen = once(seen, 3);
                    region = text(p, fv);
                }
                case "parent" -> {
                    seen = once(seen, 4);
                    parent = text(p, fv);
                }
                case "ip" -> {
                    seen = once(seen, 5);
                    ip = bytes(p, fv);
                }
                case "port" -> {
                    seen = once(seen, 6);
                    port = int32(p, fv);
                }
                case "activeSessions" -> {
                    seen = once(seen, 7);
                    activeSessions = int32(p, fv);
                }
                case "capacity" -> {
                    seen = once(seen, 8);
                    capacity = int32(p, fv);
                }
                case "healthy" -> {
                    seen = once(seen, 9);
                    healthy = bool(p, fv);
                }
                default -> throw malformed("unknown key");
            }
        }
        expect(t, END_OBJECT);
        required(seen, (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9));
        return new WireBootstrapNode(name, id, level, region, parent, ip, port, activeSessions, capacity, healthy);
    }

    private static WireWorker worker(CBORParser p, JsonToken v) throws IOException, DecodeException {
        if (v == VALUE_NULL) {
            return null;
        }
        expect(v, START_OBJECT);
        byte[] id = null;
        byte[] ip = null;
        int port = 0;
        boolean live = false;
        int seen = 0;
        JsonToken t;
        for (t = p.nextToken(); t == FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken fv = p.nextToken();
            switch (key) {
                case "worker" -> {
                    seen = once(seen, 0);
                    id = bytes(p, fv);
                }
                case "ip" -> {
                    seen = once(seen, 1);
                    ip = bytes(p, fv);
                }
                case "port" -> {
                    seen = once(seen, 2);
                    port = int32(p, fv);
                }
                case "live" -> {
                    seen = once(seen, 3);
                    live = bool(p, fv);
                }
                default -> throw malformed("unknown key");
            }
        }
        expect(t, END_OBJECT);
        required(seen, (1 << 2) | (1 << 3));
        return new WireWorker(id, ip, port, live);
    }

    private static List<String> strings(CBORParser p, JsonToken v) throws IOException, DecodeException {
        return list(p, v, MessageCbor::text);
    }

    /** Reads one element of a list from its first token (which may be VALUE_NULL). */
    @FunctionalInterface
    private interface ElementReader<T> {
        T read(CBORParser p, JsonToken first) throws IOException, DecodeException;
    }

    /** A list (null for VALUE_NULL), each element read by {@code element}. */
    private static <T> List<T> list(CBORParser p, JsonToken v, ElementReader<T> element)
            throws IOException, DecodeException {
        if (v == VALUE_NULL) {
            return null;
        }
        expect(v, START_ARRAY);
        // Most lists are empty (a contact's capabilities) or of a length the array states (ours
        // always do): no list object for the first, no regrowth for the second. Capped, as the
        // stated length is the sender's word.
        int stated = p.getParsingContext().getExpectedLength();
        List<T> list = null;
        for (JsonToken t = p.nextToken(); t != END_ARRAY; t = p.nextToken()) {
            if (list == null) {
                list = new ArrayList<>(stated > 0 ? Math.min(stated, MAX_PRESIZED_LIST) : 10);
            }
            list.add(element.read(p, t));
        }
        return list == null ? List.of() : list;
    }

    // Scalars: exactly the token the encoder writes (or null where databind allowed null).

    private static long int64(CBORParser p, JsonToken v) throws IOException, DecodeException {
        expect(v, VALUE_NUMBER_INT);
        return p.getLongValue(); // a bignum out of range fails in the parser, as with databind
    }

    private static int int32(CBORParser p, JsonToken v) throws IOException, DecodeException {
        expect(v, VALUE_NUMBER_INT);
        return p.getIntValue();
    }

    private static boolean bool(CBORParser p, JsonToken v) throws DecodeException {
        if (v == VALUE_TRUE) {
            return true;
        }
        expect(v, VALUE_FALSE);
        return false;
    }

    private static String text(CBORParser p, JsonToken v) throws IOException, DecodeException {
        if (v == VALUE_NULL) {
            return null;
        }
        expect(v, VALUE_STRING);
        return p.getText();
    }

    private static byte[] bytes(CBORParser p, JsonToken v) throws IOException, DecodeException {
        if (v == VALUE_NULL) {
            return null;
        }
        expect(v, VALUE_EMBEDDED_OBJECT);
        return p.getBinaryValue();
    }

    private static NodeRole role(CBORParser p, JsonToken v) throws IOException, DecodeException {
        if (v == VALUE_NULL) {
            return null;
        }
        expect(v, VALUE_STRING);
        String name = p.getText();
        for (NodeRole r : ROLES) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw malformed("unknown role");
    }

    private static void expect(JsonToken actual, JsonToken expected) throws DecodeException {
        if (actual != expected) {
            throw malformed("wrong token type");
        }
    }

    /** {@code seen} with key {@code index} added; a key already seen is a duplicate. */
    private static int once(int seen, int index) throws DecodeException {
        if ((seen & (1 << index)) != 0) {
            throw malformed("duplicate key");
        }
        return seen | (1 << index);
    }

    private static void required(int seen, int primitives) throws DecodeException {
        if ((seen & primitives) != primitives) {
            throw malformed("missing primitive field");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static long bit(int key) {
        return 1L << key;
    }

    private static long bits(int... keys) {
        long b = 0;
        for (int k : keys) {
            b |= bit(k);
        }
        return b;
    }

    private static void keys(int type, int... keys) {
        ALLOWED[type] = bits(K_T, K_TXID, K_FROM) | bits(keys);
    }

    private static SerializedString[] names(String... names) {
        SerializedString[] s = new SerializedString[names.length];
        for (int i = 0; i < names.length; i++) {
            s[i] = new SerializedString(names[i]);
        }
        return s;
    }

    private static DecodeException malformed(String detail) {
        return new DecodeException(Reason.MALFORMED, detail);
    }

    private static DecodeException unknownType() {
        return new DecodeException(Reason.UNKNOWN_TYPE, "unknown or missing message type");
    }
}
