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

    /**
     * Request bodies are read strictly: a duplicate key, or anything after the document (a second
     * document, stray text), is refused rather than silently resolved.
     */
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT = MAPPER.reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    /**
     * A call's body as a JSON object: a body declared as anything but {@code application/json} is
     * refused (415); one with no Content-Type is read as JSON, since Open Inference Protocol clients
     * (Triton's, KServe's) need not send one. A body that is not one JSON object is a 400 naming the
     * problem and its position, never its text.
     */
    public static JsonNode object(Call call) {
        requireJson(call);
        return object(call.body());
    }

    /** Refuses (415) a body declared as anything but {@code application/json}; see {@link #object(Call)}. */
    public static void requireJson(Call call) {
        String type = call.header("Content-Type").orElse("").strip();
        int semicolon = type.indexOf(';');
        String media = (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
        if (!media.isEmpty() && !media.equalsIgnoreCase("application/json")) {
            throw new MedmaasException(org.medmaas.core.error.ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The body's Content-Type is not"
                    + " taken here; send it as JSON with 'Content-Type: application/json'.");
        }
    }

    /** A body as a JSON object (no Content-Type check); see {@link #object(Call)}. */
    public static JsonNode object(byte[] body) {
        if (body.length == 0) {
            throw InvalidFields.malformed("body", "is empty; send a JSON object");
        }
        try {
            JsonNode node = STRICT.readTree(body);
            if (node == null || !node.isObject()) {
                throw InvalidFields.malformed("body", "must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            String message = String.valueOf(e.getOriginalMessage());
            // Jackson's messages quote the input; only their kind is passed on.
            String problem = message.startsWith("Duplicate field") ? "has a field sent twice in one object"
                    : message.startsWith("Trailing token") ? "has data after the JSON object (one object per request)"
                    : "is not valid JSON";
            throw InvalidFields.malformed("body", problem + where);
        } catch (IOException e) {
            throw InvalidFields.malformed("body", "could not be read");
        }
    }

    public static byte[] bytes(Object value) {
        return org.medmaas.core.json.Json.bytes(value);
    }
}
