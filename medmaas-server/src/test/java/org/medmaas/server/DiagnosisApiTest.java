package org.medmaas.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.medmaas.registry.Role;

/** The diagnosis service API: records as named fields in; probabilities, label, threshold and explanations out. */
class DiagnosisApiTest extends ServerTest {

    static final String RECORD = "{\"glucose\": 150, \"bmi\": 33.5, \"smoker\": \"current\"}";

    @Test
    void predictsOneRecordWithAnExplanation() throws Exception {
        HttpResponse<String> r = f.post("/api/v1/diagnosis/diabetes/predict", Role.PREDICTOR,
                "{\"record\": " + RECORD + ", \"explain\": 2}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode out = json(r);
        assertThat(out.get("model").asText()).isEqualTo("diabetes");
        assertThat(out.get("version").asInt()).as("the champion").isEqualTo(1);
        JsonNode p = out.get("predictions").get(0);
        double yes = p.get("probabilities").get("yes").asDouble();
        assertThat(yes + p.get("probabilities").get("no").asDouble()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.get("label").asText()).isEqualTo(yes >= p.get("threshold").asDouble() ? "yes" : "no");
        assertThat(p.get("explanation").get("top_features")).hasSize(2);
    }

    @Test
    void predictsManyRecordsAndNamedVersionsOrAliases() throws Exception {
        String body = "{\"records\": [" + RECORD + ", {\"glucose\": 85, \"bmi\": null, \"smoker\": \"never\"}]}";
        JsonNode out = json(f.post("/api/v1/diagnosis/diabetes/predict", Role.PREDICTOR, body));
        assertThat(out.get("predictions")).hasSize(2);
        assertThat(out.get("predictions").get(0).get("probabilities").get("yes").asDouble())
                .isGreaterThan(out.get("predictions").get(1).get("probabilities").get("yes").asDouble());
        assertThat(json(f.post("/api/v1/diagnosis/diabetes@champion/predict", Role.PREDICTOR, body)).get("version").asInt())
                .isEqualTo(1);
        assertThat(json(f.post("/api/v1/diagnosis/diabetes@latest/predict", Role.PREDICTOR, body)).get("version").asInt())
                .isEqualTo(2);
        assertThat(json(f.post("/api/v1/diagnosis/diabetes/versions/2/predict", Role.PREDICTOR, body)).get("version").asInt())
                .isEqualTo(2);
        // An MLP behind the dynamic batcher answers the same way.
        assertThat(json(f.post("/api/v1/diagnosis/diabetes-mlp/predict", Role.PREDICTOR, body)).get("predictions")).hasSize(2);
    }

    @Test
    void badRecordsGetProblemJsonNamingEveryFieldAndNoValue() throws Exception {
        String body = "{\"records\": [{\"glucose\": \"7777777\", \"smoker\": \"current\", \"ssn\": \"123-45-6789\"},"
                + " {\"glucose\": 90, \"bmi\": 25, \"smoker\": 3}, {\"glucose\": 90, \"bmi\": 25, \"smoker\": \"x-unseen\"}],"
                + " \"explain\": 99}";
        HttpResponse<String> r = f.post("/api/v1/diagnosis/diabetes/predict", Role.PREDICTOR, body);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(r);
        assertThat(problem.get("type").asText()).endsWith("/invalid-input");
        assertThat(problem.get("status").asInt()).isEqualTo(422);
        assertThat(problem.get("errors")).extracting(e -> e.get("field").asText()).containsExactly("explain");
        r = f.post("/api/v1/diagnosis/diabetes/predict", Role.PREDICTOR, body.replace(", \"explain\": 99", ""));
        problem = json(r);
        assertThat(problem.get("errors")).extracting(e -> e.get("field").asText() + ": " + e.get("problem").asText())
                .containsExactlyInAnyOrder("records[0]: has 1 field that is not an input of this model",
                        "records[0].glucose: must be a finite number",
                        "records[1].smoker: must be a non-empty string",
                        "records[2].smoker: is a category the model was not trained on (it knows 3; check spelling and coding)");
        assertThat(r.body()).doesNotContain("7777777").doesNotContain("123-45-6789").doesNotContain("x-unseen")
                .doesNotContain("ssn"); // a client's unknown field names are counted, not echoed
    }

    @Test
    void malformedBodiesAre400AndUnknownModels404() throws Exception {
        HttpResponse<String> r = f.post("/api/v1/diagnosis/diabetes/predict", Role.PREDICTOR, "{\"records\": [");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("type").asText()).endsWith("/malformed-request");
        assertThat(f.post("/api/v1/diagnosis/diabetes/predict", Role.PREDICTOR, "{}").statusCode()).isEqualTo(422);
        assertThat(f.post("/api/v1/diagnosis/nope/predict", Role.PREDICTOR, "{\"record\": " + RECORD + "}").statusCode())
                .isEqualTo(404);
        assertThat(f.post("/api/v1/diagnosis/diabetes@challenger/predict", Role.PREDICTOR, "{\"record\": " + RECORD + "}")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void bodiesOverTheLimitAre413() throws Exception {
        String big = "{\"records\": [" + (RECORD + ",").repeat(220_000) + RECORD + "]}";
        assertThat(big.length()).isGreaterThan(10 << 20);
        // With "Expect: 100-continue" the client waits for the server's verdict before it uploads; without
        // it, the server's early 413 and close can race the upload and reset the connection.
        HttpResponse<String> r = f.client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.server.baseUrl()
                + "/api/v1/diagnosis/diabetes/predict")).expectContinue(true)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(big))
                .header("Authorization", "Bearer " + f.keys.get(Role.PREDICTOR)).header("Content-Type", "application/json")
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void aKeyLimitedToOtherModelsIsRefused() throws Exception {
        String token = f.registry.apiKeys().create("ward", Role.PREDICTOR, "htn-*", java.util.Optional.empty(), "test").token();
        HttpResponse<String> r = f.send("POST", "/api/v1/diagnosis/diabetes/predict", java.util.Optional.of(token),
                "{\"record\": " + RECORD + "}", "application/json");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("detail").asText()).contains("does not reach model 'diabetes'");
        HttpResponse<String> list = f.send("GET", "/api/v1/models", java.util.Optional.of(token), "", "application/json");
        assertThat(json(list).get("models")).isEmpty();
    }
}
