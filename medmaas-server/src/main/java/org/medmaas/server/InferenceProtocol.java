package org.medmaas.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.Table;
import org.medmaas.diagnosis.DiagnosisPrediction;
import org.medmaas.ml.bundle.InputField;
import org.medmaas.registry.ModelRegistry;

/**
 * The Open Inference Protocol v2 (KServe V2, Triton) over REST: health, server and model
 * metadata, model readiness and inference, with the protocol's tensor JSON and its
 * {@code {"error": "…"}} bodies, so KServe and Triton clients work unchanged.
 *
 * <p>A tabular model takes one input tensor per input field (shape {@code [n]} or {@code [n, 1]};
 * numbers as FP32/FP64/INT*, booleans as BOOL, categories and dates as BYTES) and answers two
 * outputs: {@code probabilities} (FP64, {@code [n, classes]}, in class order) and {@code label}
 * (BYTES, {@code [n]}).
 */
final class InferenceProtocol {

    static final String SERVER_NAME = "medmaas";
    private static final Set<String> NUMERIC = Set.of("FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8",
            "UINT16", "UINT32", "UINT64");
    private static final Set<String> ALL = Set.of("BOOL", "BYTES", "BF16", "FP16", "FP32", "FP64", "INT8", "INT16", "INT32",
            "INT64", "UINT8", "UINT16", "UINT32", "UINT64");
    private static final List<String> OUTPUTS = List.of("probabilities", "label");

    private final ModelRegistry registry;
    private final DiagnosisApi.Predictor predictor;
    private final String version;

    InferenceProtocol(ModelRegistry registry, DiagnosisApi.Predictor predictor, String version) {
        this.registry = registry;
        this.predictor = predictor;
        this.version = version;
    }

    Reply serverMetadata(Call call) {
        return Reply.json(200, Json.bytes(Map.of("name", SERVER_NAME, "version", version, "extensions", List.of())),
                Reply.AuditNote.of("protocol.metadata", ""));
    }

    Reply modelMetadata(Call call, String reference) {
        String name = call.path("name");
        Gate.requireReach(call, name);
        ServedModels.Served served = predictor.model(name, reference);
        List<String> versions = registry.versions(name).stream().map(v -> Integer.toString(v.version())).toList();
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (InputField f : served.model().manifest().inputs()) {
            inputs.add(tensor(f.name(), ProtocolTensors.datatype(f), List.of(-1)));
        }
        int classes = served.model().manifest().classes().size();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("versions", versions);
        out.put("platform", "medmaas_" + served.version().learner());
        out.put("inputs", inputs);
        out.put("outputs", List.of(tensor("probabilities", "FP64", List.of(-1, classes)), tensor("label", "BYTES", List.of(-1))));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("version", Integer.toString(served.version().version()));
        parameters.put("classes", String.join(",", served.model().manifest().classes()));
        parameters.put("threshold", served.model().manifest().threshold());
        out.put("parameters", parameters);
        return Reply.json(200, Json.bytes(out), Reply.AuditNote.of("protocol.metadata", served.label()));
    }

    Reply modelReady(Call call, String reference) {
        String name = call.path("name");
        Gate.requireReach(call, name);
        ServedModels.Served served = predictor.model(name, reference);
        return Reply.json(200, Json.bytes(Map.of("name", name, "ready", true)), Reply.AuditNote.of("protocol.ready", served.label()));
    }

