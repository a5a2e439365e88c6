package org.medmaas.core.table;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * A column of instants, stored as UTC epoch milliseconds. Columns read from date-only values
 * keep {@link #dateOnly()} so they are written back as dates.
 */
public final class DateTimeColumn implements Column {

    private final String name;
    private final long[] epochMillis;
    private final BitSet missing;
    private final int missingCount;
    private final boolean dateOnly;

    private DateTimeColumn(String name, long[] epochMillis, BitSet missing, boolean dateOnly) {
        this.name = Objects.requireNonNull(name, "name");
        this.epochMillis = epochMillis;
        this.missing = missing;
        this.missingCount = missing.cardinality();
        this.dateOnly = dateOnly;
    }

    public static DateTimeColumn of(String name, long[] epochMillis, BitSet missing, boolean dateOnly) {
        return new DateTimeColumn(name, epochMillis.clone(), (BitSet) missing.clone(), dateOnly);
    }

    static DateTimeColumn wrap(String name, long[] epochMillis, BitSet missing, boolean dateOnly) {
        return new DateTimeColumn(name, epochMillis, missing, dateOnly);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ColumnType type() {
        return ColumnType.DATETIME;
    }

    @Override
    public int size() {
        return epochMillis.length;
    }

    @Override
    public boolean isMissing(int row) {
        return missing.get(row);
    }

    @Override
    public int missingCount() {
        return missingCount;
    }

    public boolean dateOnly() {
        return dateOnly;
    }

    /** Epoch milliseconds at a row; an error if missing. */
    public long epochMillis(int row) {
        if (missing.get(row)) {
            throw new MedmaasException(ErrorCode.INTERNAL,
                    "Column '" + name + "' row " + (row + 1) + " is missing; check isMissing first.");
        }
        return epochMillis[row];
    }

    public Instant instant(int row) {
        return Instant.ofEpochMilli(epochMillis(row));
    }

    @Override
    public DateTimeColumn rename(String newName) {
        return new DateTimeColumn(newName, epochMillis, missing, dateOnly);
    }

    @Override
    public DateTimeColumn take(int[] rows) {
        long[] out = new long[rows.length];
        BitSet outMissing = new BitSet(rows.length);
        for (int i = 0; i < rows.length; i++) {
            out[i] = epochMillis[rows[i]];
            if (missing.get(rows[i])) {
                outMissing.set(i);
            }
        }
        return new DateTimeColumn(name, out, outMissing, dateOnly);
    }

    @Override
    public String format(int row) {
        if (missing.get(row)) {
            return "";
        }
        Instant instant = Instant.ofEpochMilli(epochMillis[row]);
        return dateOnly ? LocalDate.ofInstant(instant, ZoneOffset.UTC).toString() : instant.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DateTimeColumn other && name.equals(other.name)
                && dateOnly == other.dateOnly && missing.equals(other.missing)
                && Arrays.equals(epochMillis, other.epochMillis);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, missing, dateOnly, Arrays.hashCode(epochMillis));
    }
}
