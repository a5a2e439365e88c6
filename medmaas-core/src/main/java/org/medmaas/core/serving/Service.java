package org.medmaas.core.serving;

import com.fasterxml.jackson.databind.JsonNode;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.table.Table;

/**
 * A service module's entry point for serving: it loads its bundles as {@link ServedModel}s and
 * reads the body of its own predict route ({@code POST /api/v1/{task}/{model}/predict}). The
 * server and the CLI hold one instance per service, registered in one line each.
 */
public interface Service {

    /** The task name: the bundles' {@code task} and the path segment of the service's routes. */
    String task();

    /** Loads a verified bundle of this task. */
    ServedModel load(ModelBundle bundle);

    /**
     * Reads a predict request body for a model into rows; problems are INVALID_INPUT naming the
     * fields ({@link org.medmaas.core.error.InvalidFields}).
     */
    Request read(JsonNode body, ServedModel model);

    /** One prediction as the service's predict route answers it (by default, its own JSON). */
    default java.util.Map<String, Object> answer(Prediction prediction, Request request) {
        return prediction.toJson();
    }

    /**
     * A predict request as read.
     *
     * @param rows     the rows to score, validated against the model's inputs
     * @param explain  how many features to explain each prediction with
     * @param unit     what one prediction answers, for the audit details ("rows", "patients")
     * @param rowUnit  what one row is, when a prediction answers several ("visits"); else the same as unit
     * @param warnings field-level notes for the answer (e.g. a value outside the training range)
     */
    record Request(Table rows, int explain, String unit, String rowUnit, java.util.List<FieldWarning> warnings) {
        public Request {
            warnings = java.util.List.copyOf(warnings);
        }
    }

}
