package org.medmaas.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.medmaas.core.error.InvalidFields;
import org.medmaas.core.error.MedmaasException;

/** The server's JSON: core's configured mapper, and reading a request body without echoing it in errors. */
public final class Json {

    /** The platform's one configured mapper (core's {@code Json}). */
    public static final ObjectMapper MAPPER = org.medmaas.core.json.Json.MAPPER;

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
        return org.medmaas.core.json.Json.bytes(value);
    }
}
