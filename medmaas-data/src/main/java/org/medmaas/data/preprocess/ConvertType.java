package org.medmaas.data.preprocess;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.BooleanColumn;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.StringColumn;
import org.medmaas.core.table.Table;

/**
 * Changes a column's type: numeric codes to categories (e.g. a chest-pain type 1–4), booleans
 * to 0/1 numbers, categories with numeric labels to numbers, categories to text or identifiers.
 * A value that cannot be converted is an error naming the row.
 */
public record ConvertType(String column, ColumnType to) implements StepSpec {

    public ConvertType {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(to, "to");
        if (to == ColumnType.DATETIME) {
            throw MedmaasException.invalid("Conversion to date/time is done when reading: declare the column"
                    + " as datetime in a schema file.");
        }
    }

    @Override
    public Fitted fit(Table train) {
        Column c = train.column(column);
        Fitted fitted = new Fitted(column, c.type(), to);
        fitted.apply(train.select(List.of(column)));
        return fitted;
    }

    public record Fitted(String column, ColumnType from, ColumnType to) implements FittedStep {
        @Override
        public Table apply(Table table) {
            Column c = Columns.require(table, column, from, "convert-type");
            if (from == to) {
                return table;
            }
            return table.with(convert(c));
        }

        private Column convert(Column c) {
            int n = c.size();
            BitSet missing = new BitSet();
            for (int i = 0; i < n; i++) {
                if (c.isMissing(i)) {
                    missing.set(i);
                }
            }
            switch (to) {
                case NUMERIC -> {
                    double[] values = new double[n];
                    for (int i = 0; i < n; i++) {
                        if (missing.get(i)) {
                            continue;
                        }
                        if (c instanceof BooleanColumn b) {
                            values[i] = b.get(i) ? 1 : 0;
                        } else {
                            try {
                                values[i] = Double.parseDouble(c.format(i));
                            } catch (NumberFormatException e) {
                                throw MedmaasException.invalid("Column '" + column + "' row " + (i + 1)
                                        + " cannot be converted to a number.");
                            }
                        }
                    }
                    return NumericColumn.of(column, values, missing);
                }
                case CATEGORICAL -> {
                    List<String> labels = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        labels.add(c.format(i));
                    }
                    return CategoricalColumn.fromLabels(column, labels, missing);
                }
                case BOOLEAN -> {
                    boolean[] values = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        if (missing.get(i)) {
                            continue;
                        }
                        String s = c.format(i);
                        switch (s.toLowerCase(java.util.Locale.ROOT)) {
                            case "1", "true", "yes", "y", "t" -> values[i] = true;
                            case "0", "false", "no", "n", "f" -> values[i] = false;
                            default -> throw MedmaasException.invalid("Column '" + column + "' row " + (i + 1)
                                    + " cannot be converted to true/false.");
                        }
                    }
                    return BooleanColumn.of(column, values, missing);
                }
                case TEXT, IDENTIFIER -> {
                    List<String> labels = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        labels.add(c.format(i));
                    }
                    return StringColumn.of(column, to, labels, missing);
                }
                default -> throw MedmaasException.invalid("Cannot convert column '" + column + "' to " + to.label() + ".");
            }
        }
    }
}
