package org.medmaas.core.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * Builds a {@link Table} row by row, for sources that are not column-shaped (FHIR resources,
 * joined records). Declare the columns, then for each row set the cells that have values and
 * call {@link #endRow()}; unset cells are missing. Not thread-safe.
 */
public final class TableBuilder {

    private final List<ColumnSpec> specs = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final List<double[]> numbers = new ArrayList<>();
    private final List<long[]> instants = new ArrayList<>();
    private final List<List<String>> strings = new ArrayList<>();
    private final List<BitSet> set = new ArrayList<>();
    private final List<Boolean> dateOnly = new ArrayList<>();
    private int rows;
    // Small to start: the server builds a table per request, usually of one row, and 256 slots per
    // column were its second largest allocation (JFR); big tables grow by doubling.
    private int capacity = 8;

    /** Declares a column; returns its position for the setters. */
    public int column(String name, ColumnType type) {
        if (rows > 0) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Declare every column before adding rows.");
        }
        if (index.containsKey(name)) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Column '" + name + "' declared twice.");
        }
        int position = specs.size();
        specs.add(new ColumnSpec(name, type));
        index.put(name, position);
        numbers.add(type == ColumnType.NUMERIC || type == ColumnType.BOOLEAN ? new double[capacity] : null);
        instants.add(type == ColumnType.DATETIME ? new long[capacity] : null);
        strings.add(type == ColumnType.CATEGORICAL || type.isSensitive() ? new ArrayList<>() : null);
        set.add(new BitSet());
        dateOnly.add(Boolean.TRUE);
        return position;
    }

    public TableBuilder declare(String name, ColumnType type) {
        column(name, type);
        return this;
    }

    public int position(String name) {
        Integer p = index.get(name);
        if (p == null) {
            throw new MedmaasException(ErrorCode.INTERNAL, "No column '" + name + "' was declared.");
        }
        return p;
    }

    private void grow() {
        if (rows < capacity) {
            return;
        }
        capacity *= 2;
        for (int c = 0; c < specs.size(); c++) {
            if (numbers.get(c) != null) {
                numbers.set(c, Arrays.copyOf(numbers.get(c), capacity));
            }
            if (instants.get(c) != null) {
                instants.set(c, Arrays.copyOf(instants.get(c), capacity));
            }
        }
    }

    /** Sets a numeric or boolean (0/1) cell of the current row; NaN leaves it missing. */
    public TableBuilder number(String column, double value) {
        int c = position(column);
        if (numbers.get(c) == null) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Column '" + column + "' is not numeric.");
        }
        if (!Double.isNaN(value)) {
            grow();
            numbers.get(c)[rows] = value;
            set.get(c).set(rows);
        }
        return this;
    }

    /** Sets a date/time cell of the current row. */
    public TableBuilder instant(String column, long epochMillis, boolean isDateOnly) {
        int c = position(column);
        if (instants.get(c) == null) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Column '" + column + "' is not date/time.");
        }
        grow();
        instants.get(c)[rows] = epochMillis;
        set.get(c).set(rows);
        if (!isDateOnly) {
            dateOnly.set(c, Boolean.FALSE);
        }
        return this;
    }

    /** Sets a categorical, text or identifier cell of the current row; null or empty leaves it missing. */
    public TableBuilder text(String column, String value) {
        int c = position(column);
        List<String> list = strings.get(c);
        if (list == null) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Column '" + column + "' does not hold text.");
        }
        if (value != null && !value.isEmpty()) {
            while (list.size() < rows) {
                list.add("");
            }
            if (list.size() == rows) {
                list.add(value);
            } else {
                list.set(rows, value);
            }
            set.get(c).set(rows);
        }
        return this;
    }

    /** Finishes the current row. */
    public void endRow() {
        grow();
        rows++;
    }

    public int rowCount() {
        return rows;
    }

    public Table build() {
        List<Column> columns = new ArrayList<>(specs.size());
        for (int c = 0; c < specs.size(); c++) {
            ColumnSpec spec = specs.get(c);
            BitSet missing = new BitSet(rows);
            missing.set(0, rows);
            missing.andNot(set.get(c));
            columns.add(switch (spec.type()) {
                case NUMERIC -> NumericColumn.of(spec.name(), Arrays.copyOf(numbers.get(c), rows), missing);
                case BOOLEAN -> {
                    boolean[] b = new boolean[rows];
                    for (int r = 0; r < rows; r++) {
                        b[r] = numbers.get(c)[r] != 0;
                    }
                    yield BooleanColumn.of(spec.name(), b, missing);
                }
                case DATETIME -> DateTimeColumn.of(spec.name(), Arrays.copyOf(instants.get(c), rows), missing,
                        dateOnly.get(c));
                case CATEGORICAL -> CategoricalColumn.fromLabels(spec.name(), padded(strings.get(c)), missing);
                case TEXT, IDENTIFIER -> StringColumn.of(spec.name(), spec.type(), padded(strings.get(c)), missing);
            });
        }
        return Table.of(columns);
    }

    private List<String> padded(List<String> values) {
        List<String> out = new ArrayList<>(values);
        while (out.size() < rows) {
            out.add("");
        }
        return out;
    }
}
