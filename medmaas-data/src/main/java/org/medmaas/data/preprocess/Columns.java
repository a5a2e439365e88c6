package org.medmaas.data.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

/** Column selection and checks shared by the steps. */
final class Columns {

    /** Tables from this many rows transform their columns in parallel (one column per task). */
    static final int PARALLEL_ROWS = 8192;

    private Columns() {
    }

    /**
     * A stream over per-column work, parallel for large tables; the collected order stays the
     * stream's encounter order, so the steps' output is the same either way.
     */
    static <T> java.util.stream.Stream<T> inParallelIfLarge(Table table, java.util.stream.Stream<T> work) {
        return table.rowCount() >= PARALLEL_ROWS ? work.parallel() : work;
    }

    /**
     * The columns a step works on: the named ones (each must exist and have an allowed type), or,
     * when none are named, every column of an allowed type. Identifiers are never selected
     * implicitly.
     */
    static List<String> select(Table table, List<String> named, Set<ColumnType> allowed, String step) {
        if (named.isEmpty()) {
            return table.columns().stream().filter(c -> allowed.contains(c.type())).map(Column::name).toList();
        }
        List<String> out = new ArrayList<>(named.size());
        for (String name : named) {
            Column c = table.column(name);
            if (!allowed.contains(c.type())) {
                throw MedmaasException.invalid("Step '" + step + "' cannot use column '" + name + "': it is "
                        + c.type().label() + ", and the step takes " + labels(allowed) + " columns.");
            }
            out.add(name);
        }
        return out;
    }

    /** Checks, at apply time, that a column the step was fitted on is present with its type. */
    static Column require(Table table, String name, ColumnType type, String step) {
        if (!table.has(name)) {
            throw MedmaasException.invalid("Step '" + step + "' was fitted with column '" + name
                    + "', which this table lacks. Give it the same columns as the training data.");
        }
        Column c = table.column(name);
        if (c.type() != type) {
            throw MedmaasException.invalid("Step '" + step + "' was fitted with column '" + name + "' as "
                    + type.label() + ", but here it is " + c.type().label() + ".");
        }
        return c;
    }

    static NumericColumn requireNumeric(Table table, String name, String step) {
        return (NumericColumn) require(table, name, ColumnType.NUMERIC, step);
    }

    static String labels(Set<ColumnType> types) {
        return String.join(" or ", types.stream().map(ColumnType::label).sorted().toList());
    }

    static void requireFraction(double value, String field) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw MedmaasException.invalid("'" + field + "' must be between 0 and 1.");
        }
    }
}
