package org.medmaas.data.preprocess;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.Table;

/**
 * Drops columns whose missing share in the training data is above a threshold, or rows whose
 * missing share is above it.
 *
 * @param axis      {@code COLUMNS} or {@code ROWS}
 * @param threshold the largest missing share kept (0.5 keeps a column with half its cells missing)
 */
public record DropMissing(Axis axis, double threshold) implements StepSpec {

    public enum Axis { ROWS, COLUMNS }

    public DropMissing {
        Objects.requireNonNull(axis, "axis");
        Columns.requireFraction(threshold, "threshold");
    }

    @Override
    public Fitted fit(Table train) {
        List<String> drop = new ArrayList<>();
        if (axis == Axis.COLUMNS && train.rowCount() > 0) {
            for (Column c : train.columns()) {
                if ((double) c.missingCount() / train.rowCount() > threshold) {
                    drop.add(c.name());
                }
            }
        }
        return new Fitted(axis, threshold, drop);
    }

    /** @param droppedColumns the columns found too sparse at fit time (axis COLUMNS) */
    public record Fitted(Axis axis, double threshold, List<String> droppedColumns) implements FittedStep {
        public Fitted {
            droppedColumns = List.copyOf(droppedColumns);
        }

        @Override
        public Table apply(Table table) {
            if (axis == Axis.COLUMNS) {
                List<String> present = droppedColumns.stream().filter(table::has).toList();
                return table.drop(present);
            }
            if (table.columnCount() == 0) {
                return table;
            }
            BitSet keep = new BitSet(table.rowCount());
            for (int r = 0; r < table.rowCount(); r++) {
                int missing = 0;
                for (Column c : table.columns()) {
                    if (c.isMissing(r)) {
                        missing++;
                    }
                }
                if ((double) missing / table.columnCount() <= threshold) {
                    keep.set(r);
                }
            }
            if (keep.isEmpty() && table.rowCount() > 0) {
                throw MedmaasException.invalid("Dropping rows with more than " + threshold
                        + " of their cells missing would remove every row. Raise the threshold or impute instead.");
            }
            return table.keep(keep);
        }

        @Override
        public boolean rowLocal() {
            return axis == Axis.COLUMNS;
        }
    }
}
