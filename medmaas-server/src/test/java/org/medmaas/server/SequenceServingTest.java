package org.medmaas.server;

import org.medmaas.ml.calibration.CalibrationMethod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.StringColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.diagnosis.DiagnosisModel;
import org.medmaas.diagnosis.DiagnosisTrainer;
import org.medmaas.diagnosis.DiagnosisTrainingRequest;
import org.medmaas.ml.calibration.ThresholdRule;
import org.medmaas.ml.LearnerSettings;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.Role;

/** A sequence model (GRU) served over HTTP: each patient's visits in, one prediction per patient out. */
class SequenceServingTest {

    @TempDir
    static Path home;

    static ModelRegistry registry;
    static MedmaasServer server;
    static ServerFixture client;
    static DiagnosisModel local;

    /** Visits whose lab value rises over time for positive patients and falls for the others. */
    static Table visits(int patients, long seed) {
        Random random = new Random(seed);
        List<String> ids = new ArrayList<>();
        List<Double> order = new ArrayList<>();
        List<Double> lab = new ArrayList<>();
        List<String> outcome = new ArrayList<>();
        for (int p = 0; p < patients; p++) {
            boolean positive = random.nextBoolean();
            int n = 2 + random.nextInt(5);
            for (int t = 0; t < n; t++) {
                ids.add("Q" + p);
                order.add((double) t + 1);
                lab.add((positive ? 0.5 : -0.5) * (t - n + 1) + random.nextGaussian() * 0.2);
                outcome.add(positive ? "yes" : "no");
            }
        }
        return Table.of(StringColumn.identifiers("patient_id", ids.toArray(String[]::new)),
                NumericColumn.of("visit", order.stream().mapToDouble(Double::doubleValue).toArray()),
                NumericColumn.of("lab", lab.stream().mapToDouble(Double::doubleValue).toArray()),
                CategoricalColumn.of("outcome", outcome.toArray(String[]::new)));
    }

    @BeforeAll
    static void start() throws Exception {
        Path config = home.resolve("learners.yaml");
        Files.writeString(config, "gru: {hidden: 8, epochs: 15, learning_rate: 0.01}\n");
        DiagnosisTrainingRequest request = new DiagnosisTrainingRequest(visits(120, 3), "outcome", List.of("gru"), 3, 42,
                CalibrationMethod.NONE, ThresholdRule.parse("youden"), "roc_auc", SchemaFile.empty(),
                LearnerSettings.read(config));
        new DiagnosisTrainer().train(request, home.resolve("gru"), m -> { });
        local = DiagnosisModel.load(home.resolve("gru"));
        registry = ModelRegistry.embedded(home.resolve("registry"));
        registry.register("deterioration", home.resolve("gru"), "test");
        client = ServerFixture.start(home.resolve("other"), ServerSettings.defaults());
        server = new MedmaasServer(registry, ServerSettings.defaults().withPort(0), home).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        registry.close();
        client.close();
    }

    private HttpResponse<String> post(String path, String body) {
        String token = registry.apiKeys().create("ward", Role.PREDICTOR, "*", Optional.empty(), "test").token();
        try {
            return client.client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + path))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return org.medmaas.core.json.Json.MAPPER.readTree(r.body());
    }

    @Test
    void eachPatientsVisitsGetOnePredictionEqualToTheLibrarys() throws Exception {
        String rising = "{\"visits\": [{\"lab\": -1.0}, {\"lab\": -0.5}, {\"lab\": 0.0}, {\"lab\": 0.5}]}";
        String falling = "{\"visits\": [{\"lab\": 1.0}, {\"lab\": 0.5}, {\"lab\": 0.0}]}";
        String single = "{\"visits\": [{\"lab\": null}]}";
        HttpResponse<String> r = post("/api/v1/diagnosis/deterioration/predict",
                "{\"patients\": [" + rising + ", " + falling + ", " + single + "]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode predictions = json(r).get("predictions");
        assertThat(predictions).hasSize(3);
        assertThat(predictions).extracting(p -> p.get("patient").asInt()).containsExactly(1, 2, 3);
        double risingYes = predictions.get(0).get("probabilities").get("yes").asDouble();
        assertThat(risingYes).isGreaterThan(predictions.get(1).get("probabilities").get("yes").asDouble());
        // The same visits scored by the library directly give the same probabilities.
        Table same = Table.of(StringColumn.identifiers("patient_id", "a", "a", "a", "a", "b", "b", "b", "c"),
                NumericColumn.of("visit", 1, 2, 3, 4, 1, 2, 3, 1),
                NumericColumn.of("lab", new double[] {-1.0, -0.5, 0.0, 0.5, 1.0, 0.5, 0.0, 0}, bits(7)));
        var expected = local.predict(same, 0);
        for (int i = 0; i < 3; i++) {
            assertThat(predictions.get(i).get("probabilities").get("yes").asDouble())
                    .isCloseTo(expected.get(i).probabilities().get("yes"), org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThat(r.body()).doesNotContain("patient_id");
        var entries = registry.auditLog().entries(new org.medmaas.registry.AuditQuery(0, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("predict"), Optional.empty(), 1000));
        assertThat(entries).filteredOn(e -> e.event().outcome().equals("ok")).extracting(e -> e.event().details())
                .containsExactly("patients=3 visits=8");
    }

    private static java.util.BitSet bits(int... set) {
        java.util.BitSet b = new java.util.BitSet();
        for (int i : set) {
            b.set(i);
        }
        return b;
    }

    @Test
    void badVisitsAreNamedByPatientAndVisit() throws Exception {
        HttpResponse<String> r = post("/api/v1/diagnosis/deterioration/predict",
                "{\"patients\": [{\"visits\": [{\"lab\": 1}]}, {\"visits\": [{\"lab\": \"high\", \"mrn\": \"555\"}]}, {}],"
                        + " \"explain\": 2}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).get("errors")).extracting(e -> e.get("field").asText()).containsExactly("explain", "patients[2].visits");
        r = post("/api/v1/diagnosis/deterioration/predict",
                "{\"patients\": [{\"visits\": [{\"lab\": 1}]}, {\"visits\": [{\"lab\": \"high\", \"mrn\": \"555\"}]}]}");
        assertThat(json(r).get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("patients[1].visits[0]", "patients[1].visits[0].lab");
        assertThat(r.body()).doesNotContain("555").doesNotContain("high").doesNotContain("mrn"); // unknown names are counted
        r = post("/api/v1/diagnosis/deterioration/predict", "{\"records\": [{\"lab\": 1}]}");
        assertThat(json(r).get("errors")).extracting(e -> e.get("field").asText()).containsExactly("body", "patients");
        // The protocol's flat tensors cannot carry visit sequences: a clear 400 that says where to go.
        r = post("/v2/models/deterioration/infer", "{\"inputs\": [{\"name\": \"lab\", \"shape\": [1], \"datatype\": \"FP64\","
                + " \"data\": [1.0]}]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("visit sequence").contains("/api/v1/diagnosis/deterioration/predict");
    }
}
