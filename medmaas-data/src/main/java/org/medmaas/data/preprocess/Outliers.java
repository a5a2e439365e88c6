package org.medmaas.data.preprocess;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.BooleanColumn;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.stats.Descriptive;

/**
 * Outlier detection on numeric columns with fences learned from training data:
 * Z-score (mean ± threshold·sd, population sd) or IQR (Tukey's fences, Q1 − threshold·IQR and
 * Q3 + threshold·IQR). The action flags ({@code <column>_outlier} boolean columns), clips
 * (winsorizes to the fences) or drops rows outside the fences.
 *
 * @param threshold 3.0 is customary for Z-scores, 1.5 for Tukey's fences
 */
public record Outliers(List<String> columns, Method method, double threshold, Action action) implements StepSpec {

    public enum Method { ZSCORE, IQR }

    public enum Action { FLAG, CLIP, DROP }

    public Outliers {
        columns = List.copyOf(columns);
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(action, "action");
        if (!(threshold > 0)) {
            throw MedmaasException.invalid("Outlier 'threshold' must be positive.");
        }
    }

    public static Outliers zScore(double threshold, Action action, String... columns) {
        return new Outliers(List.of(columns), Method.ZSCORE, threshold, action);
    }

    public static Outliers iqr(double threshold, Action action, String... columns) {
        return new Outliers(List.of(columns), Method.IQR, threshold, action);
    }

    /** The fences for one column: values strictly outside [low, high] are outliers. */
    public record Fences(double low, double high) {
        public boolean outside(double v) {
            return v < low || v > high;
        }
    }

    /** Fences for a column's present values; an empty or constant column gets infinite fences. */
    public static Fences fences(double[] present, Method method, double threshold) {
        if (present.length == 0) {
            return new Fences(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        if (method == Method.ZSCORE) {
            double mean = Descriptive.mean(present);
            double sd = Descriptive.standardDeviation(present, 0);
            if (sd == 0) {
                return new Fences(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
            }
            return new Fences(mean - threshold * sd, mean + threshold * sd);
        }
        double[] sorted = present.clone();
        java.util.Arrays.sort(sorted);
        return tukeyFences(sorted, threshold);
    }

    /** Tukey's fences from already sorted values (callers that sorted anyway skip a second sort). */
    public static Fences tukeyFences(double[] sorted, double threshold) {
        if (sorted.length == 0) {
            return new Fences(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        double q1 = Descriptive.quantileSorted(sorted, 0.25);
        double q3 = Descriptive.quantileSorted(sorted, 0.75);
        double iqr = q3 - q1;
        return new Fences(q1 - threshold * iqr, q3 + threshold * iqr);
    }

    @Override
    public Fitted fit(Table train) {
        Map<String, Fences> fences = new LinkedHashMap<>();
        for (String name : Columns.select(train, columns, Set.of(ColumnType.NUMERIC), "outliers")) {
            fences.put(name, fences(train.numeric(name).presentValues(), method, threshold));
        }
        return new Fitted(method, threshold, action, fences);
    }

    /** What one column's fences found in a table. */
    public record ColumnReport(String column, Fences fences, int below, int above) {
        public int total() {
            return below + above;
        }
    }

    public record Fitted(Method method, double threshold, Action action, Map<String, Fences> fences)
            implements FittedStep {
        public Fitted {
            fences = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fences));
        }

        /** Counts the cells below and above the fences, per column. */
        public List<ColumnReport> report(Table table) {
            List<ColumnReport> out = new ArrayList<>();
            fences.forEach((name, f) -> {
                NumericColumn c = Columns.requireNumeric(table, name, "outliers");
                int below = 0;
                int above = 0;
                for (int i = 0; i < c.size(); i++) {
                    if (!c.isMissing(i)) {
                        double v = c.get(i);
                        below += v < f.low() ? 1 : 0;
                        above += v > f.high() ? 1 : 0;
                    }
                }
                out.add(new ColumnReport(name, f, below, above));
            });
            return out;
        }

        @Override
        public Table apply(Table table) {
            Table out = table;
            BitSet dropRows = new BitSet();
            for (Map.Entry<String, Fences> e : fences.entrySet()) {
                NumericColumn c = Columns.requireNumeric(table, e.getKey(), "outliers");
                Fences f = e.getValue();
                switch (action) {
                    case FLAG -> {
                        boolean[] flags = new boolean[c.size()];
                        for (int i = 0; i < flags.length; i++) {
                            flags[i] = !c.isMissing(i) && f.outside(c.get(i));
                        }
                        out = out.replace(e.getKey(), List.of(c, BooleanColumn.of(e.getKey() + "_outlier", flags)));
                    }
                    case CLIP -> {
                        double[] values = c.toArrayNanForMissing();
                        for (int i = 0; i < values.length; i++) {
                            if (!Double.isNaN(values[i])) {
                                values[i] = Math.min(f.high(), Math.max(f.low(), values[i]));
                            }
                        }
                        out = out.with(NumericColumn.ofNanAsMissing(e.getKey(), values));
                    }
                    case DROP -> {
                        for (int i = 0; i < c.size(); i++) {
                            if (!c.isMissing(i) && f.outside(c.get(i))) {
                                dropRows.set(i);
                            }
                        }
                    }
                }
            }
            if (action == Action.DROP && !dropRows.isEmpty()) {
                BitSet keep = new BitSet(table.rowCount());
                keep.set(0, table.rowCount());
                keep.andNot(dropRows);
                out = out.keep(keep);
            }
            return out;
        }

        @Override
        public boolean rowLocal() {
            return action != Action.DROP;
        }
    }
}
