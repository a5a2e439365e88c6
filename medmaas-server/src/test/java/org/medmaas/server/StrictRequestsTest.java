package org.medmaas.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.medmaas.registry.Role;

/**
 * Issue 11, items 5 to 9 and 11: bodies are read strictly, only as JSON, with one credential, and
 * a client's own field names are never echoed. Each case failed (was accepted, or echoed) before.
 */
class StrictRequestsTest extends ServerTest {

    static final String RECORD = "{\"glucose\": 150, \"bmi\": 33.5, \"smoker\": \"current\"}";
    static final String PREDICT = "/api/v1/diagnosis/diabetes/predict";

    private HttpResponse<String> post(String body, String contentType) {
        return f.send("POST", PREDICT, Optional.of(f.keys.get(Role.PREDICTOR)), body, contentType);
    }

    @Test
    void trailingDataASecondDocumentAndDuplicateKeysAreRefused() throws Exception {
        assertThat(post("{\"record\": " + RECORD + "}", "application/json").statusCode()).isEqualTo(200);
        HttpResponse<String> trailing = post("{\"record\": " + RECORD + "} stray", "application/json");
        assertThat(trailing.statusCode()).isEqualTo(400);
        assertThat(json(trailing).at("/errors/0/problem").asText()).startsWith("is not valid JSON");
        HttpResponse<String> two = post("{\"record\": " + RECORD + "}{\"record\": " + RECORD + "}", "application/json");
        assertThat(two.statusCode()).isEqualTo(400);
        assertThat(json(two).at("/errors/0/problem").asText()).startsWith("has data after the JSON object");
        HttpResponse<String> duplicate = post("{\"record\": {\"glucose\": 150, \"glucose\": 90, \"bmi\": 33.5,"
                + " \"smoker\": \"current\"}}", "application/json");
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(json(duplicate).at("/errors/0/problem").asText()).startsWith("has a field sent twice");
        assertThat(duplicate.body()).doesNotContain("glucose");
        // The protocol's route reads the same way.
        HttpResponse<String> infer = f.send("POST", "/v2/models/diabetes/infer", Optional.of(f.keys.get(Role.PREDICTOR)),
                "{\"inputs\": []} {}", "application/json");
        assertThat(infer.statusCode()).isEqualTo(400);
    }

