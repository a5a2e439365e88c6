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
        List<JsonNode> records = new ArrayList<>();
        String prefix;
        if (body.has("records")) {
            prefix = "records";
            JsonNode array = body.get("records");
            if (!array.isArray() || array.isEmpty()) {
                throw new InvalidFields(List.of(new InvalidFields.FieldError("records", "must be a non-empty array of records")));
            }
            if (array.size() > MAX_RECORDS) {
                throw new InvalidFields(List.of(new InvalidFields.FieldError("records", "holds more than " + MAX_RECORDS
                        + " records; split the request")));
            }
            array.forEach(records::add);
        } else if (body.has("record")) {
            prefix = "record";
            records.add(body.get("record"));
        } else {
            throw new InvalidFields(List.of(new InvalidFields.FieldError("records", "is missing: send {\"records\": [{…}]}"
                    + " or {\"record\": {…}}")));
        }
        List<InvalidFields.FieldError> extra = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!List.of("records", "record", "explain").contains(f)) {
                extra.add(new InvalidFields.FieldError(f, "is not a field of this request (records, record, explain)"));
            }
        });
        int explain = 0;
        if (body.has("explain")) {
            JsonNode e = body.get("explain");
            if (!e.canConvertToInt() || !e.isIntegralNumber() || e.asInt() < 0 || e.asInt() > MAX_EXPLAIN) {
                extra.add(new InvalidFields.FieldError("explain", "must be a whole number from 0 to " + MAX_EXPLAIN
                        + " (how many features to explain each prediction with)"));
            } else {
                explain = e.asInt();
            }
        }
        if (!extra.isEmpty()) {
            throw new InvalidFields(extra);
        }
        ServedModels.Served served = predictor.model(name, ref);
        if (served.model().readsSequences()) {
            throw MedmaasException.invalid("'" + name + "' reads visit sequences; the server serves one-row-per-patient"
                    + " models for now (use medmaas predict for sequence models).");
        }
        List<InputField> inputs = served.model().manifest().inputs();
        Table table = Records.table(records, inputs, prefix);
        List<DiagnosisPrediction> predictions = predictor.predict(served, table, explain, call.deadline());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", name);
        out.put("version", served.version().version());
        out.put("predictions", predictions.stream().map(DiagnosisApi::json).toList());
        return Reply.json(200, Json.bytes(out), new Reply.AuditNote("predict", served.label(), sha256(call.body()),
                "rows=" + table.rowCount() + (explain > 0 ? " explain=" + explain : "")));
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
