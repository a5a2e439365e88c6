package org.medmaas.core.table;

/**
 * One immutable, typed column of a {@link Table}. Missing values are explicit: every
 * implementation answers {@link #isMissing(int)}, and no sentinel value stands in for them.
 */
public sealed interface Column
        permits NumericColumn, CategoricalColumn, BooleanColumn, DateTimeColumn, StringColumn {

    String name();

    ColumnType type();

    int size();

    boolean isMissing(int row);

    /** Number of missing cells. */
    int missingCount();

    /** A column with the same values and a new name. */
    Column rename(String newName);

    /** A column holding the given rows, in the given order (rows may repeat). */
    Column take(int[] rows);

    /** The cell as text, as it would be written to CSV; empty for a missing cell. */
    String format(int row);

    default ColumnSpec spec() {
        return new ColumnSpec(name(), type());
    }
}
