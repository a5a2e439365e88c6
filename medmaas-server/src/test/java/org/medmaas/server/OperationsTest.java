package org.medmaas.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.table.Table;
import org.medmaas.diagnosis.DiagnosisModel;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.Role;

/** Audit per request, management through the API, hot swap, metrics, rate limits, backups and the API description. */
class OperationsTest extends ServerTest {

    static final String BODY = "{\"record\": {\"glucose\": 187.25, \"bmi\": 33.5, \"smoker\": \"current\"}}";

    static List<JsonNode> audit(String query) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        json(f.get("/api/v1/audit?limit=1000" + query, Role.AUDITOR)).get("entries").forEach(out::add);
        return out;
    }

    @Test
    void eachPredictionIsAuditedWithAHashOfItsInputAndNeverItsValues() throws Exception {
        HttpResponse<String> r = f.post("/api/v1/diagnosis/diabetes/predict", Role.PREDICTOR, BODY);
        assertThat(r.statusCode()).isEqualTo(200);
        String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
        JsonNode entry = audit("&action=predict").stream().filter(e -> e.get("request_id").asText().equals(requestId))
                .findFirst().orElseThrow();
        assertThat(entry.get("resource").asText()).isEqualTo("diabetes@1");
        assertThat(entry.get("outcome").asText()).isEqualTo("ok");
        assertThat(entry.get("actor").asText()).startsWith("key:").endsWith("(test predictor)");
        assertThat(entry.get("input_sha256").asText()).isEqualTo(org.medmaas.core.io.Digests.sha256(BODY.getBytes()));
        assertThat(entry.get("latency_us").asLong()).isPositive();
        // A refused prediction is audited too, with its outcome; no entry holds a value that was sent.
        f.post("/api/v1/diagnosis/diabetes/predict", Role.PREDICTOR, BODY.replace("187.25", "\"187.25\""));
        assertThat(audit("&action=predict")).anyMatch(e -> e.get("outcome").asText().equals("invalid_input"));
        assertThat(f.get("/api/v1/audit?limit=1000", Role.AUDITOR).body()).doesNotContain("187.25");
        JsonNode verified = json(f.get("/api/v1/audit/verify", Role.AUDITOR));
        assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
    }

    @Test
    void managementThroughTheApiIsAuditedByTheRegistry() throws Exception {
        byte[] bundle = Files.readAllBytes(f.registry.bundle(f.registry.resolve("diabetes", "1")));
        HttpRequest upload = HttpRequest.newBuilder(URI.create(f.server.baseUrl() + "/api/v1/models/uploaded/versions"))
                .header("Authorization", "Bearer " + f.keys.get(Role.MODELER)).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bundle)).build();
        HttpResponse<String> created = f.client.send(upload, HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).get("version").asInt()).isEqualTo(1);
        assertThat(f.send("PUT", "/api/v1/models/uploaded/aliases/champion", Optional.of(Role.MODELER), "{\"version\": 1}")
                .statusCode()).isEqualTo(200);
        assertThat(f.send("PUT", "/api/v1/models/uploaded/versions/1/stage", Optional.of(Role.MODELER), "{\"stage\": \"staged\"}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> badStage = f.send("PUT", "/api/v1/models/uploaded/versions/1/stage", Optional.of(Role.MODELER),
                "{\"stage\": \"retired\"}");
        assertThat(badStage.statusCode()).isEqualTo(422);
        assertThat(f.send("PUT", "/api/v1/models/uploaded/tags/validated_by", Optional.of(Role.MODELER),
                "{\"value\": \"cardiology\", \"version\": 1}").statusCode()).isEqualTo(200);
        assertThat(f.send("PUT", "/api/v1/models/uploaded/tags/team", Optional.of(Role.MODELER), "{\"value\": \"ai\"}")
                .statusCode()).isEqualTo(200);
        assertThat(f.send("DELETE", "/api/v1/models/uploaded/tags/team", Optional.of(Role.MODELER), "").statusCode()).isEqualTo(200);
        JsonNode shown = json(f.get("/api/v1/models/uploaded", Role.PREDICTOR));
        assertThat(shown.get("versions").get(0).get("tags").get("validated_by").asText()).isEqualTo("cardiology");
        assertThat(shown.get("tags").size()).isZero();
        assertThat(f.send("PUT", "/api/v1/models/uploaded/card", Optional.of(Role.MODELER),
                "{\"field\": \"owner\", \"value\": \"Clinical AI team\"}").statusCode()).isEqualTo(200);
        assertThat(json(f.get("/api/v1/models/uploaded/card", Role.PREDICTOR)).get("editable").get("owner").asText())
                .isEqualTo("Clinical AI team");
        List<String> actions = audit("").stream().filter(e -> e.get("resource").asText().startsWith("uploaded"))
                .filter(e -> e.get("actor").asText().endsWith("(test modeler)")).map(e -> e.get("action").asText()).toList();
        assertThat(actions).containsExactly("model.register", "model.alias", "model.stage", "model.tag", "model.tag", "model.tag",
                "model.card");
        assertThat(audit("&action=model.stage")).anyMatch(e -> e.get("outcome").asText().equals("invalid_input"));
        // An upload that is not a bundle: 400, nothing registered.
        HttpResponse<String> junk = f.send("POST", "/api/v1/models/junk/versions", Optional.of(f.keys.get(Role.ADMIN)),
                "not a zip", "application/zip");
        assertThat(junk.statusCode()).isEqualTo(400);
        assertThat(f.registry.models()).doesNotContain("junk");
    }

    @Test
    void anOnnxModelImportedOverTheApiIsServed() throws Exception {
        byte[] onnx = Files.readAllBytes(Path.of("..", "medmaas-ml", "src", "test", "resources", "onnx", "lr-3-features.onnx"));
        String body = "{\"onnx\": \"" + java.util.Base64.getEncoder().encodeToString(onnx) + "\", \"schema\": {\"columns\": ["
                + "{\"name\": \"a\", \"type\": \"numeric\"}, {\"name\": \"b\", \"type\": \"numeric\"},"
                + " {\"name\": \"c\", \"type\": \"numeric\"}]}, \"classes\": [\"no\", \"yes\"]}";
        HttpResponse<String> created = f.send("POST", "/api/v1/models/imported/import/onnx", Optional.of(Role.MODELER), body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).get("learner").asText()).isEqualTo("onnx");
        HttpResponse<String> p = f.post("/api/v1/diagnosis/imported/predict", Role.PREDICTOR, "{\"record\": {\"a\": 1, \"b\": 2, \"c\": 3}}");
        assertThat(p.statusCode()).as(p.body()).isEqualTo(200);
        HttpResponse<String> bad = f.send("POST", "/api/v1/models/imported/import/onnx", Optional.of(Role.MODELER),
                "{\"onnx\": \"***\", \"classes\": \"no\"}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(json(bad).get("errors")).extracting(e -> e.get("field").asText()).containsExactly("onnx", "schema", "classes");
    }

    @Test
    void movingAnAliasSwitchesTrafficWithNoFailedRequest() throws Exception {
        f.registry.register("swap", f.registry.bundle(f.registry.resolve("diabetes", "1")), "test");
        f.registry.register("swap", f.registry.bundle(f.registry.resolve("diabetes", "2")), "test");
        f.registry.setAlias("swap", "champion", 1, "test");
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                clients.add(pool.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> r = f.post("/api/v1/diagnosis/swap@champion/predict", Role.PREDICTOR, BODY);
                        outcomes.add(r.statusCode() + " v" + (r.statusCode() == 200 ? json(r).get("version").asInt() : 0));
                    }
                    return null;
                }));
            }
            Thread.sleep(500);
            assertThat(f.send("PUT", "/api/v1/models/swap/aliases/champion", Optional.of(Role.MODELER), "{\"version\": 2}")
                    .statusCode()).isEqualTo(200);
            Thread.sleep(500);
            running.set(false);
            for (Future<?> c : clients) {
                c.get();
            }
        }
        assertThat(outcomes).isNotEmpty().allMatch(o -> o.startsWith("200 "));
        assertThat(outcomes).contains("200 v1", "200 v2");
        // After the move, this server answers with v2 at once (it refreshes what it resolved).
        assertThat(json(f.post("/api/v1/diagnosis/swap@champion/predict", Role.PREDICTOR, BODY)).get("version").asInt())
                .isEqualTo(2);
    }

    @Test
    void metricsAreForOperatorsAndCountRequestsPerRouteAndModel() throws Exception {
        f.post("/v2/models/diabetes/infer", Role.PREDICTOR, InferenceProtocolTest.TWO_ROWS);
        f.post("/api/v1/diagnosis/diabetes-mlp/predict", Role.PREDICTOR, BODY);
        HttpResponse<String> r = f.get("/metrics", Role.AUDITOR);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("medmaas_http_requests_total{method=\"POST\",route=\"/v2/models/{name}/infer\",status=\"200\"}")
                .contains("medmaas_predictions_total{model=\"diabetes\",outcome=\"ok\",version=\"1\"}")
                .contains("medmaas_prediction_duration_seconds_bucket").contains("medmaas_batch_rows_bucket{model=\"diabetes-mlp\",le=\"1.0\"}")
                .contains("jvm_memory_used_bytes").contains("medmaas_access_log_dropped_lines_total").doesNotContain("187.25");
        assertThat(f.get("/metrics", Role.PREDICTOR).statusCode()).isEqualTo(403);
    }

    @Test
    void eachLoadedVersionReportsTheShiftOfWhatItScoredOnTheApiAndOnMetrics() throws Exception {
        StringBuilder records = new StringBuilder("{\"records\": [");
        for (int i = 0; i < 100; i++) { // bmi left out: imputed for every one of these patients
            records.append(i == 0 ? "" : ",").append("{\"glucose\": ").append(200 + i % 40).append(", \"smoker\": \"never\"}");
        }
        HttpResponse<String> scored = f.post("/api/v1/diagnosis/diabetes-mlp/predict", Role.PREDICTOR, records + "]}");
        assertThat(scored.statusCode()).as(scored.body()).isEqualTo(200);
        assertThat(f.get("/api/v1/models/diabetes-mlp/shift", Role.PREDICTOR).statusCode()).isEqualTo(403);
        HttpResponse<String> r = f.get("/api/v1/models/diabetes-mlp/shift", Role.AUDITOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode version = json(r).get("loaded_versions").get(0);
        assertThat(version.get("version").asInt()).isEqualTo(1);
        assertThat(version.get("window_rows").asInt()).isGreaterThanOrEqualTo(100).isEqualTo(version.get("window_rows").asInt() / 100 * 100);
        List<String> inputs = new ArrayList<>();
        version.get("inputs").forEach(in -> inputs.add(in.get("input").asText()));
        assertThat(inputs).containsExactlyInAnyOrder("glucose", "bmi", "smoker");
        JsonNode bmi = null;
        for (JsonNode in : version.get("inputs")) {
            bmi = in.get("input").asText().equals("bmi") ? in : bmi;
        }
        assertThat(bmi.get("missing_share").asDouble()).isGreaterThan(0.5);
        assertThat(version.get("warnings").toString()).contains("'bmi' is missing in").doesNotContain("239");
        assertThat(f.get("/api/v1/models/nope/shift", Role.AUDITOR).statusCode()).isEqualTo(404);
        String metrics = f.get("/metrics", Role.AUDITOR).body();
        assertThat(metrics).contains("medmaas_input_missing_share{input=\"bmi\",model=\"diabetes-mlp\",version=\"1\"}")
                .contains("medmaas_input_psi{input=\"glucose\",model=\"diabetes-mlp\",version=\"1\"}")
                .contains("medmaas_shift_window_rows{model=\"diabetes-mlp\",version=\"1\"}");
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfter(@TempDir Path scratch) {
        try (MedmaasServer limited = new MedmaasServer(f.registry, ServerSettings.defaults().withRateLimit(1, 2).withPort(0),
                scratch).start()) {
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> last = null;
            for (int i = 0; i < 4; i++) {
                last = send(limited, "/api/v1/noop");
                statuses.add(last.statusCode());
            }
            assertThat(statuses).startsWith(200, 200).contains(429);
            HttpResponse<String> refused = statuses.get(3) == 429 ? last : send(limited, "/api/v1/noop");
            assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        }
    }

    @Test
    void aRequestPastItsTimeLimitGets503AndIsAuditedAsATimeout(@TempDir Path scratch) throws Exception {
        // 1000 records explained by Kernel SHAP take seconds; the limit is 0.1 s.
        String many = "{\"explain\": 3, \"records\": [" + String.join(",", java.util.Collections.nCopies(1000,
                "{\"glucose\": 150, \"bmi\": 31, \"smoker\": \"never\"}")) + "]}";
        try (MedmaasServer strict = new MedmaasServer(f.registry, ServerSettings.defaults().withRequestTimeout(100).withPort(0),
                scratch).start()) {
            HttpResponse<String> r = f.client.send(HttpRequest.newBuilder(URI.create(strict.baseUrl()
                    + "/api/v1/diagnosis/diabetes-mlp/predict")).POST(HttpRequest.BodyPublishers.ofString(many))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + f.keys.get(Role.PREDICTOR)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            JsonNode problem = json(r);
            assertThat(problem.get("type").asText()).endsWith("/timeout");
            assertThat(problem.get("detail").asText()).contains("100 ms limit").contains("explaining rows");
            String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(audit("&action=predict")).anyMatch(e -> e.get("request_id").asText().equals(requestId)
                    && e.get("outcome").asText().equals("timeout"));
            // The same server answers a request that fits in its limit.
            HttpResponse<String> quick = f.client.send(HttpRequest.newBuilder(URI.create(strict.baseUrl()
                    + "/api/v1/diagnosis/diabetes/predict")).POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + f.keys.get(Role.PREDICTOR)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(quick.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatStopsSendingItsBodyIsCutOffAtTheTimeLimit(@TempDir Path scratch) throws Exception {
        try (MedmaasServer strict = new MedmaasServer(f.registry, ServerSettings.defaults().withRequestTimeout(300).withPort(0),
                scratch).start();
                java.net.Socket socket = new java.net.Socket("127.0.0.1", strict.port())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /api/v1/diagnosis/diabetes/predict HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + f.keys.get(Role.PREDICTOR) + "\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"record\"")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            int first;
            try {
                first = socket.getInputStream().read(); // the server closes the connection: -1, or a reset
            } catch (java.net.SocketException reset) {
                first = -1;
            }
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertThat(first).isEqualTo(-1);
            assertThat(waited).isBetween(200L, 9_000L);
        }
    }

    private static HttpResponse<String> send(MedmaasServer server, String path) {
        try {
            return f.client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .header("Authorization", "Bearer " + f.keys.get(Role.PREDICTOR)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBackupTakenWhileServingRestoresToIdenticalPredictions(@TempDir Path dir) throws Exception {
        HttpResponse<byte[]> r = f.client.send(HttpRequest.newBuilder(URI.create(f.server.baseUrl() + "/api/v1/backup"))
                .header("Authorization", "Bearer " + f.keys.get(Role.ADMIN)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        Path zip = dir.resolve("backup.zip");
        Files.write(zip, r.body());
        Files.createDirectories(dir.resolve("restored"));
        Files.copy(home.resolve("registry").resolve("audit.key"), dir.resolve("restored").resolve("audit.key"));
        try (ModelRegistry restored = ModelRegistry.embedded(dir.resolve("restored"))) {
            restored.restore(zip);
            assertThat(restored.auditLog().verify().intact()).isTrue();
            Table rows = ServerFixture.cohort(20, 9).drop(List.of("patient_id", "diabetes"));
            DiagnosisModel before = DiagnosisModel.load(f.registry.bundle(f.registry.resolve("diabetes", "champion")));
            DiagnosisModel after = DiagnosisModel.load(restored.bundle(restored.resolve("diabetes", "champion")));
            assertThat(after.probabilities(rows)).isDeepEqualTo(before.probabilities(rows));
        }
    }

    @Test
    void theApiPageServesSwaggerUiAndOnlyItsOwnFiles() {
        HttpResponse<String> page = f.send("GET", "/docs", Optional.empty(), "", "text/html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/docs/assets/swagger-ui-bundle.js").contains("/docs/assets/docs.js");
        HttpResponse<String> bundle = f.send("GET", "/docs/assets/swagger-ui-bundle.js", Optional.empty(), "", "text/html");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body()).contains("SwaggerUIBundle");
        assertThat(f.send("GET", "/docs/assets/docs.js", Optional.empty(), "", "text/html").body()).contains("/openapi");
        assertThat(f.send("GET", "/docs/assets/pom.properties", Optional.empty(), "", "text/html").statusCode()).isEqualTo(404);
        // The description itself still needs a key.
        assertThat(f.send("GET", "/openapi", Optional.empty(), "", "text/html").statusCode()).isEqualTo(401);
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRoutes() throws Exception {
        HttpResponse<String> r = f.get("/openapi", Role.PREDICTOR);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(r.body());
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        List<String> documented = new ArrayList<>();
        doc.get("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method ->
                documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(f.server.routeSignatures());
    }
}
