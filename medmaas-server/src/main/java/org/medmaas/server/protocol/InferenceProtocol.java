package org.medmaas.server.protocol;

import org.medmaas.server.http.Call;
import org.medmaas.server.http.Json;
import org.medmaas.server.http.Reply;
import org.medmaas.server.serving.Predictor;
import org.medmaas.server.serving.ServedModels;

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
import org.medmaas.core.io.Digests;
import org.medmaas.core.serving.InputField;
import org.medmaas.core.serving.OutputSpec;
import org.medmaas.core.serving.Prediction;
import org.medmaas.core.serving.ServedModel;
import org.medmaas.core.table.Table;
import org.medmaas.data.records.JsonRecords;
import org.medmaas.registry.ModelRegistry;

/**
 * The Open Inference Protocol v2 (KServe V2, Triton) over REST: health, server and model
 * metadata, model readiness and inference, with the protocol's tensor JSON and its
 * {@code {"error": "…"}} bodies, so KServe and Triton clients work unchanged.
 *
 * <p>A model of flat rows takes one input tensor per input field (shape {@code [n]} or {@code [n, 1]};
 * numbers as FP32/FP64/INT*, booleans as BOOL, categories and dates as BYTES) and answers the
 * outputs its {@link ServedModel#outputs()} announce (a diagnosis model: {@code probabilities}, FP64
 * {@code [n, classes]} in class order, and {@code label}, BYTES {@code [n]}). This handler works
 * through the serving port only and names no service.
 */
public final class InferenceProtocol {

    public static final String SERVER_NAME = "medmaas";
    private static final Set<String> NUMERIC = Set.of("FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8",
            "UINT16", "UINT32", "UINT64");
    private static final Set<String> ALL = Set.of("BOOL", "BYTES", "BF16", "FP16", "FP32", "FP64", "INT8", "INT16", "INT32",
            "INT64", "UINT8", "UINT16", "UINT32", "UINT64");
    /** The most rows one infer request may carry. */
    public static final int MAX_ROWS = 10_000;

    private final ModelRegistry registry;
    private final Predictor predictor;
    private final String version;

    public InferenceProtocol(ModelRegistry registry, Predictor predictor, String version) {
        this.registry = registry;
        this.predictor = predictor;
        this.version = version;
    }

    public Reply serverMetadata(Call call) {
        return Reply.json(200, Json.bytes(Map.of("name", SERVER_NAME, "version", version, "extensions", List.of())),
                Reply.AuditNote.of("protocol.metadata", ""));
    }

