package org.medmaas.core.table;

import java.util.Arrays;
import java.util.Objects;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/** A column of true/false values, with explicit missing cells. */
public final class BooleanColumn implements Column {

    private static final byte MISSING = -1;

    private final String name;
    private final byte[] values;
    private final int missingCount;

    private BooleanColumn(String name, byte[] values) {
        this.name = Objects.requireNonNull(name, "name");
        this.values = values;
        int count = 0;
        for (byte v : values) {
            if (v == MISSING) {
                count++;
            }
        }
        this.missingCount = count;
    }

    /** A column from values and a missing mask. */
    public static BooleanColumn of(String name, boolean[] values, java.util.BitSet missing) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = missing.get(i) ? MISSING : (byte) (values[i] ? 1 : 0);
        }
        return new BooleanColumn(name, out);
    }

    public static BooleanColumn of(String name, boolean... values) {
        return of(name, values, new java.util.BitSet());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ColumnType type() {
        return ColumnType.BOOLEAN;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean isMissing(int row) {
        return values[row] == MISSING;
    }

    @Override
    public int missingCount() {
        return missingCount;
    }

    /** The value at a row; an error if missing. */
    public boolean get(int row) {
        if (values[row] == MISSING) {
            throw new MedmaasException(ErrorCode.INTERNAL,
                    "Column '" + name + "' row " + (row + 1) + " is missing; check isMissing first.");
        }
        return values[row] == 1;
    }

    @Override
    public BooleanColumn rename(String newName) {
        return new BooleanColumn(newName, values);
    }

    @Override
    public BooleanColumn take(int[] rows) {
        byte[] out = new byte[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return new BooleanColumn(name, out);
    }

    @Override
    public String format(int row) {
        return values[row] == MISSING ? "" : (values[row] == 1 ? "true" : "false");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BooleanColumn other && name.equals(other.name)
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(values));
    }
}
