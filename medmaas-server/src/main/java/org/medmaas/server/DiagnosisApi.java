package org.medmaas.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.StringColumn;
import org.medmaas.core.table.Table;
import org.medmaas.diagnosis.DiagnosisPrediction;
import org.medmaas.ml.bundle.InputField;

/**
 * {@code POST /api/v1/diagnosis/{model}/predict}: patient records as named fields in, the
 * probability of each diagnosis, the label, the threshold and (on request) the features that
 * drove each prediction out.
 */
final class DiagnosisApi {

    static final int MAX_RECORDS = 10_000;
    static final int MAX_EXPLAIN = 20;
    static final int MAX_VISITS = 100_000;
    /** The visit table's columns, as sequence models read them (see VisitTable in medmaas-diagnosis). */
    static final String VISIT_PATIENT_COLUMN = "patient_id";
    static final String VISIT_ORDER_COLUMN = "visit";

    private final Predictor predictor;

    DiagnosisApi(Predictor predictor) {
        this.predictor = predictor;
    }

    /** Scores validated tables: directly, or through the model's batcher. */
    interface Predictor {
        ServedModels.Served model(String name, String reference);

        List<DiagnosisPrediction> predict(ServedModels.Served served, Table rows, int explain, Deadline deadline);
    }

    Reply predict(Call call, String modelPath, String reference) {
        String[] split = ServedModels.split(modelPath);
        String name = split[0];
        String ref = reference.isEmpty() ? split[1] : reference;
        Gate.requireReach(call, name);
        JsonNode body = Json.object(call.body());
        ServedModels.Served served = predictor.model(name, ref);
        boolean sequences = served.model().readsSequences();
        List<InvalidFields.FieldError> extra = new ArrayList<>();
        List<String> allowed = sequences ? List.of("patients", "explain") : List.of("records", "record", "explain");
        body.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                extra.add(new InvalidFields.FieldError(f, "is not a field of this request (" + String.join(", ", allowed)
                        + (sequences ? "; this model reads visit sequences" : "") + ")"));
            }
        });
        int explain = 0;
        if (body.has("explain")) {
            JsonNode e = body.get("explain");
            if (sequences && !(e.isIntegralNumber() && e.asInt() == 0)) {
                extra.add(new InvalidFields.FieldError("explain", "is not available for sequence models (lstm, gru) yet"));
            } else if (!e.canConvertToInt() || !e.isIntegralNumber() || e.asInt() < 0 || e.asInt() > MAX_EXPLAIN) {
                extra.add(new InvalidFields.FieldError("explain", "must be a whole number from 0 to " + MAX_EXPLAIN
                        + " (how many features to explain each prediction with)"));
            } else {
                explain = e.asInt();
            }
        }
        List<InputField> inputs = served.model().manifest().inputs();
        Table table = sequences ? visits(body, inputs, extra) : records(body, inputs, extra);
        List<DiagnosisPrediction> predictions = predictor.predict(served, table, explain, call.deadline());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", name);
        out.put("version", served.version().version());
        List<Map<String, Object>> answers = new ArrayList<>(predictions.size());
        for (DiagnosisPrediction p : predictions) {
            Map<String, Object> answer = json(p);
            if (sequences) {
                answer.put("patient", p.row()); // the patient's place in the request, never an identifier
            }
            answers.add(answer);
        }
        out.put("predictions", answers);
        int units = sequences ? predictions.size() : table.rowCount();
        return Reply.json(200, Json.bytes(out), new Reply.AuditNote("predict", served.label(), sha256(call.body()),
                (sequences ? "patients=" + units + " visits=" + table.rowCount() : "rows=" + units)
                        + (explain > 0 ? " explain=" + explain : "")));
    }

    /** {@code {"records": [{…}, …]}} or {@code {"record": {…}}}: one row per patient. */
    private static Table records(JsonNode body, List<InputField> inputs, List<InvalidFields.FieldError> problems) {
        List<JsonNode> records = new ArrayList<>();
        String prefix;
        if (body.has("records")) {
            prefix = "records";
            JsonNode array = body.get("records");
            if (!array.isArray() || array.isEmpty()) {
                problems.add(new InvalidFields.FieldError("records", "must be a non-empty array of records"));
            } else if (array.size() > MAX_RECORDS) {
                problems.add(new InvalidFields.FieldError("records", "holds more than " + MAX_RECORDS
                        + " records; split the request"));
            } else {
                array.forEach(records::add);
            }
        } else if (body.has("record")) {
            prefix = "record";
            records.add(body.get("record"));
        } else {
            prefix = "records";
            problems.add(new InvalidFields.FieldError("records", "is missing: send {\"records\": [{…}]} or {\"record\": {…}}"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidFields(problems);
        }
        return Records.table(records, inputs, prefix);
    }

    /**
     * {@code {"patients": [{"visits": [{…}, …]}, …]}} for sequence models: each patient's visits in
     * order, oldest first. The server numbers patients and visits itself, so no identifier is sent.
     */
    private static Table visits(JsonNode body, List<InputField> inputs, List<InvalidFields.FieldError> problems) {
        JsonNode patients = body.get("patients");
        List<JsonNode> rows = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        List<String> patientOfRow = new ArrayList<>();
        List<Double> visitOfRow = new ArrayList<>();
        if (patients == null) {
            problems.add(new InvalidFields.FieldError("patients", "is missing: send {\"patients\": [{\"visits\": [{…}, …]}]}"
                    + " with each patient's visits oldest first"));
        } else if (!patients.isArray() || patients.isEmpty()) {
            problems.add(new InvalidFields.FieldError("patients", "must be a non-empty array of patients"));
        } else if (patients.size() > MAX_RECORDS) {
            problems.add(new InvalidFields.FieldError("patients", "holds more than " + MAX_RECORDS + " patients; split the request"));
        } else {
            for (int i = 0; i < patients.size(); i++) {
                JsonNode patient = patients.get(i);
                String at = "patients[" + i + "]";
                JsonNode visits = patient.isObject() ? patient.get("visits") : null;
                if (visits == null || !visits.isArray() || visits.isEmpty()) {
                    problems.add(new InvalidFields.FieldError(at + ".visits", "must be a non-empty array of visits, oldest first"));
                    continue;
                }
                patient.fieldNames().forEachRemaining(f -> {
                    if (!f.equals("visits")) {
                        problems.add(new InvalidFields.FieldError(at + "." + f, "is not a field of a patient (visits)"));
                    }
                });
                for (int v = 0; v < visits.size(); v++) {
                    rows.add(visits.get(v));
                    paths.add(at + ".visits[" + v + "]");
                    patientOfRow.add(Integer.toString(i + 1));
                    visitOfRow.add((double) v + 1);
                }
            }
            if (rows.size() > MAX_VISITS) {
                problems.add(new InvalidFields.FieldError("patients", "hold more than " + MAX_VISITS
                        + " visits in all; split the request"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidFields(problems);
        }
        Table table = Records.table(rows, paths, inputs);
        return table.with(StringColumn.identifiers(VISIT_PATIENT_COLUMN, patientOfRow.toArray(String[]::new)))
                .with(NumericColumn.of(VISIT_ORDER_COLUMN, visitOfRow.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    private static Map<String, Object> json(DiagnosisPrediction p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", p.label());
        m.put("probabilities", p.probabilities());
        m.put("threshold", p.threshold());
        p.explanation().ifPresent(e -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("baseline_log_odds", e.baseline());
            x.put("top_features", e.topFeatures().stream()
                    .map(f -> Map.of("feature", f.feature(), "contribution", f.contribution())).toList());
            m.put("explanation", x);
        });
        return m;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "SHA-256 is not available.", e);
        }
    }
}
