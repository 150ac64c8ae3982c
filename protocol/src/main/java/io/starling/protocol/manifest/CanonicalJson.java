package io.starling.protocol.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Canonical JSON in the spirit of RFC 8785 (JCS), so that the bytes of a signed manifest are a
 * function of its content: UTF-8, no whitespace, object members sorted by their names' UTF-16
 * code units, nulls left out, strings escaped as JCS does (short escapes where JSON has
 * them, other control characters as six-character escapes in lowercase hex, everything else
 * literal), integers only (floats have no single spelling), and
 * instants as ISO-8601 UTC to the second ({@code 2026-11-27T11:29:20Z}).
 *
 * <p>Reading is strict for the same reason: unknown or duplicate members, trailing content,
 * floats where integers belong, strings where numbers belong, and instants in any other spelling
 * are refused. A signature only vouches for bytes; a lenient reader would let two readers see
 * two different manifests in them.
 */
public final class CanonicalJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(canonicalTypes())
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            // Records' properties are all creator properties: without this they keep declaration order.
            .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Numbers and booleans are not strings: 5 must not read as "5".
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ISO_INSTANT;

    private CanonicalJson() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("no canonical JSON for " + value.getClass().getSimpleName()
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @throws IllegalArgumentException for anything that is not exactly one well-formed
     *                                  {@code type}, with Jackson's reason as the cause
     */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + reason, e);
        }
    }

    /** The configured mapper, for tree access (the verifier reads the key id before anything else). */
    static ObjectMapper mapper() {
        return MAPPER;
    }

    private static SimpleModule canonicalTypes() {
        SimpleModule module = new SimpleModule("starling-canonical-json");
        module.addSerializer(Instant.class, new InstantSerializer());
        module.addDeserializer(Instant.class, new InstantDeserializer());
        JsonSerializer<Object> noFloats = new StdScalarSerializer<>(Object.class) {
            @Override
            public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                provider.reportMappingProblem("canonical JSON carries integers only, not %s", value);
            }
        };
        for (Class<?> type : new Class<?>[] {Double.class, Double.TYPE, Float.class, Float.TYPE, BigDecimal.class}) {
            module.addSerializer(type, noFloats);
        }
        return module;
    }

    private static final class InstantSerializer extends StdScalarSerializer<Instant> {
        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(INSTANT.format(value.truncatedTo(ChronoUnit.SECONDS)));
        }
    }

    private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) ctx.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            try {
                Instant instant = Instant.parse(text);
                if (INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS)).equals(text)) {
                    return instant;
                }
            } catch (DateTimeException e) {
                // reported below, with the one accepted spelling
            }
            return (Instant) ctx.handleWeirdStringValue(Instant.class, text,
                    "expected an ISO-8601 UTC instant to the second, like 2026-11-27T11:29:20Z");
        }
    }
}