    Reply infer(Call call, String reference) {
        String name = call.path("name");
        Gate.requireReach(call, name);
        JsonNode request = Json.object(call.body());
        ServedModels.Served served = predictor.model(name, reference);
        if (served.model().readsSequences()) {
            throw MedmaasException.invalid("'" + name + "' reads each patient's visit sequence, which the protocol's flat"
                    + " tensors do not carry; send {\"patients\": [{\"visits\": [...]}]} to POST /api/v1/diagnosis/" + name
                    + "/predict.");
        }
        JsonNode inputs = request.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw MedmaasException.invalid("'inputs' must be a non-empty array of tensors.");
        }
        Map<String, InputField> fields = new LinkedHashMap<>();
        served.model().manifest().inputs().forEach(f -> fields.put(f.name(), f));
        Map<String, List<JsonNode>> columns = new LinkedHashMap<>();
        int rows = -1;
        for (int t = 0; t < inputs.size(); t++) {
            JsonNode tensor = inputs.get(t);
            String tensorName = text(tensor, "name", "inputs[" + t + "]");
            InputField field = fields.get(tensorName);
            if (field == null) {
                throw MedmaasException.invalid("Unknown input '" + tensorName + "' for model '" + name + "'; its inputs are "
                        + fields.keySet() + ".");
            }
            if (columns.containsKey(tensorName)) {
                throw MedmaasException.invalid("Input '" + tensorName + "' is sent twice.");
            }
            String datatype = text(tensor, "datatype", "input '" + tensorName + "'");
            if (!ALL.contains(datatype)) {
                throw MedmaasException.invalid("Input '" + tensorName + "' has unknown datatype '" + datatype + "'.");
            }
            if (!accepts(field, datatype)) {
                throw MedmaasException.invalid("Input '" + tensorName + "' is " + field.type() + "; send it as "
                        + ProtocolTensors.datatype(field) + (field.type().equals("numeric") ? " (or another numeric type)" : "")
                        + ", not " + datatype + ".");
            }
            long[] shape = shape(tensor, tensorName);
            long count = 1;
            for (long d : shape) {
                count *= d;
            }
            if (shape.length > 2 || shape.length == 2 && shape[1] != 1) {
                throw MedmaasException.invalid("Input '" + tensorName + "' must have shape [n] or [n, 1].");
            }
            List<JsonNode> data = new ArrayList<>();
            JsonNode raw = tensor.get("data");
            if (raw == null) {
                throw MedmaasException.invalid("Input '" + tensorName + "' has no 'data'.");
            }
            flatten(raw, data);
            if (data.size() != count) {
                throw MedmaasException.invalid("Input '" + tensorName + "' has " + data.size() + " elements; its shape "
                        + java.util.Arrays.toString(shape) + " needs " + count + ".");
            }
            if (rows >= 0 && shape[0] != rows) {
                throw MedmaasException.invalid("Input '" + tensorName + "' has " + shape[0] + " rows; the inputs before it have "
                        + rows + ".");
            }
            rows = (int) shape[0];
            columns.put(tensorName, data);
        }
        List<String> missing = fields.keySet().stream().filter(f -> !columns.containsKey(f)).toList();
        if (!missing.isEmpty()) {
            throw MedmaasException.invalid("Missing inputs " + missing + " for model '" + name + "'.");
        }
        if (rows < 1 || rows > DiagnosisApi.MAX_RECORDS) {
            throw MedmaasException.invalid("The batch must have 1 to " + DiagnosisApi.MAX_RECORDS + " rows.");
        }
        List<String> wanted = requestedOutputs(request);
        List<JsonNode> records = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, List<JsonNode>> c : columns.entrySet()) {
                JsonNode v = c.getValue().get(r);
                InputField f = fields.get(c.getKey());
                // The protocol lets a server coerce: 0/1 for BOOL.
                if (ColumnType.fromLabel(f.type()) == ColumnType.BOOLEAN && v.isNumber()) {
                    v = JsonNodeFactory.instance.booleanNode(v.asDouble() != 0);
                }
                record.set(c.getKey(), v);
            }
            records.add(record);
        }
        Table table = Records.table(records, served.model().manifest().inputs(), "row");
        List<DiagnosisPrediction> predictions = predictor.predict(served, table, 0, call.deadline());
        List<String> classes = served.model().manifest().classes();
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (String output : wanted) {
            if (output.equals("probabilities")) {
                List<Double> data = new ArrayList<>(rows * classes.size());
                predictions.forEach(p -> classes.forEach(c -> data.add(p.probabilities().get(c))));
                outputs.add(tensor(output, "FP64", List.of(rows, classes.size()), data));
            } else {
                outputs.add(tensor(output, "BYTES", List.of(rows), predictions.stream().map(DiagnosisPrediction::label).toList()));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_name", name);
        out.put("model_version", Integer.toString(served.version().version()));
        if (request.hasNonNull("id")) {
            out.put("id", request.get("id").asText());
        }
        out.put("outputs", outputs);
        return Reply.json(200, Json.bytes(out), new Reply.AuditNote("predict", served.label(), DiagnosisApi.sha256(call.body()),
                "rows=" + rows + " protocol=v2"));
    }

    private static List<String> requestedOutputs(JsonNode request) {
        JsonNode outputs = request.get("outputs");
        if (outputs == null || outputs.isNull()) {
            return OUTPUTS;
        }
        if (!outputs.isArray()) {
            throw MedmaasException.invalid("'outputs' must be an array of {\"name\": …}.");
        }
        List<String> wanted = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < outputs.size(); i++) {
            String name = text(outputs.get(i), "name", "outputs[" + i + "]");
            if (!OUTPUTS.contains(name)) {
                throw MedmaasException.invalid("Unknown output '" + name + "'; this model's outputs are " + OUTPUTS + ".");
            }
            if (seen.add(name)) {
                wanted.add(name);
            }
        }
        return wanted;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || !v.isTextual()) {
            throw MedmaasException.invalid(where + " needs a string '" + field + "'.");
        }
        return v.asText();
    }

    private static long[] shape(JsonNode tensor, String name) {
        JsonNode s = tensor.get("shape");
        if (s == null || !s.isArray() || s.isEmpty()) {
            throw MedmaasException.invalid("Input '" + name + "' needs a 'shape' array.");
        }
        long[] shape = new long[s.size()];
        for (int i = 0; i < s.size(); i++) {
            if (!s.get(i).isIntegralNumber() || s.get(i).asLong() < 0) {
                throw MedmaasException.invalid("Input '" + name + "' has a shape dimension that is not a non-negative integer.");
            }
            shape[i] = s.get(i).asLong();
        }
        return shape;
    }

    /** Row-major flattening: nested ([[1],[2]]) and flat ([1,2]) data are the same tensor. */
    private static void flatten(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node);
        }
    }

    private static boolean accepts(InputField f, String datatype) {
        return switch (ColumnType.fromLabel(f.type())) {
            case NUMERIC -> NUMERIC.contains(datatype);
            case BOOLEAN -> datatype.equals("BOOL") || NUMERIC.contains(datatype);
            default -> datatype.equals("BYTES");
        };
    }

    private static Map<String, Object> tensor(String name, String datatype, List<Integer> shape) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("datatype", datatype);
        m.put("shape", shape);
        return m;
    }

    private static Map<String, Object> tensor(String name, String datatype, List<Integer> shape, List<?> data) {
        Map<String, Object> m = tensor(name, datatype, shape);
        m.put("data", data);
        return m;
    }
}
