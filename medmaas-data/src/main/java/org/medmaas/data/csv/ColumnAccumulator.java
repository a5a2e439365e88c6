package org.medmaas.data.csv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.medmaas.core.table.BooleanColumn;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.DateTimeColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.StringColumn;

/** Collects one column's cells while a file is read. Not thread-safe. */
abstract sealed class ColumnAccumulator {

    /** Why a cell was refused; the reader turns it into a message with file, row and column. */
    enum Refusal { NONE, NOT_A_NUMBER, NOT_A_BOOLEAN, NOT_A_DATE, BELOW_MIN, ABOVE_MAX }

    final String name;
    final BitSet missing = new BitSet();
    int size;

    ColumnAccumulator(String name) {
        this.name = name;
    }

    static ColumnAccumulator forType(String name, ColumnType type, OptionalDouble min, OptionalDouble max) {
        return switch (type) {
            case NUMERIC -> new Numeric(name, min, max);
            case CATEGORICAL -> new Categorical(name);
            case BOOLEAN -> new Bool(name);
            case DATETIME -> new DateTime(name);
            case TEXT, IDENTIFIER -> new Strings(name, type);
        };
    }

    final void addMissing() {
        missing.set(size);
        addPlaceholder();
        size++;
    }

    /** Adds a present (trimmed) cell, or says why it cannot be taken. */
    final Refusal add(String cell) {
        Refusal r = addValue(cell);
        if (r == Refusal.NONE) {
            size++;
        }
        return r;
    }

    abstract void addPlaceholder();

    abstract Refusal addValue(String cell);

    abstract Column build();

    static final class Numeric extends ColumnAccumulator {
        private double[] values = new double[1024];
        private final double min;
        private final double max;

        Numeric(String name, OptionalDouble min, OptionalDouble max) {
            super(name);
            this.min = min.orElse(Double.NEGATIVE_INFINITY);
            this.max = max.orElse(Double.POSITIVE_INFINITY);
        }

        private void grow() {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
        }

        @Override
        void addPlaceholder() {
            grow();
        }

        @Override
        Refusal addValue(String cell) {
            double v;
            try {
                v = CellParsers.parseNumber(cell);
            } catch (NumberFormatException e) {
                return Refusal.NOT_A_NUMBER;
            }
            if (v < min) {
                return Refusal.BELOW_MIN;
            }
            if (v > max) {
                return Refusal.ABOVE_MAX;
            }
            grow();
            values[size] = v;
            return Refusal.NONE;
        }

        @Override
        Column build() {
            return NumericColumn.of(name, Arrays.copyOf(values, size), missing);
        }
    }

    static final class Categorical extends ColumnAccumulator {
        private int[] codes = new int[1024];
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> levels = new ArrayList<>();

        Categorical(String name) {
            super(name);
        }

        private void grow() {
            if (size == codes.length) {
                codes = Arrays.copyOf(codes, codes.length * 2);
            }
        }

        @Override
        void addPlaceholder() {
            grow();
            codes[size] = CategoricalColumn.MISSING_CODE;
        }

        @Override
        Refusal addValue(String cell) {
            Integer code = index.get(cell);
            if (code == null) {
                code = levels.size();
                index.put(cell, code);
                levels.add(cell);
            }
            grow();
            codes[size] = code;
            return Refusal.NONE;
        }

        @Override
        Column build() {
            return CategoricalColumn.of(name, Arrays.copyOf(codes, size), levels);
        }
    }

    static final class Bool extends ColumnAccumulator {
        private boolean[] values = new boolean[1024];

        Bool(String name) {
            super(name);
        }

        private void grow() {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
        }

        @Override
        void addPlaceholder() {
            grow();
        }

        @Override
        Refusal addValue(String cell) {
            if (!CellParsers.isBoolean(cell)) {
                return Refusal.NOT_A_BOOLEAN;
            }
            grow();
            values[size] = cell.equalsIgnoreCase("true");
            return Refusal.NONE;
        }

        @Override
        Column build() {
            return BooleanColumn.of(name, Arrays.copyOf(values, size), missing);
        }
    }

    static final class DateTime extends ColumnAccumulator {
        private long[] values = new long[1024];
        private boolean allDates = true;

        DateTime(String name) {
            super(name);
        }

        private void grow() {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
        }

        @Override
        void addPlaceholder() {
            grow();
        }

        @Override
        Refusal addValue(String cell) {
            OptionalLong v = CellParsers.parseDateTime(cell);
            if (v.isEmpty()) {
                return Refusal.NOT_A_DATE;
            }
            allDates &= cell.length() == 10;
            grow();
            values[size] = v.getAsLong();
            return Refusal.NONE;
        }

        @Override
        Column build() {
            return DateTimeColumn.of(name, Arrays.copyOf(values, size), missing, allDates);
        }
    }

    static final class Strings extends ColumnAccumulator {
        private final List<String> values = new ArrayList<>();
        private final ColumnType type;

        Strings(String name, ColumnType type) {
            super(name);
            this.type = type;
        }

        @Override
        void addPlaceholder() {
            values.add("");
        }

        @Override
        Refusal addValue(String cell) {
            values.add(cell);
            return Refusal.NONE;
        }

        @Override
        Column build() {
            return StringColumn.of(name, type, values, missing);
        }
    }
}
