package org.medmaas.data.preprocess;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.DateTimeColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

/**
 * Linear interpolation of numeric columns along an order column (a time or a sequence number),
 * within groups (e.g. per patient). A missing value between two present ones gets the value on
 * the straight line between them, weighted by the order column's distances (as pandas'
 * {@code interpolate(method="index")}); leading and trailing gaps take the nearest present value.
 * Rows with a missing order value are left as they are. Learns nothing, so its fitted form is
 * the same settings.
 *
 * @param orderColumn a numeric or date/time column
 * @param groupColumn the column whose value groups rows (patient id), if any
 * @param columns     the numeric columns to interpolate; empty means all numeric except the order column
 */
public record Interpolate(String orderColumn, Optional<String> groupColumn, List<String> columns) implements StepSpec {

    public Interpolate {
        columns = List.copyOf(columns);
    }

    @Override
    public Fitted fit(Table train) {
        Column order = train.column(orderColumn);
        if (order.type() != ColumnType.NUMERIC && order.type() != ColumnType.DATETIME) {
            throw MedmaasException.invalid("Interpolation order column '" + orderColumn
                    + "' must be numeric or date/time, not " + order.type().label() + ".");
        }
        groupColumn.ifPresent(train::column);
        List<String> names = Columns.select(train, columns, Set.of(ColumnType.NUMERIC), "interpolate").stream()
                .filter(n -> !n.equals(orderColumn)).toList();
        return new Fitted(orderColumn, groupColumn, names);
    }

    public record Fitted(String orderColumn, Optional<String> groupColumn, List<String> columns) implements FittedStep {
        public Fitted {
            columns = List.copyOf(columns);
        }

        @Override
        public Table apply(Table table) {
            int n = table.rowCount();
            Column orderCol = table.column(orderColumn);
            double[] position = new double[n];
            BitSet noPosition = new BitSet(n);
            for (int i = 0; i < n; i++) {
                if (orderCol.isMissing(i)) {
                    noPosition.set(i);
                } else if (orderCol instanceof DateTimeColumn d) {
                    position[i] = d.epochMillis(i);
                } else {
                    position[i] = ((NumericColumn) orderCol).get(i);
                }
            }
            Map<String, List<Integer>> groups = new HashMap<>();
            List<List<Integer>> ordered = new ArrayList<>();
            Column group = groupColumn.map(table::column).orElse(null);
            for (int i = 0; i < n; i++) {
                if (noPosition.get(i)) {
                    continue;
                }
                String key = group == null ? "" : (group.isMissing(i) ? "\u0000missing" : group.format(i));
                groups.computeIfAbsent(key, x -> {
                    List<Integer> list = new ArrayList<>();
                    ordered.add(list);
                    return list;
                }).add(i);
            }
            for (List<Integer> rows : ordered) {
                rows.sort((a, b) -> Double.compare(position[a], position[b]));
            }
            Table out = table;
            for (String name : columns) {
                NumericColumn c = Columns.requireNumeric(table, name, "interpolate");
                double[] values = c.toArrayNanForMissing();
                for (List<Integer> rows : ordered) {
                    fillGroup(rows, position, values);
                }
                out = out.with(NumericColumn.ofNanAsMissing(name, values));
            }
            return out;
        }

        private static void fillGroup(List<Integer> rows, double[] position, double[] values) {
            int previous = -1;
            for (int idx = 0; idx < rows.size(); idx++) {
                int r = rows.get(idx);
                if (Double.isNaN(values[r])) {
                    continue;
                }
                if (previous < 0) {
                    for (int g = 0; g < idx; g++) {
                        values[rows.get(g)] = values[r];
                    }
                } else {
                    int p = rows.get(previous);
                    for (int g = previous + 1; g < idx; g++) {
                        int m = rows.get(g);
                        double span = position[r] - position[p];
                        double t = span == 0 ? 0.5 : (position[m] - position[p]) / span;
                        values[m] = values[p] + t * (values[r] - values[p]);
                    }
                }
                previous = idx;
            }
            if (previous >= 0) {
                double last = values[rows.get(previous)];
                for (int g = previous + 1; g < rows.size(); g++) {
                    values[rows.get(g)] = last;
                }
            }
        }

        @Override
        public boolean rowLocal() {
            return false;
        }
    }
}
