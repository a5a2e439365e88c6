package org.medmaas.ml.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Known answers from scikit-learn 1.2.1, with the call beside each value. */
class CalibrationTest {

    static final double[] F = {-2.0, -1.5, -1.2, -0.8, -0.5, -0.3, 0.0, 0.2, 0.4, 0.7, 1.0, 1.3, 1.6, 2.0, 2.4, -1.0, 0.1,
            0.9, 1.8, -0.1};
    static final int[] Y = {0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1};

    @Test
    void plattMatchesScikitLearnSigmoidCalibration() {
        // sklearn.calibration._sigmoid_calibration(F, Y) -> (a, b)
        PlattScaling platt = PlattScaling.fitDecisionValues(F, Y);
        assertThat(platt.a()).isCloseTo(-1.1457023858643403, within(1e-4));
        assertThat(platt.b()).isCloseTo(0.012725620307613565, within(1e-4));
    }

    @Test
    void isotonicMatchesScikitLearn() {
        double[] p = {0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.22, 0.52, 0.68, 0.82,
                0.48};
        // IsotonicRegression(out_of_bounds="clip").fit(p, Y).predict([0.05, 0.2, 0.33, 0.5, 0.62, 0.77, 0.95])
        IsotonicCalibration iso = IsotonicCalibration.fit(p, Y);
        double[] expected = {0.0, 0.0, 0.3333333333333333, 0.5, 0.75, 1.0, 1.0};
        double[] at = {0.05, 0.2, 0.33, 0.5, 0.62, 0.77, 0.95};
        for (int i = 0; i < at.length; i++) {
            assertThat(iso.calibrate(at[i])).as("at %s", at[i]).isCloseTo(expected[i], within(1e-12));
        }
    }

    @Test
    void thresholdsFollowTheirCriteria() {
        double[] p = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
        int[] y = {0, 0, 0, 1, 0, 1, 1, 1, 1, 1};
        assertThat(ThresholdSelection.youden(p, y)).isEqualTo(0.6);          // J = 5/6 + 4/4 − 1 beats 0.4 (6/6 + 3/4 − 1)
        assertThat(ThresholdSelection.forSensitivity(p, y, 0.8)).isEqualTo(0.6);
        assertThat(ThresholdSelection.forCostRatio(p, y, 10)).isEqualTo(0.4); // a miss costs 10 false alarms
        assertThat(ThresholdSelection.forCostRatio(p, y, 0.1)).isEqualTo(0.6);
    }
}
