package org.medmaas.data.preprocess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

/**
 * One-hot encoding of categorical columns into 0/1 numeric columns named
 * {@code <column>=<level>}, with the levels seen at fit time. A missing cell gives all zeros.
 *
 * @param unknown what to do with a level not seen at fit time: ERROR refuses the table, IGNORE
 *                encodes it as all zeros (scikit-learn's {@code handle_unknown="ignore"})
 * @param dropFirst drop the first level's column (for models that need full-rank inputs)
 */
public record OneHot(List<String> columns, UnknownPolicy unknown, boolean dropFirst) implements StepSpec {

    public enum UnknownPolicy { ERROR, IGNORE }

    public OneHot {
        columns = List.copyOf(columns);
        Objects.requireNonNull(unknown, "unknown");
    }

    public static OneHot of(UnknownPolicy unknown, String... columns) {
        return new OneHot(List.of(columns), unknown, false);
    }

    @Override
    public Fitted fit(Table train) {
        Map<String, List<String>> levels = new LinkedHashMap<>();
        for (String name : Columns.select(train, columns, Set.of(ColumnType.CATEGORICAL), "one-hot")) {
            CategoricalColumn c = train.categorical(name);
            int[] counts = c.levelCounts();
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    seen.add(c.levels().get(i));
                }
            }
            seen.sort(null);
            levels.put(name, seen);
        }
        return new Fitted(levels, unknown, dropFirst);
    }

    public record Fitted(Map<String, List<String>> levels, UnknownPolicy unknown, boolean dropFirst)
            implements FittedStep {
        public Fitted {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            levels.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            levels = java.util.Collections.unmodifiableMap(copy);
        }

        @Override
        public Table apply(Table table) {
            Table out = table;
            for (Map.Entry<String, List<String>> e : levels.entrySet()) {
                String name = e.getKey();
                CategoricalColumn c = (CategoricalColumn) Columns.require(table, name, ColumnType.CATEGORICAL, "one-hot");
                List<String> known = e.getValue();
                int[] slotOfCode = new int[c.levels().size()];
                for (int code = 0; code < slotOfCode.length; code++) {
                    slotOfCode[code] = known.indexOf(c.levels().get(code));
                }
                double[][] indicators = new double[known.size()][c.size()];
                for (int i = 0; i < c.size(); i++) {
                    int code = c.code(i);
                    if (code == CategoricalColumn.MISSING_CODE) {
                        continue;
                    }
                    int slot = slotOfCode[code];
                    if (slot < 0) {
                        if (unknown == UnknownPolicy.ERROR) {
                            throw MedmaasException.invalid("Column '" + name + "' row " + (i + 1)
                                    + " has a category that was not in the training data. Retrain, or fit the"
                                    + " one-hot step with unknown: IGNORE.");
                        }
                        continue;
                    }
                    indicators[slot][i] = 1.0;
                }
                List<Column> replacement = new ArrayList<>();
                for (int s = dropFirst ? 1 : 0; s < known.size(); s++) {
                    replacement.add(NumericColumn.of(name + "=" + known.get(s), indicators[s]));
                }
                out = out.replace(name, replacement);
            }
            return out;
        }
    }
}
