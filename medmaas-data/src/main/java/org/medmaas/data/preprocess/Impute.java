package org.medmaas.data.preprocess;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.BooleanColumn;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.stats.Descriptive;

/**
 * Fills missing cells with a statistic learned from the training data (as scikit-learn's
 * {@code SimpleImputer}), optionally adding a {@code <column>_was_missing} indicator column.
 *
 * @param columns          the columns to fill; empty means every numeric, categorical and
 *                         boolean column
 * @param strategy         MEAN and MEDIAN for numeric columns; MOST_FREQUENT and CONSTANT for all
 * @param constant         the fill value for CONSTANT (a number for numeric columns, a label
 *                         otherwise)
 * @param addIndicator     whether to add a boolean "was missing" column per filled column
 */
public record Impute(List<String> columns, Strategy strategy, Optional<String> constant, boolean addIndicator)
        implements StepSpec {

    public enum Strategy { MEAN, MEDIAN, MOST_FREQUENT, CONSTANT }

    private static final Set<ColumnType> TYPES = Set.of(ColumnType.NUMERIC, ColumnType.CATEGORICAL, ColumnType.BOOLEAN);

    public Impute {
        columns = List.copyOf(columns);
        Objects.requireNonNull(strategy, "strategy");
        if (strategy == Strategy.CONSTANT && constant.isEmpty()) {
            throw MedmaasException.invalid("Imputation with strategy CONSTANT needs 'constant'.");
        }
    }

    public static Impute of(Strategy strategy, String... columns) {
        return new Impute(List.of(columns), strategy, Optional.empty(), false);
    }

    @Override
    public Fitted fit(Table train) {
        Set<ColumnType> allowed = (strategy == Strategy.MEAN || strategy == Strategy.MEDIAN)
                ? Set.of(ColumnType.NUMERIC) : TYPES;
        Map<String, String> fills = new LinkedHashMap<>();
        for (String name : Columns.select(train, columns, allowed, "impute")) {
            Column c = train.column(name);
            fills.put(name, fillFor(c));
        }
        return new Fitted(fills, addIndicator);
    }

    private String fillFor(Column c) {
        if (strategy == Strategy.CONSTANT) {
            String value = constant.orElseThrow();
            if (c.type() == ColumnType.NUMERIC) {
                try {
                    Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw MedmaasException.invalid("Imputation constant for numeric column '" + c.name()
                            + "' must be a number.");
                }
            }
            return value;
        }
        if (c.missingCount() == c.size()) {
            throw MedmaasException.invalid("Column '" + c.name() + "' has no values in the training data, so "
                    + strategy.name().toLowerCase(java.util.Locale.ROOT)
                    + " imputation has nothing to learn from. Drop the column or use a constant.");
        }
        return switch (c) {
            case NumericColumn n -> {
                double[] present = n.presentValues();
                double v = switch (strategy) {
                    case MEAN -> Descriptive.mean(present);
                    case MEDIAN -> Descriptive.median(present);
                    default -> Descriptive.mode(present);
                };
                yield Double.toString(v);
            }
            case CategoricalColumn cat -> {
                int[] counts = cat.levelCounts();
                int best = 0;
                for (int i = 1; i < counts.length; i++) {
                    if (counts[i] > counts[best]) {
                        best = i;
                    }
                }
                yield cat.levels().get(best);
            }
            case BooleanColumn b -> {
                int trues = 0;
                int present = 0;
                for (int i = 0; i < b.size(); i++) {
                    if (!b.isMissing(i)) {
                        present++;
                        trues += b.get(i) ? 1 : 0;
                    }
                }
                yield Boolean.toString(trues * 2 > present);
            }
            default -> throw new IllegalStateException(c.type().name());
        };
    }

    /** @param fills the fill value per column, as text (a number for numeric columns) */
    public record Fitted(Map<String, String> fills, boolean addIndicator) implements FittedStep {
        public Fitted {
            fills = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fills));
        }

        @Override
        public Table apply(Table table) {
            if (!addIndicator) {
                List<Column> filled = Columns.inParallelIfLarge(table, fills.entrySet().stream())
                        .map(e -> fill(column(table, e.getKey()), e.getValue())).toList();
                return table.withAll(filled);
            }
            Table out = table;
            for (Map.Entry<String, String> e : fills.entrySet()) {
                String name = e.getKey();
                if (!table.has(name)) {
                    throw MedmaasException.invalid("Step 'impute' was fitted with column '" + name
                            + "', which this table lacks. Give it the same columns as the training data.");
                }
                Column c = table.column(name);
                List<Column> replacement = new ArrayList<>(2);
                replacement.add(fill(c, e.getValue()));
                if (addIndicator) {
                    boolean[] flags = new boolean[c.size()];
                    for (int i = 0; i < flags.length; i++) {
                        flags[i] = c.isMissing(i);
                    }
                    replacement.add(BooleanColumn.of(name + "_was_missing", flags));
                }
                out = out.replace(name, replacement);
            }
            return out;
        }

        private static Column column(Table table, String name) {
            if (!table.has(name)) {
                throw MedmaasException.invalid("Step 'impute' was fitted with column '" + name
                        + "', which this table lacks. Give it the same columns as the training data.");
            }
            return table.column(name);
        }

        private static Column fill(Column c, String value) {
            if (c.missingCount() == 0) {
                return c;
            }
            return switch (c) {
                case NumericColumn n -> {
                    double v = Double.parseDouble(value);
                    double[] values = new double[n.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = n.isMissing(i) ? v : n.get(i);
                    }
                    yield NumericColumn.of(n.name(), values);
                }
                case CategoricalColumn cat -> {
                    List<String> levels = new ArrayList<>(cat.levels());
                    int code = levels.indexOf(value);
                    if (code < 0) {
                        code = levels.size();
                        levels.add(value);
                    }
                    int[] codes = new int[cat.size()];
                    for (int i = 0; i < codes.length; i++) {
                        codes[i] = cat.isMissing(i) ? code : cat.code(i);
                    }
                    yield CategoricalColumn.of(cat.name(), codes, levels);
                }
                case BooleanColumn b -> {
                    boolean v = Boolean.parseBoolean(value);
                    boolean[] values = new boolean[b.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = b.isMissing(i) ? v : b.get(i);
                    }
                    yield BooleanColumn.of(b.name(), values, new BitSet());
                }
                default -> throw MedmaasException.invalid("Column '" + c.name() + "' is " + c.type().label()
                        + " and cannot be imputed.");
            };
        }
    }
}
