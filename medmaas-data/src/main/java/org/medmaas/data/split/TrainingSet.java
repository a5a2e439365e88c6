package org.medmaas.data.split;

import java.util.Objects;
import org.medmaas.core.table.Table;

/**
 * Rows that a model may learn from. Resampling ({@link Resampler}) accepts only this type, and
 * the only ways to get one are a split ({@link StratifiedSplit}, {@link StratifiedKFold}) or the
 * explicit {@link #wholeDataset} for a final refit — so evaluation rows cannot be oversampled by
 * accident.
 */
public final class TrainingSet {

    private final Table table;
    private final String target;

    TrainingSet(Table table, String target) {
        this.table = Objects.requireNonNull(table, "table");
        this.target = Objects.requireNonNull(target, "target");
        table.column(target);
    }

    /** Declares a whole dataset as training data, for the final fit after evaluation is done. */
    public static TrainingSet wholeDataset(Table table, String target) {
        return new TrainingSet(table, target);
    }

    public Table table() {
        return table;
    }

    public String target() {
        return target;
    }

    public ClassLabels labels() {
        return ClassLabels.of(table, target);
    }

    public int rowCount() {
        return table.rowCount();
    }

    @Override
    public String toString() {
        return "TrainingSet[" + table.rowCount() + " rows, target " + target + "]";
    }
}
