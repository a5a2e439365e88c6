package org.medmaas.data.clinical;

import org.medmaas.core.table.Column;
import org.medmaas.core.table.DateTimeColumn;
import org.medmaas.core.table.Table;
import org.medmaas.core.table.TableBuilder;

/** Small helpers for copying cells of source tables into canonical ones. */
final class Cells {

    private Cells() {
    }

    /** The cell as text, or null when the column is absent or the cell missing (TableBuilder skips null). */
    static String text(Table t, String column, int row) {
        if (!t.has(column)) {
            return null;
        }
        Column c = t.column(column);
        return c.isMissing(row) ? null : c.format(row);
    }

    static void copyInstant(Table source, String column, int row, TableBuilder target, String targetColumn) {
        if (!source.has(column)) {
            return;
        }
        Column c = source.column(column);
        if (c instanceof DateTimeColumn d && !d.isMissing(row)) {
            target.instant(targetColumn, d.epochMillis(row), d.dateOnly());
        }
    }

    /** A number from text, or NaN when it is not one (TableBuilder leaves NaN missing). */
    static double number(String text) {
        if (text == null || text.isBlank()) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(text.trim());
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
