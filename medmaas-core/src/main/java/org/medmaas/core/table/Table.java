package org.medmaas.core.table;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * An immutable, column-oriented table with a schema. Every operation returns a new table and
 * shares the unchanged columns, so copies are cheap. Thread-safe.
 */
public final class Table {

    private final List<Column> columns;
    private final Schema schema;
    private final int rowCount;

    private Table(List<Column> columns) {
        this.columns = List.copyOf(columns);
        ColumnSpec[] specs = new ColumnSpec[this.columns.size()]; // a loop, not a stream: tables are built per served request
        for (int i = 0; i < specs.length; i++) {
            specs[i] = this.columns.get(i).spec();
        }
        this.schema = new Schema(List.of(specs));
        this.rowCount = this.columns.isEmpty() ? 0 : this.columns.get(0).size();
        for (Column c : this.columns) {
            if (c.size() != rowCount) {
                throw new MedmaasException(ErrorCode.INTERNAL, "Column '" + c.name() + "' has "
                        + c.size() + " rows but the table has " + rowCount + ".");
            }
        }
    }

    public static Table of(List<? extends Column> columns) {
        return new Table(new ArrayList<>(columns));
    }

    public static Table of(Column... columns) {
        return new Table(List.of(columns));
    }

    public Schema schema() {
        return schema;
    }

    public int rowCount() {
        return rowCount;
    }

    public int columnCount() {
        return columns.size();
    }

    public List<Column> columns() {
        return columns;
    }

    public Column column(int index) {
        return columns.get(index);
    }

    public Column column(String name) {
        return columns.get(schema.indexOf(name));
    }

    public boolean has(String name) {
        return schema.contains(name);
    }

    public NumericColumn numeric(String name) {
        return as(name, NumericColumn.class, ColumnType.NUMERIC);
    }

    public CategoricalColumn categorical(String name) {
        return as(name, CategoricalColumn.class, ColumnType.CATEGORICAL);
    }

    public BooleanColumn bool(String name) {
        return as(name, BooleanColumn.class, ColumnType.BOOLEAN);
    }

    public DateTimeColumn dateTime(String name) {
        return as(name, DateTimeColumn.class, ColumnType.DATETIME);
    }

    private <C extends Column> C as(String name, Class<C> kind, ColumnType expected) {
        Column c = column(name);
        if (!kind.isInstance(c)) {
            throw MedmaasException.invalid("Column '" + name + "' is " + c.type().label()
                    + ", but " + expected.label() + " is needed here. Maybe declare its type in a schema file.");
        }
        return kind.cast(c);
    }

    /** The named columns, in the given order. */
    public Table select(Collection<String> names) {
        List<Column> out = new ArrayList<>(names.size());
        for (String name : names) {
            out.add(column(name));
        }
        return new Table(out);
    }

    /** All columns but the named ones; every name must exist. */
    public Table drop(Collection<String> names) {
        Set<String> toDrop = new HashSet<>(names);
        for (String name : toDrop) {
            schema.indexOf(name);
        }
        return new Table(columns.stream().filter(c -> !toDrop.contains(c.name())).toList());
    }

    /** Replaces the column of the same name in place, or appends it. */
    public Table with(Column column) {
        List<Column> out = new ArrayList<>(columns);
        int at = schema.find(column.name()).orElse(-1);
        if (at >= 0) {
            out.set(at, column);
        } else {
            out.add(column);
        }
        return new Table(out);
    }

    /**
     * Replaces each given column's namesake in place (appending new names), in one pass: for steps
     * that rewrite many columns, where calling {@link #with} per column would rebuild the schema
     * every time.
     */
    public Table withAll(List<? extends Column> replacements) {
        if (replacements.isEmpty()) {
            return this;
        }
        List<Column> out = new ArrayList<>(columns);
        if (replacements.size() <= 32) {
            // Matched by a linear search of the schema, not through a map: each preprocessing step of
            // a served request calls this with a few columns.
            for (Column c : replacements) {
                int at = schema.find(c.name()).orElse(-1);
                if (at >= 0) {
                    out.set(at, c);
                } else {
                    out.add(c);
                }
            }
            return new Table(out);
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            positions.put(columns.get(i).name(), i);
        }
        for (Column c : replacements) {
            Integer at = positions.get(c.name());
            if (at != null) {
                out.set(at, c);
            } else {
                out.add(c);
            }
        }
        return new Table(out);
    }

    /** Replaces one column by several at its position (e.g. one-hot encoding). */
    public Table replace(String name, List<? extends Column> replacements) {
        int at = schema.indexOf(name);
        List<Column> out = new ArrayList<>(columns.subList(0, at));
        out.addAll(replacements);
        out.addAll(columns.subList(at + 1, columns.size()));
        return new Table(out);
    }

