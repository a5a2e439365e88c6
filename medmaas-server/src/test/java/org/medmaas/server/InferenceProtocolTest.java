package org.medmaas.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.medmaas.registry.Role;

/**
 * Contract tests written from the Open Inference Protocol v2 REST specification
 * (kserve/open-inference-protocol, inference_rest.md; see docs/api.md): health, metadata,
 * readiness and inference, the tensor JSON and the {@code {"error": …}} body.
 */
class InferenceProtocolTest extends ServerTest {

    static final String TWO_ROWS = """
            {"id": "42", "inputs": [
              {"name": "glucose", "shape": [2], "datatype": "FP64", "data": [150.0, 90.0]},
              {"name": "bmi", "shape": [2, 1], "datatype": "FP32", "data": [[33.5], [22.0]]},
              {"name": "smoker", "shape": [2], "datatype": "BYTES", "data": ["current", "never"]}]}""";

    @Test
    void healthIsAnonymousAndAnswersBothShapes() throws Exception {
        HttpResponse<String> live = f.send("GET", "/v2/health/live", Optional.empty(), "");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(json(live).get("live").asBoolean()).isTrue();
        HttpResponse<String> ready = f.send("GET", "/v2/health/ready", Optional.empty(), "");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("ready").asBoolean()).isTrue();
    }

    @Test
    void serverMetadataHasNameVersionAndExtensions() throws Exception {
        JsonNode m = json(f.get("/v2", Role.PREDICTOR));
        assertThat(m.get("name").asText()).isEqualTo("medmaas");
        assertThat(m.get("version").isTextual()).isTrue();
        assertThat(m.get("extensions").isArray()).isTrue();
    }

    @Test
    void modelMetadataListsTensorsWithVariableBatchDimension() throws Exception {
        HttpResponse<String> r = f.get("/v2/models/diabetes", Role.PREDICTOR);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode m = json(r);
        assertThat(m.get("name").asText()).isEqualTo("diabetes");
        assertThat(m.get("versions")).extracting(JsonNode::asText).containsExactly("1", "2");
        assertThat(m.get("platform").asText()).isEqualTo("medmaas_lr");
        assertThat(m.get("inputs")).extracting(t -> t.get("name").asText()).containsExactly("glucose", "bmi", "smoker");
        assertThat(m.get("inputs").get(0).get("datatype").asText()).isEqualTo("FP64");
        assertThat(m.get("inputs").get(2).get("datatype").asText()).isEqualTo("BYTES");
        assertThat(m.get("inputs").get(0).get("shape").get(0).asInt()).isEqualTo(-1);
        assertThat(m.get("outputs").get(0).get("shape")).extracting(JsonNode::asInt).containsExactly(-1, 2);
        // Without a version, the champion alias answers (v1); the versions path names one.
        assertThat(m.get("parameters").get("version").asText()).isEqualTo("1");
        assertThat(json(f.get("/v2/models/diabetes/versions/2", Role.PREDICTOR)).get("parameters").get("version").asText())
                .isEqualTo("2");
    }

    @Test
    void unknownModelIs404WithAnErrorBody() throws Exception {
        HttpResponse<String> r = f.get("/v2/models/nope", Role.PREDICTOR);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).contains("nope");
        assertThat(f.get("/v2/models/nope/ready", Role.PREDICTOR).statusCode()).isEqualTo(404);
    }

    @Test
    void modelReadyForEachVersion() throws Exception {
        JsonNode ready = json(f.get("/v2/models/diabetes/ready", Role.PREDICTOR));
        assertThat(ready.get("name").asText()).isEqualTo("diabetes");
        assertThat(ready.get("ready").asBoolean()).isTrue();
        assertThat(f.get("/v2/models/diabetes/versions/2/ready", Role.PREDICTOR).statusCode()).isEqualTo(200);
        assertThat(f.get("/v2/models/diabetes/versions/9/ready", Role.PREDICTOR).statusCode()).isEqualTo(404);
    }

    @Test
    void inferEchoesIdNamesModelAndVersionAndAnswersAllOutputs() throws Exception {
        HttpResponse<String> r = f.post("/v2/models/diabetes/infer", Role.PREDICTOR, TWO_ROWS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode out = json(r);
        assertThat(out.get("id").asText()).isEqualTo("42");
        assertThat(out.get("model_name").asText()).isEqualTo("diabetes");
        assertThat(out.get("model_version").asText()).isEqualTo("1");
        JsonNode probabilities = out.get("outputs").get(0);
        assertThat(probabilities.get("name").asText()).isEqualTo("probabilities");
        assertThat(probabilities.get("datatype").asText()).isEqualTo("FP64");
        assertThat(probabilities.get("shape")).extracting(JsonNode::asInt).containsExactly(2, 2);
        double[] p = new double[4];
        for (int i = 0; i < 4; i++) {
            p[i] = probabilities.get("data").get(i).asDouble();
        }
        assertThat(p[0] + p[1]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p[1]).as("high glucose, obese smoker").isGreaterThan(p[3]);
        JsonNode label = out.get("outputs").get(1);
        assertThat(label.get("datatype").asText()).isEqualTo("BYTES");
        assertThat(label.get("shape")).extracting(JsonNode::asInt).containsExactly(2);
    }

    @Test
    void nestedAndFlatDataGiveTheSameResultAndTheVersionPathIsHonoured() throws Exception {
        String flat = TWO_ROWS.replace("[[33.5], [22.0]]", "[33.5, 22.0]");
        JsonNode a = json(f.post("/v2/models/diabetes/infer", Role.PREDICTOR, TWO_ROWS)).get("outputs");
        JsonNode b = json(f.post("/v2/models/diabetes/infer", Role.PREDICTOR, flat)).get("outputs");
        assertThat(a).isEqualTo(b);
        JsonNode v2 = json(f.post("/v2/models/diabetes/versions/2/infer", Role.PREDICTOR, TWO_ROWS));
        assertThat(v2.get("model_version").asText()).isEqualTo("2");
    }

    @Test
    void requestedOutputsOnly() throws Exception {
        String body = TWO_ROWS.replace("{\"id\": \"42\",", "{\"outputs\": [{\"name\": \"label\"}],");
        JsonNode out = json(f.post("/v2/models/diabetes/infer", Role.PREDICTOR, body));
        assertThat(out.has("id")).isFalse();
        assertThat(out.get("outputs")).singleElement().satisfies(o -> assertThat(o.get("name").asText()).isEqualTo("label"));
        HttpResponse<String> unknown = f.post("/v2/models/diabetes/infer", Role.PREDICTOR,
                TWO_ROWS.replace("{\"id\": \"42\",", "{\"outputs\": [{\"name\": \"logits\"}],"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("error").asText()).contains("outputs[0] names an output this model does not have")
                .doesNotContain("logits"); // a client's names are not echoed
    }

    @Test
    void badTensorsAre400WithAnErrorBodyThatDoesNotEchoValues() throws Exception {
        assertError(TWO_ROWS.replace("\"shape\": [2], \"datatype\": \"FP64\"", "\"shape\": [3], \"datatype\": \"FP64\""),
                "has 2 elements; its shape [3] needs 3");
        assertError(TWO_ROWS.replace("\"FP64\"", "\"FP128\""), "a datatype the protocol does not define");
        assertError(TWO_ROWS.replace("\"name\": \"glucose\"", "\"name\": \"sugar\""), "names an input model 'diabetes' does not have");
        assertError(TWO_ROWS.replace("\"datatype\": \"BYTES\"", "\"datatype\": \"FP32\""), "send it as BYTES");
        assertError(TWO_ROWS.replace("[150.0, 90.0]", "[\"150.0\", 90.0]"), "row[0].glucose: must be a finite number");
        assertError("{\"inputs\": []}", "'inputs' must be a non-empty array");
        assertError("{\"inputs\": [{\"name\": \"glucose\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [150.0]}]}",
                "Missing inputs [bmi, smoker]");
        assertError("{not json", "is not valid JSON");
        HttpResponse<String> r = f.post("/v2/models/diabetes/infer", Role.PREDICTOR,
                TWO_ROWS.replace("[150.0, 90.0]", "[\"123-45-6789\", 90.0]"));
        assertThat(r.body()).doesNotContain("123-45-6789");
    }

    private static void assertError(String body, String message) throws Exception {
        HttpResponse<String> r = f.post("/v2/models/diabetes/infer", Role.PREDICTOR, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains(message);
    }

    @Test
    void protocolErrorsForMissingCredentialsUseTheErrorBodyToo() throws Exception {
        HttpResponse<String> r = f.send("POST", "/v2/models/diabetes/infer", Optional.empty(), TWO_ROWS);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(json(r).get("error").asText()).contains("No credentials");
    }
}
