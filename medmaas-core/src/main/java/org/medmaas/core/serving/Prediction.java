package org.medmaas.core.serving;

import java.util.List;
import java.util.Map;

/** One answer of a served model, whatever the task; each service's prediction record implements it. */
public interface Prediction {

    /** Which unit of the request it answers (1-based: a row, or a patient); never an identifier. */
    int row();

    /** The same prediction answering another unit (batches and chunks renumber). */
    Prediction numbered(int row);

    /** The service API's JSON of this prediction (field names as docs/api.md gives them). */
    Map<String, Object> toJson();

    /** Its values of a protocol output named in {@link ServedModel#outputs()}, row-major. */
    List<Object> output(String name);
}
