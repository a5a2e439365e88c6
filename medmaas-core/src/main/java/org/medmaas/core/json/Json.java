package org.medmaas.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * The one configured JSON mapper of MedMaaS: records with {@code Optional} fields, {@code java.time}
 * values as ISO-8601 text, unknown properties ignored on reading (newer files stay readable). {@link #PRETTY} indents and writes
 * map keys in order (equal values give equal bytes), for files people read and checksum
 * (manifests). Both are thread-safe once built.
 */
public final class Json {

    /** Compact output. */
    public static final ObjectMapper MAPPER = configure(new ObjectMapper());
    /** Indented output, for files meant to be read by people too. */
    public static final ObjectMapper PRETTY = configure(new ObjectMapper()).enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Json() {
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new Jdk8Module()).registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS) // instants as ISO-8601 text
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** A value as compact JSON bytes. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A value as a JSON tree. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Parses JSON text into a tree; malformed text is INVALID_INPUT naming {@code what}, never quoting it. */
    public static JsonNode parse(String text, String what) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw MedmaasException.invalid(what + " is not valid JSON (line " + location(e) + ").");
        }
    }

    /** A tree read as a typed value; a mismatch is an INTEGRITY error naming {@code what}. */
    public static <T> T convert(JsonNode node, Class<T> type, String what) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MedmaasException(ErrorCode.INTEGRITY, what + " could not be read as " + type.getSimpleName() + ".", e);
        }
    }

    /** A tree read as a generic type (maps of maps); a mismatch is an INTEGRITY error naming {@code what}. */
    public static <T> T convert(JsonNode node, com.fasterxml.jackson.core.type.TypeReference<T> type, String what) {
        try {
            return MAPPER.treeToValue(node, MAPPER.getTypeFactory().constructType(type));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MedmaasException(ErrorCode.INTEGRITY, what + " could not be read.", e);
        }
    }

    private static String location(IOException e) {
        return e instanceof JsonProcessingException p && p.getLocation() != null
                ? Integer.toString(p.getLocation().getLineNr()) : "?";
    }
}
