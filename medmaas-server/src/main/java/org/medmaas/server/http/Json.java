package org.medmaas.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.InvalidFields;
import org.medmaas.core.error.MedmaasException;

/** The server's one JSON mapper, and reading a request body without echoing it in errors. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new Jdk8Module())
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {
    }

    /** The body as a JSON object; a body that is not one is a 400 naming the problem's position, not its text. */
    public static JsonNode object(byte[] body) {
        if (body.length == 0) {
            throw InvalidFields.malformed("body", "is empty; send a JSON object");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw InvalidFields.malformed("body", "must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw InvalidFields.malformed("body", "is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw InvalidFields.malformed("body", "could not be read");
        }
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not write a JSON response: " + e.getOriginalMessage(), e);
        }
    }
}
