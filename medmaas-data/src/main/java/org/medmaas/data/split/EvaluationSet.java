package org.medmaas.data.split;

import java.util.Objects;
import org.medmaas.core.table.Table;

/** Held-out rows for validation or testing. Deliberately not accepted by any {@link Resampler}. */
public record EvaluationSet(Table table, String target) {
    public EvaluationSet {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(target, "target");
    }

    public int rowCount() {
        return table.rowCount();
    }
}
