package org.medmaas.ml.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medmaas.core.model.RegressionMatrix;

class RidgeRegressionTest {

    @Test
    void withoutAPenaltyItRecoversAnExactLinearLaw() {
        double[][] x = {{1, 0}, {2, 1}, {3, 5}, {4, 2}, {5, 3}};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 1.5 + 2 * x[i][0] - 0.5 * x[i][1];
        }
        RidgeRegressionModel m = new RidgeRegressionTrainer(0).fit(RegressionMatrix.unweighted(x, y, List.of("a", "b")));
        assertThat(m.coefficients()[0]).isCloseTo(2, within(1e-10));
        assertThat(m.coefficients()[1]).isCloseTo(-0.5, within(1e-10));
        assertThat(m.intercept()).isCloseTo(1.5, within(1e-10));
        assertThat(m.predict(new double[][] {{10, 10}})[0]).isCloseTo(16.5, within(1e-9));
    }

    @Test
    void thePenaltyShrinksAsTheClosedFormSays() {
        // One feature: beta = Sxy / (Sxx + alpha) on centred data; x = 1..4, y = 2, 4, 5, 9:
        // x̄ = 2.5, ȳ = 5, Sxx = 5, Sxy = 2.5·... computed below; scikit-learn's Ridge(alpha=2) gives the same.
        double[][] x = {{1}, {2}, {3}, {4}};
        double[] y = {2, 4, 5, 9};
        double sxy = (1 - 2.5) * (2 - 5) + (2 - 2.5) * (4 - 5) + (3 - 2.5) * (5 - 5) + (4 - 2.5) * (9 - 5); // 11
        double beta = sxy / (5 + 2);
        RidgeRegressionModel m = new RidgeRegressionTrainer(2).fit(RegressionMatrix.unweighted(x, y, List.of("x")));
        assertThat(m.coefficients()[0]).isCloseTo(beta, within(1e-12));
        assertThat(m.intercept()).isCloseTo(5 - beta * 2.5, within(1e-12));
    }

    @Test
    void collinearFeaturesStillGiveAnAnswerWithoutAPenalty() {
        double[][] x = {{1, 2}, {2, 4}, {3, 6}, {4, 8}};
        double[] y = {1, 2, 3, 4};
        RidgeRegressionModel m = new RidgeRegressionTrainer(0).fit(RegressionMatrix.unweighted(x, y, List.of("a", "b")));
        double[] p = m.predict(x);
        for (int i = 0; i < p.length; i++) {
            assertThat(p[i]).isCloseTo(y[i], within(1e-8));
        }
        // Every b1 + 2·b2 = 1 fits; the minimum-norm one (numpy.linalg.lstsq's) is (1/5, 2/5).
        assertThat(m.coefficients()[0]).isCloseTo(0.2, within(1e-9));
        assertThat(m.coefficients()[1]).isCloseTo(0.4, within(1e-9));
        assertThat(m.intercept()).isCloseTo(0, within(1e-9));
    }
}
