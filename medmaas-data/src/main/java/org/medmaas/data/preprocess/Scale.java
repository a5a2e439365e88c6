package org.medmaas.data.preprocess;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.stats.Descriptive;

/**
 * Scales numeric columns with parameters learned from training data, as scikit-learn's
 * {@code StandardScaler} (mean, population sd), {@code MinMaxScaler} (to [0, 1]) and
 * {@code RobustScaler} (median, interquartile range). A constant column is centred and left
 * unscaled. Missing cells stay missing.
 */
public record Scale(List<String> columns, Method method) implements StepSpec {

    public enum Method { STANDARD, MIN_MAX, ROBUST }

    public Scale {
        columns = List.copyOf(columns);
        Objects.requireNonNull(method, "method");
    }

    public static Scale of(Method method, String... columns) {
        return new Scale(List.of(columns), method);
    }

    /** x ↦ (x − center) / scale. */
    public record Parameters(double center, double scale) {
    }

    /**
     * Whether a variance is rounding noise of a constant column, by scikit-learn's bound
     * ({@code _is_constant_feature}): dividing by such an sd would blow noise up to ±1.
     */
    static boolean isConstant(double variance, double mean, int n) {
        double eps = Math.ulp(1.0);
        double bound = n * eps * variance + Math.pow(n * mean * eps, 2);
        return variance <= bound;
    }

    @Override
    public Fitted fit(Table train) {
        Map<String, Parameters> parameters = new LinkedHashMap<>();
        for (String name : Columns.select(train, columns, Set.of(ColumnType.NUMERIC), "scale")) {
            double[] v = train.numeric(name).presentValues();
            if (v.length == 0) {
                parameters.put(name, new Parameters(0, 1));
                continue;
            }
            Parameters p = switch (method) {
                case STANDARD -> {
                    double mean = Descriptive.mean(v);
                    double variance = Descriptive.variance(v, 0);
                    yield new Parameters(mean, isConstant(variance, mean, v.length) ? 0 : Math.sqrt(variance));
                }
                case MIN_MAX -> {
                    double min = Descriptive.min(v);
                    yield new Parameters(min, Descriptive.max(v) - min);
                }
                case ROBUST -> {
                    double[] sorted = v.clone();
                    java.util.Arrays.sort(sorted);
                    yield new Parameters(Descriptive.quantileSorted(sorted, 0.5),
                            Descriptive.quantileSorted(sorted, 0.75) - Descriptive.quantileSorted(sorted, 0.25));
                }
            };
            parameters.put(name, p.scale() == 0 || !Double.isFinite(p.scale()) ? new Parameters(p.center(), 1) : p);
        }
        return new Fitted(method, parameters);
    }

    public record Fitted(Method method, Map<String, Parameters> parameters) implements FittedStep {
        public Fitted {
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }

        @Override
        public Table apply(Table table) {
            List<NumericColumn> scaled = Columns.inParallelIfLarge(table, parameters.entrySet().stream()).map(e -> {
                NumericColumn c = Columns.requireNumeric(table, e.getKey(), "scale");
                double[] values = c.toArrayNanForMissing();
                double center = e.getValue().center();
                double scale = e.getValue().scale();
                for (int i = 0; i < values.length; i++) {
                    values[i] = (values[i] - center) / scale;
                }
                return NumericColumn.ofNanAsMissing(e.getKey(), values);
            }).toList();
            return table.withAll(scaled);
        }
    }
}
