package org.medmaas.ml.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medmaas.core.model.LabeledMatrix;

class LogisticRegressionTest {

    /** The same 60 rows as the scikit-learn script in the comment of {@link #matchesScikitLearnLiblinear}. */
    static LabeledMatrix data() {
        int n = 60;
        double[][] x = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {(i % 7) - 3.0, ((i * 3) % 11) / 2.0 - 2.5, ((i * 5) % 13) / 4.0};
            y[i] = 0.8 * x[i][0] - 0.6 * x[i][1] + 0.3 * x[i][2] + ((i * 7) % 5 - 2) * 0.4 > 0 ? 1 : 0;
        }
        return LabeledMatrix.unweighted(x, y, List.of("a", "b", "c"), List.of("neg", "pos"));
    }

    /**
     * scikit-learn 1.2.1: {@code LogisticRegression(solver="liblinear", C=1.0, tol=1e-8).fit(X, y)};
     * predict_proba(X[:3])[:, 1] = [0.2212000825804031, 0.23976802684046797, 0.25937550539821536].
     * LIBLINEAR penalizes the intercept there, so this test does too.
     */
    @Test
    void matchesScikitLearnLiblinear() {
        LogisticRegressionParameters p = new LogisticRegressionParameters(LogisticRegressionParameters.Penalty.L2, 1.0,
                false, true, 1e-8, 10_000, 42);
        LogisticRegressionModel model = new LogisticRegressionTrainer(p).fit(data());
        double[][] probabilities = model.predictProbabilities(java.util.Arrays.copyOf(data().x(), 3));
        assertThat(probabilities[0][1]).isCloseTo(0.2212000825804031, within(1e-5));
        assertThat(probabilities[1][1]).isCloseTo(0.23976802684046797, within(1e-5));
        assertThat(probabilities[2][1]).isCloseTo(0.25937550539821536, within(1e-5));
    }

    @Test
    void contributionsAddUpToTheLogOdds() {
        LogisticRegressionModel model = new LogisticRegressionTrainer(LogisticRegressionParameters.defaults()).fit(data());
        for (double[] row : data().x()) {
            double p = model.predictProbabilities(new double[][] {row})[0][1];
            double logOdds = Math.log(p / (1 - p));
            assertThat(model.contributions(row).logOdds()).isCloseTo(logOdds, within(1e-9));
        }
    }

    @Test
    void savedModelPredictsIdentically() {
        LogisticRegressionModel model = new LogisticRegressionTrainer(LogisticRegressionParameters.defaults()).fit(data());
        LogisticRegressionModel loaded = LogisticRegressionModel.fromLiblinearText(model.toLiblinearText(),
                model.featureNames(), model.classes());
        assertThat(loaded.predictProbabilities(data().x())).isDeepEqualTo(model.predictProbabilities(data().x()));
    }

    @Test
    void sameSeedSameModel() {
        String a = new LogisticRegressionTrainer(LogisticRegressionParameters.defaults().withPenalty(
                LogisticRegressionParameters.Penalty.L1)).fit(data()).toLiblinearText();
        String b = new LogisticRegressionTrainer(LogisticRegressionParameters.defaults().withPenalty(
                LogisticRegressionParameters.Penalty.L1)).fit(data()).toLiblinearText();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void denseScoringEqualsLiblinearForBinaryAndMultiClass() {
        LabeledMatrix binary = data();
        LogisticRegressionModel m2 = new LogisticRegressionTrainer(LogisticRegressionParameters.defaults()).fit(binary);
        double[][] d2 = m2.predictProbabilities(binary.x());
        double[][] r2 = m2.predictProbabilitiesLiblinear(binary.x());
        for (int i = 0; i < d2.length; i++) {
            assertThat(d2[i][1]).isCloseTo(r2[i][1], within(1e-12));
        }

        int[] y3 = binary.y().clone();
        for (int i = 0; i < y3.length; i++) {
            y3[i] = binary.x()[i][2] > 2 ? 2 : y3[i];
        }
        LabeledMatrix three = LabeledMatrix.unweighted(binary.x(), y3, binary.featureNames(), List.of("a", "b", "c"));
        LogisticRegressionModel m3 = new LogisticRegressionTrainer(LogisticRegressionParameters.defaults()).fit(three);
        double[][] dense = m3.predictProbabilities(three.x());
        double[][] reference = m3.predictProbabilitiesLiblinear(three.x());
        for (int i = 0; i < dense.length; i++) {
            for (int c = 0; c < 3; c++) {
                assertThat(dense[i][c]).isCloseTo(reference[i][c], within(1e-12));
            }
        }
    }

    @Test
    void refusesBadParameters() {
        assertThatThrownBy(() -> LogisticRegressionParameters.defaults().withC(0)).hasMessageContaining("'C'");
    }
}
