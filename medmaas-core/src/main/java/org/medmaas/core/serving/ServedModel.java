package org.medmaas.core.serving;

import java.util.List;
import java.util.Map;
import org.medmaas.core.bundle.BundleManifest;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Table;

/**
 * The serving port: what the server, the batcher, the Open Inference Protocol handler and the
 * CLI need of a loaded model, whatever its task. Each service's model implements it; nothing that
 * serves models needs to know the service. Implementations are immutable and thread-safe.
 */
public interface ServedModel {

    /** The service it belongs to ("diagnosis", …). */
    String task();

    BundleManifest manifest();

    /** The named inputs a row carries. */
    List<InputField> inputs();

    /** The outputs of each prediction, as the protocol announces them. */
    List<OutputSpec> outputs();

    /** Extra facts for the protocol's model metadata (e.g. classes and threshold). */
    Map<String, Object> parameters();

    /**
     * Whether a prediction answers one flat row: rows of separate requests may then be scored
     * together (batched), and the protocol's flat tensors carry them. False where several rows
     * make one unit (a patient's visits).
     */
    boolean flatRows();

    /** The most features a prediction can be explained with (0: none). */
    int maxExplanation();

    /** Checks rows against the inputs; INVALID_INPUT names every column that does not fit, never a value. */
    void validate(Table rows);

    /**
     * Predictions for the rows (validated first), numbered from 1 in input order.
     *
     * @param explain how many features to explain each prediction with (0: none)
     */
    List<? extends Prediction> predict(Table rows, int explain);

    /** Metrics on labeled rows (the target present). */
    default Map<String, Double> evaluate(Table labeled) {
        throw MedmaasException.invalid("Evaluation is not available for " + task() + " models.");
    }
}
