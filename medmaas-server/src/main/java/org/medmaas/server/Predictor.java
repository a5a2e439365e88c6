package org.medmaas.server;

import java.util.List;
import org.medmaas.core.serving.Prediction;
import org.medmaas.core.table.Table;

/** Resolves served models and scores validated tables: directly, in chunks, or through the model's batcher. */
interface Predictor {

    ServedModels.Served model(String name, String reference);

    List<? extends Prediction> predict(ServedModels.Served served, Table rows, int explain, Deadline deadline);
}