    @Test
    void oneRecordAndManyRecordsTogetherAreRefusedNotHalfScored() throws Exception {
        HttpResponse<String> r = post("{\"record\": " + RECORD + ", \"records\": [" + RECORD + "]}", "application/json");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).at("/errors/0/field").asText()).isEqualTo("record");
        assertThat(json(r).at("/errors/0/problem").asText()).contains("both sent");
    }

    @Test
    void onlyJsonBodiesAreTaken() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/xml"}) {
            HttpResponse<String> r = post("{\"record\": " + RECORD + "}", type);
            assertThat(r.statusCode()).as(type).isEqualTo(415);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(r).get("type").asText()).endsWith("/unsupported-media-type");
        }
        assertThat(post("{\"record\": " + RECORD + "}", "application/json; charset=utf-8").statusCode()).isEqualTo(200);
        // No Content-Type at all (Triton's and KServe's clients send none): read as JSON.
        HttpResponse<String> bare = f.client.send(java.net.http.HttpRequest.newBuilder(URI.create(f.server.baseUrl() + PREDICT))
                .header("Authorization", "Bearer " + f.keys.get(Role.PREDICTOR))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"record\": " + RECORD + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bare.statusCode()).isEqualTo(200);
    }

    @Test
    void twoCredentialsAreRefused() throws Exception {
        URI base = URI.create(f.server.baseUrl());
        String body = "{\"record\": " + RECORD + "}";
        String request = "POST " + PREDICT + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + f.keys.get(Role.PREDICTOR) + "\r\nAuthorization: Bearer " + f.keys.get(Role.ADMIN)
                + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.setSoTimeout(10_000);
            String answer = ServerFixture.readResponse(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer).contains("more than once").doesNotContain("probabilities");
        }
        // Audited as a refused credential against the route's template, not the request's own text.
        var entries = org.medmaas.core.json.Json.MAPPER.readTree(f.get("/api/v1/audit?limit=1000&action=auth.denied",
                Role.AUDITOR).body()).get("entries");
        assertThat(entries).anyMatch(e -> e.get("outcome").asText().equals("malformed")
                && e.get("resource").asText().equals("POST /api/v1/diagnosis/{model}/predict"));
        {
        }
    }

    @Test
    void unknownTopLevelFieldsAreCountedNotNamed() throws Exception {
        HttpResponse<String> r = post("{\"record\": " + RECORD + ", \"mrn_12345\": 1}", "application/json");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).at("/errors/0/field").asText()).isEqualTo("body");
        assertThat(r.body()).doesNotContain("mrn_12345");
    }

    @Test
    void aKnownPathUnderAnotherMethodIs405WithAllowAndAnUnknownPath404BothAsProblems() throws Exception {
        HttpResponse<String> wrong = f.send("POST", "/api/v1/models/diabetes/card", Optional.of(f.keys.get(Role.ADMIN)), "{}",
                "application/json");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).hasValue("GET, PUT");
        assertThat(wrong.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(wrong).get("type").asText()).endsWith("/method-not-allowed");
        HttpResponse<String> none = f.send("GET", "/api/v1/nothing-here", Optional.empty(), "", "application/json");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(json(none).get("type").asText()).endsWith("/not-found");
        assertThat(none.body()).doesNotContain("nothing-here");
        HttpResponse<String> head = f.send("HEAD", "/api/v1/models", Optional.of(f.keys.get(Role.ADMIN)), "", "application/json");
        assertThat(head.statusCode()).isEqualTo(405);
        assertThat(head.body()).isEmpty(); // a HEAD answer carries no body
                HttpResponse<String> protocol = f.send("GET", "/v2/nothing", Optional.empty(), "", "application/json");
        assertThat(protocol.statusCode()).isEqualTo(404);
        assertThat(json(protocol).has("error")).isTrue();
    }

    @Test
    void explanationsAreBoundedPerRequest() throws Exception {
        String many = "{\"explain\": 2, \"records\": [" + String.join(",", java.util.Collections.nCopies(1001, RECORD)) + "]}";
        HttpResponse<String> r = post(many, "application/json");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).at("/errors/0/field").asText()).isEqualTo("explain");
        assertThat(json(r).at("/errors/0/problem").asText()).contains("at most 1000 records");
        assertThat(post(many.replace("\"explain\": 2", "\"explain\": 0"), "application/json").statusCode()).isEqualTo(200);
    }

    @Test
    void anOversizedChunkedBodyIs413NotATimeout() throws Exception {
        // No Content-Length: the body streams in 1 MiB chunks past the 10 MiB limit, from a thread of
        // its own, while this one reads the answer (the server may stop reading before the end).
        URI base = URI.create(f.server.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + PREDICT + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + f.keys.get(Role.PREDICTOR) + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread sender = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[1 << 20];
                java.util.Arrays.fill(chunk, (byte) ' ');
                try {
                    for (int i = 0; i < 50; i++) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                    // the server stopped reading: expected once the limit is passed
                }
            });
            String answer = ServerFixture.readResponse(socket.getInputStream());
            sender.join(20_000);
            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(answer).contains("payload-too-large");
        }
    }

    @Test
    void implausibleValuesAreRefusedNotScored() throws Exception {
        for (String glucose : java.util.List.of("-5", "1e308")) {
            HttpResponse<String> r = post("{\"record\": {\"glucose\": " + glucose + ", \"bmi\": 30}}", "application/json");
            assertThat(r.statusCode()).as(glucose).isEqualTo(422);
            assertThat(json(r).at("/errors/0/field").asText()).isEqualTo("record.glucose");
            assertThat(json(r).at("/errors/0/problem").asText()).startsWith("is implausible for this model");
        }
        HttpResponse<String> protocol = f.send("POST", "/v2/models/diabetes/infer", Optional.of(f.keys.get(Role.PREDICTOR)),
                "{\"inputs\": [{\"name\": \"glucose\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1e308]},"
                        + " {\"name\": \"bmi\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [30]},"
                        + " {\"name\": \"smoker\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"never\"]}]}",
                "application/json");
        assertThat(protocol.statusCode()).isEqualTo(400);
        assertThat(protocol.body()).contains("implausible");
    }
}
