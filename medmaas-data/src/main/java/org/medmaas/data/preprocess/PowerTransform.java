package org.medmaas.data.preprocess;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

/**
 * Variance-stabilizing transforms for skewed measurements (insulin, triglycerides, lengths of
 * stay). LOG is {@code ln(x + offset)}; BOX_COX is Box and Cox (1964) with the λ that maximizes
 * the log-likelihood on the training data, as {@code scipy.stats.boxcox} estimates it. Both need
 * {@code x + offset > 0}.
 *
 * @param offset added before transforming (e.g. 1 for counts that can be zero)
 */
public record PowerTransform(List<String> columns, Method method, double offset) implements StepSpec {

    public enum Method { LOG, BOX_COX }

    private static final double LAMBDA_LOW = -5;
    private static final double LAMBDA_HIGH = 5;

    public PowerTransform {
        columns = List.copyOf(columns);
        Objects.requireNonNull(method, "method");
        if (!Double.isFinite(offset)) {
            throw MedmaasException.invalid("'offset' must be a finite number.");
        }
    }

    @Override
    public Fitted fit(Table train) {
        Map<String, Double> lambdas = new LinkedHashMap<>();
        for (String name : Columns.select(train, columns, Set.of(ColumnType.NUMERIC), "power")) {
            double[] v = train.numeric(name).presentValues();
            for (int i = 0; i < v.length; i++) {
                v[i] += offset;
                if (!(v[i] > 0)) {
                    throw MedmaasException.invalid("Column '" + name + "' has values that are not positive after"
                            + " adding offset " + offset + "; " + method + " needs positive values. Raise 'offset'.");
                }
            }
            lambdas.put(name, method == Method.LOG ? 0.0 : (v.length < 2 ? 1.0 : boxCoxLambda(v)));
        }
        return new Fitted(method, offset, lambdas);
    }

    /** Maximum-likelihood λ by golden-section search; the profile log-likelihood is unimodal in λ. */
    static double boxCoxLambda(double[] x) {
        double sumLog = 0;
        for (double v : x) {
            sumLog += Math.log(v);
        }
        final double logSum = sumLog;
        java.util.function.DoubleUnaryOperator negLogLik = lambda -> -boxCoxLogLikelihood(x, lambda, logSum);
        double a = LAMBDA_LOW;
        double b = LAMBDA_HIGH;
        double phi = (Math.sqrt(5) - 1) / 2;
        double c = b - phi * (b - a);
        double d = a + phi * (b - a);
        double fc = negLogLik.applyAsDouble(c);
        double fd = negLogLik.applyAsDouble(d);
        while (b - a > 1e-10) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - phi * (b - a);
                fc = negLogLik.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + phi * (b - a);
                fd = negLogLik.applyAsDouble(d);
            }
        }
        return (a + b) / 2;
    }

    static double boxCoxLogLikelihood(double[] x, double lambda, double sumLog) {
        int n = x.length;
        double mean = 0;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = boxCox(x[i], lambda);
            mean += y[i];
        }
        mean /= n;
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean);
        }
        var /= n;
        return (lambda - 1) * sumLog - n / 2.0 * Math.log(var);
    }

    static double boxCox(double x, double lambda) {
        return Math.abs(lambda) < 1e-12 ? Math.log(x) : (Math.pow(x, lambda) - 1) / lambda;
    }

    /** @param lambdas λ per column (0 for LOG) */
    public record Fitted(Method method, double offset, Map<String, Double> lambdas) implements FittedStep {
        public Fitted {
            lambdas = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lambdas));
        }

        @Override
        public Table apply(Table table) {
            Table out = table;
            for (Map.Entry<String, Double> e : lambdas.entrySet()) {
                NumericColumn c = Columns.requireNumeric(table, e.getKey(), "power");
                double[] values = c.toArrayNanForMissing();
                for (int i = 0; i < values.length; i++) {
                    if (Double.isNaN(values[i])) {
                        continue;
                    }
                    double x = values[i] + offset;
                    if (!(x > 0)) {
                        throw MedmaasException.invalid("Column '" + e.getKey() + "' row " + (i + 1)
                                + " is not positive after adding offset " + offset + "; " + method
                                + " cannot transform it.");
                    }
                    values[i] = boxCox(x, e.getValue());
                }
                out = out.with(NumericColumn.ofNanAsMissing(e.getKey(), values));
            }
            return out;
        }
    }
}