    /** The given rows in the given order; rows may repeat. */
    public Table take(int[] rows) {
        for (int r : rows) {
            Objects.checkIndex(r, rowCount);
        }
        return new Table(columns.stream().map(c -> c.take(rows)).toList());
    }

    /** The rows whose bit is set. */
    public Table keep(BitSet rows) {
        return take(rows.stream().toArray());
    }

    /** The first {@code n} rows (or all, if fewer). */
    public Table head(int n) {
        int[] rows = new int[Math.min(n, rowCount)];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return take(rows);
    }

    /**
     * This table's rows followed by another's, with the same column names and types.
     * Categorical levels are merged, this table's first.
     */
    public Table concat(Table other) {
        if (!schema.equals(other.schema)) {
            throw MedmaasException.invalid("Cannot append rows: the schemas differ ("
                    + schema.names() + " vs " + other.schema.names() + ").");
        }
        List<Column> out = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            out.add(concat(columns.get(i), other.columns.get(i)));
        }
        return new Table(out);
    }

    private static Column concat(Column a, Column b) {
        int n = a.size() + b.size();
        return switch (a) {
            case NumericColumn x -> {
                NumericColumn y = (NumericColumn) b;
                double[] v = new double[n];
                BitSet m = new BitSet(n);
                for (int i = 0; i < n; i++) {
                    NumericColumn src = i < x.size() ? x : y;
                    int r = i < x.size() ? i : i - x.size();
                    if (src.isMissing(r)) {
                        m.set(i);
                    } else {
                        v[i] = src.get(r);
                    }
                }
                yield NumericColumn.wrap(x.name(), v, m);
            }
            case CategoricalColumn x -> {
                CategoricalColumn y = (CategoricalColumn) b;
                List<String> levels = new ArrayList<>(x.levels());
                Map<String, Integer> index = new HashMap<>();
                for (int i = 0; i < levels.size(); i++) {
                    index.put(levels.get(i), i);
                }
                int[] remap = new int[y.levels().size()];
                for (int i = 0; i < remap.length; i++) {
                    String level = y.levels().get(i);
                    Integer code = index.get(level);
                    if (code == null) {
                        code = levels.size();
                        levels.add(level);
                        index.put(level, code);
                    }
                    remap[i] = code;
                }
                int[] codes = new int[n];
                for (int i = 0; i < n; i++) {
                    if (i < x.size()) {
                        codes[i] = x.code(i);
                    } else {
                        int c = y.code(i - x.size());
                        codes[i] = c == CategoricalColumn.MISSING_CODE ? c : remap[c];
                    }
                }
                yield CategoricalColumn.wrap(x.name(), codes, levels);
            }
            case BooleanColumn x -> {
                BooleanColumn y = (BooleanColumn) b;
                boolean[] v = new boolean[n];
                BitSet m = new BitSet(n);
                for (int i = 0; i < n; i++) {
                    BooleanColumn src = i < x.size() ? x : y;
                    int r = i < x.size() ? i : i - x.size();
                    if (src.isMissing(r)) {
                        m.set(i);
                    } else {
                        v[i] = src.get(r);
                    }
                }
                yield BooleanColumn.of(x.name(), v, m);
            }
            case DateTimeColumn x -> {
                DateTimeColumn y = (DateTimeColumn) b;
                long[] v = new long[n];
                BitSet m = new BitSet(n);
                for (int i = 0; i < n; i++) {
                    DateTimeColumn src = i < x.size() ? x : y;
                    int r = i < x.size() ? i : i - x.size();
                    if (src.isMissing(r)) {
                        m.set(i);
                    } else {
                        v[i] = src.epochMillis(r);
                    }
                }
                yield DateTimeColumn.wrap(x.name(), v, m, x.dateOnly() && y.dateOnly());
            }
            case StringColumn x -> {
                StringColumn y = (StringColumn) b;
                String[] v = new String[n];
                for (int i = 0; i < n; i++) {
                    StringColumn src = i < x.size() ? x : y;
                    int r = i < x.size() ? i : i - x.size();
                    v[i] = src.isMissing(r) ? null : src.get(r);
                }
                yield StringColumn.wrap(x.name(), x.type(), v);
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Table other && columns.equals(other.columns);
    }

    @Override
    public int hashCode() {
        return columns.hashCode();
    }

    @Override
    public String toString() {
        return "Table[" + rowCount + " rows × " + columns.size() + " columns: " + schema.names() + "]";
    }
}
