package org.medmaas.core.table;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * A column of strings that are not labels from a small set: free text or identifiers. Values
 * of these columns are sensitive and must never appear in messages or logs.
 */
public final class StringColumn implements Column {

    private final String name;
    private final ColumnType type;
    // null marks a missing cell; the array never leaves this class.
    private final String[] values;
    private final int missingCount;

    private StringColumn(String name, ColumnType type, String[] values) {
        this.name = Objects.requireNonNull(name, "name");
        if (type != ColumnType.TEXT && type != ColumnType.IDENTIFIER) {
            throw new MedmaasException(ErrorCode.INTERNAL, "A string column is text or identifier, not " + type);
        }
        this.type = type;
        this.values = values;
        int count = 0;
        for (String v : values) {
            if (v == null) {
                count++;
            }
        }
        this.missingCount = count;
    }

    /** A column from values; cells flagged in {@code missing} are missing. */
    public static StringColumn of(String name, ColumnType type, List<String> values, java.util.BitSet missing) {
        String[] out = new String[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = missing.get(i) ? null : Objects.requireNonNull(values.get(i), "value");
        }
        return new StringColumn(name, type, out);
    }

    public static StringColumn identifiers(String name, String... values) {
        return new StringColumn(name, ColumnType.IDENTIFIER, values.clone());
    }

    public static StringColumn text(String name, String... values) {
        return new StringColumn(name, ColumnType.TEXT, values.clone());
    }

    static StringColumn wrap(String name, ColumnType type, String[] values) {
        return new StringColumn(name, type, values);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ColumnType type() {
        return type;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean isMissing(int row) {
        return values[row] == null;
    }

    @Override
    public int missingCount() {
        return missingCount;
    }

    /** The value at a row; an error if missing. Never put it in a message. */
    public String get(int row) {
        String v = values[row];
        if (v == null) {
            throw new MedmaasException(ErrorCode.INTERNAL,
                    "Column '" + name + "' row " + (row + 1) + " is missing; check isMissing first.");
        }
        return v;
    }

    /** The same values as another string type (text ↔ identifier). */
    public StringColumn asType(ColumnType newType) {
        return new StringColumn(name, newType, values);
    }

    @Override
    public StringColumn rename(String newName) {
        return new StringColumn(newName, type, values);
    }

    @Override
    public StringColumn take(int[] rows) {
        String[] out = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return new StringColumn(name, type, out);
    }

    @Override
    public String format(int row) {
        return values[row] == null ? "" : values[row];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StringColumn other && name.equals(other.name) && type == other.type
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        // Deliberately no values: they may identify a patient.
        return "StringColumn[" + name + ", " + type.label() + ", " + values.length + " rows]";
    }
}
