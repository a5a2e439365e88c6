package org.medmaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medmaas.core.json.Json;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.Role;
import org.medmaas.server.MedmaasServer;
import org.medmaas.server.ServerSettings;

/**
 * The CLI ({@code predict --data -}) and the server ({@code POST /api/v1/diagnosis/{model}/predict})
 * read JSON records through one boundary, so they give the same answer for the same record: one
 * table of cases, each sent to both. (Dates are covered where a model can take them, in data's
 * JsonRecordsTest: diagnosis training leaves date columns out.)
 */
class JsonBoundaryTest {

    @TempDir
    static Path home;
    static ModelRegistry registry;
    static MedmaasServer server;
    static String token;
    static Path model;

    @BeforeAll
    static void trainRegisterAndServe() throws Exception {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder("glucose,bmi,smoker,diabetes\n");
        for (int i = 0; i < 300; i++) {
            double glucose = 70 + random.nextDouble() * 110;
            String bmi = random.nextDouble() < 0.1 ? "" : String.format(java.util.Locale.ROOT, "%.1f", 20 + random.nextDouble() * 15);
            String smoker = List.of("current", "former", "never").get(random.nextInt(3));
            boolean sick = random.nextDouble() < 1 / (1 + Math.exp(-(glucose - 120) / 15));
            csv.append(String.format(java.util.Locale.ROOT, "%.1f,%s,%s,%s%n", glucose, bmi, smoker, sick ? "yes" : "no"));
        }
        Files.writeString(home.resolve("train.csv"), csv);
        Files.writeString(home.resolve("schema.yaml"), "columns:\n  - name: glucose\n    type: numeric\n    min: 0\n    max: 1000\n");
        model = home.resolve("model");
        assertThat(CliTest.run("train", "diagnosis", "--data", home.resolve("train.csv").toString(), "--target", "diabetes",
                "--model", "lr", "--folds", "3", "--schema", home.resolve("schema.yaml").toString(), "--out", model.toString())
                .code()).isZero();
        registry = ModelRegistry.embedded(home.resolve("registry"));
        registry.register("boundary", model, "test");
        token = registry.apiKeys().create("test", Role.PREDICTOR, "*", Optional.empty(), "test").token();
        server = new MedmaasServer(registry, ServerSettings.defaults().withPort(0), home).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        registry.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            all fields                | {"glucose": 120.5, "bmi": 27.0, "smoker": "never"}   | ok
            absent field is missing   | {"glucose": 120.5, "smoker": "never"}                | ok
            null is missing           | {"glucose": 120.5, "bmi": null, "smoker": "never"}   | ok
            outside training range    | {"glucose": 250, "bmi": 27.0, "smoker": "never"}     | warning: record.glucose is above the largest value seen in training
            implausible               | {"glucose": 900, "bmi": 27.0, "smoker": "never"}     | error: record.glucose: is implausible for this model
            wrong type                | {"glucose": "high", "bmi": 27.0, "smoker": "never"}  | error: record.glucose: must be a finite number
            unknown category          | {"glucose": 120.5, "bmi": 27.0, "smoker": "x"}       | error: record.smoker: is a category the model was not trained on
            outside declared range    | {"glucose": 2000, "bmi": 27.0, "smoker": "never"}    | error: record.glucose: is outside the allowed range [0.0, 1000.0]
            unknown field             | {"glucose": 120.5, "bmi": 27.0, "smoker": "never", "ssn": "1"} | error: record: has 1 field that is not an input of this model
            """)
    void cliAndServerAnswerTheSame(String name, String record, String expected) throws Exception {
        HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/api/v1/diagnosis/boundary/predict"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"record\": " + record + "}")).build(), HttpResponse.BodyHandlers.ofString());
        CliTest.Run cli = predictFromStdin(record);
        JsonNode answer = Json.parse(http.body(), "the answer");
        if (expected.startsWith("error: ")) {
            String problem = expected.substring("error: ".length());
            assertThat(http.statusCode()).isEqualTo(422);
            assertThat(cli.code()).isEqualTo(2);
            List<String> serverProblems = new ArrayList<>();
            answer.get("errors").forEach(e -> serverProblems.add(e.get("field").asText() + ": " + e.get("problem").asText()));
            assertThat(serverProblems).hasSize(1);
            assertThat(serverProblems.get(0)).startsWith(problem);
            assertThat(cli.err()).contains(serverProblems.get(0));
            return;
        }
        assertThat(http.statusCode()).as(http.body()).isEqualTo(200);
        assertThat(cli.code()).as(cli.err()).isZero();
        double serverP = answer.at("/predictions/0/probabilities/yes").asDouble();
        double cliP = Json.parse(cli.out().strip(), "the CLI's answer").at("/probabilities/yes").asDouble();
        assertThat(cliP).isCloseTo(serverP, within(1e-12));
        List<String> serverWarnings = new ArrayList<>();
        if (answer.has("warnings")) {
            answer.get("warnings").forEach(w -> serverWarnings.add("warning: " + w.get("field").asText() + " " + w.get("warning").asText()));
        }
        List<String> cliWarnings = cli.err().lines().filter(l -> l.startsWith("warning: ")).toList();
        assertThat(cliWarnings).isEqualTo(serverWarnings);
        if (expected.startsWith("warning: ")) {
            assertThat(serverWarnings).singleElement().asString().startsWith(expected);
        } else {
            assertThat(serverWarnings).isEmpty();
        }
    }

    private static CliTest.Run predictFromStdin(String record) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(record.getBytes(StandardCharsets.UTF_8)));
            return CliTest.run("predict", model.toString(), "--data", "-", "--top", "0");
        } finally {
            System.setIn(old);
        }
    }
}
