package org.medmaas.ml.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

    @Test
    void matchScikitLearn() {
        // scikit-learn 1.5 documentation examples: y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8]
        // mean_squared_error → 0.375, mean_absolute_error → 0.5, r2_score → 0.9486081370449679,
        // root_mean_squared_error → 0.6123724356957945
        Map<String, Double> m = RegressionMetrics.report(new double[] {3, -0.5, 2, 7}, new double[] {2.5, 0.0, 2, 8});
        assertThat(m.get("mse")).isCloseTo(0.375, within(1e-15));
        assertThat(m.get("mae")).isCloseTo(0.5, within(1e-15));
        assertThat(m.get("r2")).isCloseTo(0.9486081370449679, within(1e-15));
        assertThat(m.get("rmse")).isCloseTo(0.6123724356957945, within(1e-15));
    }

    @Test
    void r2IsZeroForTheMeanAndFollowsScikitLearnForAConstantTruth() {
        assertThat(RegressionMetrics.report(new double[] {1, 2, 3}, new double[] {2, 2, 2}).get("r2")).isZero();
        // r2_score([1, 1], [1, 1]) → 1.0; r2_score([1, 1], [1, 2]) → 0.0 (force_finite=True)
        assertThat(RegressionMetrics.report(new double[] {1, 1}, new double[] {1, 1}).get("r2")).isEqualTo(1.0);
        assertThat(RegressionMetrics.report(new double[] {1, 1}, new double[] {1, 2}).get("r2")).isZero();
    }
}