    public Reply modelMetadata(Call call, String reference) {
        String name = call.path("name");
        ServedModels.Served served = predictor.model(name, reference);
        List<String> versions = registry.versions(name).stream().map(v -> Integer.toString(v.version())).toList();
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (InputField f : served.model().inputs()) {
            inputs.add(tensor(f.name(), ProtocolTensors.datatype(f), List.of(-1)));
        }
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (OutputSpec o : served.model().outputs()) {
            outputs.add(tensor(o.name(), o.datatype(), shape(-1, o)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("versions", versions);
        out.put("platform", "medmaas_" + served.version().learner());
        out.put("inputs", inputs);
        out.put("outputs", outputs);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("version", Integer.toString(served.version().version()));
        parameters.putAll(served.model().parameters());
        out.put("parameters", parameters);
        return Reply.json(200, Json.bytes(out), Reply.AuditNote.of("protocol.metadata", served.label()));
    }

    public Reply modelReady(Call call, String reference) {
        String name = call.path("name");
        ServedModels.Served served = predictor.model(name, reference);
        return Reply.json(200, Json.bytes(Map.of("name", name, "ready", true)), Reply.AuditNote.of("protocol.ready", served.label()));
    }

    public Reply infer(Call call, String reference) {
        String name = call.path("name");
        JsonNode request = Json.object(call);
        ServedModels.Served served = predictor.model(name, reference);
        ServedModel model = served.model();
        if (!model.flatRows()) {
            throw MedmaasException.invalid("'" + name + "' reads several rows per prediction (e.g. each patient's visit"
                    + " sequence), which the protocol's flat tensors do not carry; send them to POST /api/v1/" + model.task()
                    + "/" + name + "/predict.");
        }
        Read read = read(request, model, name);
        int rows = read.rows();
        List<String> wanted = read.outputs();
        Table table = read.records().table();
        List<? extends Prediction> predictions = predictor.predict(served, table, 0, call.deadline());
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (String output : wanted) {
            OutputSpec spec = model.outputs().stream().filter(o -> o.name().equals(output)).findFirst().orElseThrow();
            List<Object> data = new ArrayList<>();
            predictions.forEach(p -> data.addAll(p.output(output)));
            outputs.add(tensor(output, spec.datatype(), shape(rows, spec), data));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_name", name);
        out.put("model_version", Integer.toString(served.version().version()));
        if (request.hasNonNull("id")) {
            out.put("id", request.get("id").asText());
        }
        out.put("outputs", outputs);
        if (!read.records().warnings().isEmpty()) {
            // The protocol's parameters hold strings, numbers or booleans: the warnings as one string.
            out.put("parameters", Map.of("warnings", String.join("; ", read.records().warnings().stream()
                    .map(w -> w.field() + " " + w.warning()).toList())));
        }
        return Reply.json(200, Json.bytes(out), new Reply.AuditNote("predict", served.label(), Digests.sha256(call.body()),
                "rows=" + rows + " protocol=v2"));
    }

    /** A request's tensors read as rows for the model, and the outputs it asks for. */
    record Read(JsonRecords.Result records, int rows, List<String> outputs) {
    }

    /**
     * Reads an infer request's tensors into rows, validated against the model's inputs; any
     * problem is INVALID_INPUT. Apart from scoring so that it can be fuzzed on its own.
     */
    static Read read(JsonNode request, ServedModel model, String name) {
        JsonNode inputs = request.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw MedmaasException.invalid("'inputs' must be a non-empty array of tensors.");
        }
        Map<String, InputField> fields = new LinkedHashMap<>();
        model.inputs().forEach(f -> fields.put(f.name(), f));
        Map<String, List<JsonNode>> columns = new LinkedHashMap<>();
        int rows = -1;
        for (int t = 0; t < inputs.size(); t++) {
            JsonNode tensor = inputs.get(t);
            String tensorName = text(tensor, "name", "inputs[" + t + "]");
            InputField field = fields.get(tensorName);
            if (field == null) {
                // The client's name is not echoed (names can carry identifiers); its place is.
                throw MedmaasException.invalid("inputs[" + t + "] names an input model '" + name + "' does not have; its inputs are "
                        + fields.keySet() + ".");
            }
            if (columns.containsKey(tensorName)) {
                throw MedmaasException.invalid("Input '" + tensorName + "' is sent twice.");
            }
            String datatype = text(tensor, "datatype", "input '" + tensorName + "'");
            if (!ALL.contains(datatype)) {
                throw MedmaasException.invalid("Input '" + tensorName + "' has a datatype the protocol does not define; use one of "
                        + new java.util.TreeSet<>(ALL) + ".");
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
        if (rows < 1 || rows > MAX_ROWS) {
            throw MedmaasException.invalid("The batch must have 1 to " + MAX_ROWS + " rows.");
        }
        List<String> wanted = requestedOutputs(request, model);
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
        return new Read(JsonRecords.read(records, model.inputs(), "row"), rows, wanted);
    }

    /** A tensor's shape: the batch dimension, then the output's own. */
    private static List<Integer> shape(int rows, OutputSpec spec) {
        List<Integer> shape = new ArrayList<>();
        shape.add(rows);
        shape.addAll(spec.shapePerRow());
        return shape;
    }

    private static List<String> requestedOutputs(JsonNode request, ServedModel model) {
        List<String> all = model.outputs().stream().map(OutputSpec::name).toList();
        JsonNode outputs = request.get("outputs");
        if (outputs == null || outputs.isNull()) {
            return all;
        }
        if (!outputs.isArray()) {
            throw MedmaasException.invalid("'outputs' must be an array of {\"name\": …}.");
        }
        List<String> wanted = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < outputs.size(); i++) {
            String name = text(outputs.get(i), "name", "outputs[" + i + "]");
            if (!all.contains(name)) {
                throw MedmaasException.invalid("outputs[" + i + "] names an output this model does not have; its outputs are "
                        + all + ".");
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
