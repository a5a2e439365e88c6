package org.medmaas.server.serving;

import org.medmaas.server.http.Deadline;

import java.util.List;
import org.medmaas.core.serving.Prediction;
import org.medmaas.core.table.Table;

/** Resolves served models and scores validated tables: directly, in chunks, or through the model's batcher. */
public interface Predictor {

    public ServedModels.Served model(String name, String reference);

    public List<? extends Prediction> predict(ServedModels.Served served, Table rows, int explain, Deadline deadline);
}
