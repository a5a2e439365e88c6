package org.medmaas.core.table;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import org.medmaas.core.error.MedmaasException;

/** A column of real numbers; missing cells are flagged in a bit set, never encoded as NaN. */
public final class NumericColumn implements Column {

    private final String name;
    private final double[] values;
    private final BitSet missing;
    private final int missingCount;

    private NumericColumn(String name, double[] values, BitSet missing) {
        this.name = Objects.requireNonNull(name, "name");
        this.values = values;
        this.missing = missing;
        this.missingCount = missing.cardinality();
    }

    /**
     * A column over the given values. NaN is not allowed as a value: callers must say which
     * cells are missing, so that a NaN produced by arithmetic is caught rather than silently
     * turned into a missing measurement.
     */
    public static NumericColumn of(String name, double[] values, BitSet missing) {
        double[] copy = values.clone();
        BitSet missingCopy = (BitSet) missing.clone();
        for (int i = 0; i < copy.length; i++) {
            if (missingCopy.get(i)) {
                copy[i] = 0.0;
            } else if (Double.isNaN(copy[i])) {
                throw new MedmaasException(org.medmaas.core.error.ErrorCode.INTERNAL,
                        "Column '" + name + "' row " + (i + 1) + " is NaN but not marked missing.");
            }
        }
        return new NumericColumn(name, copy, missingCopy);
    }

    /** A column with no missing values. */
    public static NumericColumn of(String name, double... values) {
        return of(name, values, new BitSet());
    }

    /**
     * A column where NaN means missing: the explicit bridge for arithmetic results
     * (e.g. a ratio with a zero denominator).
     */
    public static NumericColumn ofNanAsMissing(String name, double[] values) {
        BitSet missing = new BitSet(values.length);
        double[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            if (Double.isNaN(copy[i])) {
                missing.set(i);
                copy[i] = 0.0;
            }
        }
        return new NumericColumn(name, copy, missing);
    }

    /** Takes ownership of the arrays without copying; for builders in this package. */
    static NumericColumn wrap(String name, double[] values, BitSet missing) {
        return new NumericColumn(name, values, missing);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ColumnType type() {
        return ColumnType.NUMERIC;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean isMissing(int row) {
        return missing.get(row);
    }

    @Override
    public int missingCount() {
        return missingCount;
    }

    /** The value at a row; an error if the cell is missing. */
    public double get(int row) {
        if (missing.get(row)) {
            throw new MedmaasException(org.medmaas.core.error.ErrorCode.INTERNAL,
                    "Column '" + name + "' row " + (row + 1) + " is missing; check isMissing first.");
        }
        return values[row];
    }

    /** The value at a row, or NaN if missing: for numeric kernels that handle NaN themselves. */
    public double getOrNaN(int row) {
        return missing.get(row) ? Double.NaN : values[row];
    }

    /** All values with NaN in missing cells (a fresh array). */
    public double[] toArrayNanForMissing() {
        double[] out = values.clone();
        for (int i = missing.nextSetBit(0); i >= 0; i = missing.nextSetBit(i + 1)) {
            out[i] = Double.NaN;
        }
        return out;
    }

    /** The present values only, in row order (a fresh array). */
    public double[] presentValues() {
        double[] out = new double[values.length - missingCount];
        int k = 0;
        for (int i = 0; i < values.length; i++) {
            if (!missing.get(i)) {
                out[k++] = values[i];
            }
        }
        return out;
    }

    /** A copy of the missing-cell flags. */
    public BitSet missingMask() {
        return (BitSet) missing.clone();
    }

    @Override
    public NumericColumn rename(String newName) {
        return new NumericColumn(newName, values, missing);
    }

    @Override
    public NumericColumn take(int[] rows) {
        double[] out = new double[rows.length];
        BitSet outMissing = new BitSet(rows.length);
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
            if (missing.get(rows[i])) {
                outMissing.set(i);
            }
        }
        return new NumericColumn(name, out, outMissing);
    }

    @Override
    public String format(int row) {
        if (missing.get(row)) {
            return "";
        }
        double v = values[row];
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericColumn other && name.equals(other.name)
                && missing.equals(other.missing) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, missing, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "NumericColumn[" + name + ", " + values.length + " rows, " + missingCount + " missing]";
    }
}
