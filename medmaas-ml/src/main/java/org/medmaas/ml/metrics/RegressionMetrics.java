package org.medmaas.ml.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.medmaas.core.error.MedmaasException;

/**
 * Regression metrics, defined as scikit-learn's {@code sklearn.metrics}: root mean squared error,
 * mean squared error, mean absolute error and the coefficient of determination R² (1 − SS_res/SS_tot;
 * 0 for a constant prediction of the mean, negative for worse; with a constant truth, 1 if the
 * prediction is exact and 0 otherwise, as scikit-learn's default {@code force_finite}).
 */
public final class RegressionMetrics {

    /** The names {@link #report} returns, and whether a lower value is better. */
    public static final Map<String, Boolean> LOWER_IS_BETTER = Map.of("rmse", true, "mse", true, "mae", true, "r2", false);

    private RegressionMetrics() {
    }

    /** rmse, mse, mae and r2 of predictions against the truth. */
    public static Map<String, Double> report(double[] truth, double[] predicted) {
        if (truth.length != predicted.length || truth.length == 0) {
            throw MedmaasException.invalid("Regression metrics need as many predictions as true values, and at least one.");
        }
        int n = truth.length;
        double mean = 0;
        for (double y : truth) {
            mean += y;
        }
        mean /= n;
        double squared = 0;
        double absolute = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double e = truth[i] - predicted[i];
            squared += e * e;
            absolute += Math.abs(e);
            total += (truth[i] - mean) * (truth[i] - mean);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("rmse", Math.sqrt(squared / n));
        out.put("mse", squared / n);
        out.put("mae", absolute / n);
        out.put("r2", total == 0 ? (squared == 0 ? 1.0 : 0.0) : 1 - squared / total);
        return out;
    }
}
