package org.medmaas.data.preprocess;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

/**
 * Ordinal encoding: each level becomes its position (0, 1, 2, …) in a given order (e.g.
 * {@code [never, former, current]}) or, without one, in sorted order of the levels seen at fit.
 *
 * @param order   explicit level order per column; columns not listed use sorted order
 * @param unknown ERROR refuses unseen levels; MISSING turns them into missing cells
 */
public record Ordinal(List<String> columns, Map<String, List<String>> order, UnknownPolicy unknown)
        implements StepSpec {

    public enum UnknownPolicy { ERROR, MISSING }

    public Ordinal {
        columns = List.copyOf(columns);
        order = Map.copyOf(order);
        Objects.requireNonNull(unknown, "unknown");
    }

    @Override
    public Fitted fit(Table train) {
        Map<String, List<String>> levels = new LinkedHashMap<>();
        for (String name : Columns.select(train, columns, Set.of(ColumnType.CATEGORICAL), "ordinal")) {
            CategoricalColumn c = train.categorical(name);
            if (order.containsKey(name)) {
                List<String> given = order.get(name);
                int[] counts = c.levelCounts();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0 && !given.contains(c.levels().get(i))) {
                        throw MedmaasException.invalid("Column '" + name + "' has a level that the given order"
                                + " does not list. Add every level to the order.");
                    }
                }
                levels.put(name, given);
            } else {
                List<String> seen = new ArrayList<>();
                int[] counts = c.levelCounts();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        seen.add(c.levels().get(i));
                    }
                }
                seen.sort(null);
                levels.put(name, seen);
            }
        }
        return new Fitted(levels, unknown);
    }

    public record Fitted(Map<String, List<String>> levels, UnknownPolicy unknown) implements FittedStep {
        public Fitted {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            levels.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            levels = java.util.Collections.unmodifiableMap(copy);
        }

        @Override
        public Table apply(Table table) {
            Table out = table;
            for (Map.Entry<String, List<String>> e : levels.entrySet()) {
                CategoricalColumn c = (CategoricalColumn) Columns.require(table, e.getKey(), ColumnType.CATEGORICAL,
                        "ordinal");
                double[] values = new double[c.size()];
                BitSet missing = new BitSet();
                for (int i = 0; i < values.length; i++) {
                    if (c.isMissing(i)) {
                        missing.set(i);
                        continue;
                    }
                    int position = e.getValue().indexOf(c.label(i));
                    if (position < 0) {
                        if (unknown == UnknownPolicy.ERROR) {
                            throw MedmaasException.invalid("Column '" + e.getKey() + "' row " + (i + 1)
                                    + " has a category that was not in the training data.");
                        }
                        missing.set(i);
                        continue;
                    }
                    values[i] = position;
                }
                out = out.with(NumericColumn.of(e.getKey(), values, missing));
            }
            return out;
        }
    }
}
