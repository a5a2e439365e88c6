package org.medmaas.diagnosis;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.error.InvalidFields;
import org.medmaas.core.error.InvalidFields.FieldError;
import java.util.Map;
import org.medmaas.core.serving.Prediction;
import org.medmaas.core.serving.ServedModel;
import org.medmaas.core.serving.Service;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.StringColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.records.JsonRecords;

/**
 * The diagnosis service as the server and the CLI see it: it loads diagnosis bundles and reads
 * {@code POST /api/v1/diagnosis/{model}/predict} bodies: {@code {"records": [{…}]}} or
 * {@code {"record": {…}}} for models of one row per patient, {@code {"patients": [{"visits":
 * [{…}]}]}} for sequence models, with {@code "explain": n} for the n strongest features.
 */
public final class DiagnosisService implements Service {

    public static final String TASK = "diagnosis";
    /** The most records (or patients) one request may carry. */
    public static final int MAX_RECORDS = 10_000;
    /** The most visits one request may carry in all. */
    public static final int MAX_VISITS = 100_000;
    /**
     * The most records one request may ask explanations for: an explanation costs up to a few
     * hundred scorings (Kernel SHAP), so a few large explained requests could otherwise starve the rest.
     */
    public static final int MAX_EXPLAINED_RECORDS = 1_000;

    @Override
    public String task() {
        return TASK;
    }

    @Override
    public ServedModel load(ModelBundle bundle) {
        return DiagnosisModel.load(bundle, "The registered bundle");
    }

    @Override
    public Request read(JsonNode body, ServedModel served) {
        DiagnosisModel model = (DiagnosisModel) served;
        boolean sequences = model.readsSequences();
        List<FieldError> problems = new ArrayList<>();
        List<String> allowed = sequences ? List.of("patients", "explain") : List.of("records", "record", "explain");
        int unknown = 0;
        for (var names = body.fieldNames(); names.hasNext();) {
            unknown += allowed.contains(names.next()) ? 0 : 1;
        }
        if (unknown > 0) { // counted, not named: a client's field names are not echoed
            problems.add(new FieldError("body", "has " + unknown + " field(s) this request does not take (it takes "
                    + String.join(", ", allowed) + (sequences ? "; this model reads visit sequences" : "") + ")"));
        }
        int explain = 0;
        if (body.has("explain")) {
            JsonNode e = body.get("explain");
            if (sequences && !(e.isIntegralNumber() && e.asInt() == 0)) {
                problems.add(new FieldError("explain", "is not available for sequence models (lstm, gru) yet"));
            } else if (!e.canConvertToInt() || !e.isIntegralNumber() || e.asInt() < 0 || e.asInt() > model.maxExplanation()) {
                problems.add(new FieldError("explain", "must be a whole number from 0 to " + DiagnosisModel.MAX_EXPLANATION
                        + " (how many features to explain each prediction with)"));
            } else {
                explain = e.asInt();
            }
        }
        JsonRecords.Result rows = sequences ? visits(body, model, problems) : records(body, model, problems);
        if (explain > 0 && rows.table().rowCount() > MAX_EXPLAINED_RECORDS) {
            throw new InvalidFields(List.of(new FieldError("explain", "is given for at most " + MAX_EXPLAINED_RECORDS
                    + " records per request (this one has " + rows.table().rowCount() + "); split the request, or ask"
                    + " without explanations")));
        }
        return new Request(rows.table(), explain, sequences ? "patients" : "rows", sequences ? "visits" : "rows", rows.warnings());
    }

    /** A sequence model's answers say which patient of the request they are for (its place, never an identifier). */
    @Override
    public Map<String, Object> answer(Prediction prediction, Request request) {
        Map<String, Object> out = prediction.toJson();
        if (request.unit().equals("patients")) {
            out.put("patient", prediction.row());
        }
        return out;
    }

    /** {@code {"records": [{…}, …]}} or {@code {"record": {…}}}: one row per patient. */
    private static JsonRecords.Result records(JsonNode body, DiagnosisModel model, List<FieldError> problems) {
        List<JsonNode> records = new ArrayList<>();
        String prefix;
        if (body.has("records") && body.has("record")) {
            prefix = "records";
            problems.add(new FieldError("record", "and 'records' are both sent; send one record as {\"record\": {…}} or several"
                    + " as {\"records\": [{…}]}, not both"));
        } else if (body.has("records")) {
            prefix = "records";
            JsonNode array = body.get("records");
            if (!array.isArray() || array.isEmpty()) {
                problems.add(new FieldError("records", "must be a non-empty array of records"));
            } else if (array.size() > MAX_RECORDS) {
                problems.add(new FieldError("records", "holds more than " + MAX_RECORDS + " records; split the request"));
            } else {
                array.forEach(records::add);
            }
        } else if (body.has("record")) {
            prefix = "record";
            records.add(body.get("record"));
        } else {
            prefix = "records";
            problems.add(new FieldError("records", "is missing: send {\"records\": [{…}]} or {\"record\": {…}}"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidFields(problems);
        }
        return model.recordReader().read(records, prefix);
    }

    /**
     * {@code {"patients": [{"visits": [{…}, …]}, …]}} for sequence models: each patient's visits in
     * order, oldest first. Patients and visits are numbered here, so no identifier is sent.
     */
    private static JsonRecords.Result visits(JsonNode body, DiagnosisModel model, List<FieldError> problems) {
        JsonNode patients = body.get("patients");
        List<JsonNode> rows = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        List<String> patientOfRow = new ArrayList<>();
        List<Double> visitOfRow = new ArrayList<>();
        if (patients == null) {
            problems.add(new FieldError("patients", "is missing: send {\"patients\": [{\"visits\": [{…}, …]}]}"
                    + " with each patient's visits oldest first"));
        } else if (!patients.isArray() || patients.isEmpty()) {
            problems.add(new FieldError("patients", "must be a non-empty array of patients"));
        } else if (patients.size() > MAX_RECORDS) {
            problems.add(new FieldError("patients", "holds more than " + MAX_RECORDS + " patients; split the request"));
        } else {
            for (int i = 0; i < patients.size(); i++) {
                JsonNode patient = patients.get(i);
                String at = "patients[" + i + "]";
                JsonNode visits = patient.isObject() ? patient.get("visits") : null;
                if (visits == null || !visits.isArray() || visits.isEmpty()) {
                    problems.add(new FieldError(at + ".visits", "must be a non-empty array of visits, oldest first"));
                    continue;
                }
                if (patient.size() > 1) { // counted, not named
                    problems.add(new FieldError(at, "has " + (patient.size() - 1) + " field(s) besides visits, which a patient"
                            + " does not have"));
                }
                for (int v = 0; v < visits.size(); v++) {
                    rows.add(visits.get(v));
                    paths.add(at + ".visits[" + v + "]");
                    patientOfRow.add(Integer.toString(i + 1));
                    visitOfRow.add((double) v + 1);
                }
            }
            if (rows.size() > MAX_VISITS) {
                problems.add(new FieldError("patients", "hold more than " + MAX_VISITS + " visits in all; split the request"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidFields(problems);
        }
        JsonRecords.Result read = model.recordReader().read(rows, paths);
        Table table = read.table().with(StringColumn.identifiers(VisitTable.ID_COLUMN, patientOfRow.toArray(String[]::new)))
                .with(NumericColumn.of(VisitTable.ORDER_COLUMN, visitOfRow.stream().mapToDouble(Double::doubleValue).toArray()));
        return new JsonRecords.Result(table, read.warnings());
    }
}
