package io.cqkd.dht.core.wire.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.codec.DecodeException.Reason;
import java.io.IOException;

/**
 * The payload codec as it was before {@link MessageCbor}: Jackson databind on the annotated
 * records, configured exactly as MessageCodec configured it. The reference that the streaming
 * encoder must match byte for byte and the streaming decoder message for message.
 */
final class DatabindReference {
    static final ObjectReader READER;
    static final ObjectWriter WRITER;

    static {
        StreamReadConstraints read = StreamReadConstraints.builder()
                .maxNestingDepth(8)
                .maxStringLength(DhtLimits.MAX_DATAGRAM_BYTES)
                .maxNumberLength(24)
                .maxNameLength(32)
                .maxDocumentLength(DhtLimits.MAX_DATAGRAM_BYTES)
                .build();
        CBORFactory factory = CBORFactory.builder()
                .streamReadConstraints(read)
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(8).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        CBORMapper mapper = CBORMapper.builder(factory)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(MapperFeature.AUTO_DETECT_FIELDS)
                .disable(MapperFeature.AUTO_DETECT_SETTERS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        mapper.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
        mapper.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        READER = mapper.readerFor(Message.class);
        WRITER = mapper.writerFor(Message.class);
    }

    private DatabindReference() {
    }

    /** The payload databind writes for {@code m}. */
    static byte[] encode(Message m) throws IOException {
        return WRITER.writeValueAsBytes(m);
    }

    /** The message databind reads from {@code payload}, mapped to the reasons MessageCodec gave (no validation). */
    static Message decode(byte[] payload) throws DecodeException {
        Message m;
        try {
            m = READER.readValue(payload, 0, payload.length);
        } catch (InvalidTypeIdException e) {
            throw new DecodeException(Reason.UNKNOWN_TYPE, "unknown or missing message type");
        } catch (IOException | RuntimeException e) {
            throw new DecodeException(Reason.MALFORMED, "not a well-formed message");
        }
        if (m == null) {
            throw new DecodeException(Reason.MALFORMED, "empty payload");
        }
        return m;
    }
}
