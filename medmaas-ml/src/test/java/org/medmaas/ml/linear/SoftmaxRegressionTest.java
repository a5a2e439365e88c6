package org.medmaas.ml.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.Learners;

class SoftmaxRegressionTest {

    /**
     * 120 rows, 3 classes, no randomness; the same in Python:
     * <pre>
     * i = np.arange(120); X = np.column_stack([np.sin(i), np.cos(1.3*i), ((i*7) % 11) / 5.0])
     * y = np.argmax(np.column_stack([2*X[:,0], 2*X[:,1], X[:,2] - 1]), axis=1); y[i % 5 == 0] = (y[i % 5 == 0] + 1) % 3
     * </pre>
     */
    static LabeledMatrix data() {
        int n = 120;
        double[][] x = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {Math.sin(i), Math.cos(1.3 * i), ((i * 7) % 11) / 5.0};
            double[] score = {2 * x[i][0], 2 * x[i][1], x[i][2] - 1};
            int best = score[0] >= score[1] && score[0] >= score[2] ? 0 : score[1] >= score[2] ? 1 : 2;
            y[i] = i % 5 == 0 ? (best + 1) % 3 : best;
        }
        return LabeledMatrix.unweighted(x, y, List.of("a", "b", "c"), List.of("k0", "k1", "k2"));
    }

    @Test
    void matchesScikitLearnMultinomial() {
        // LogisticRegression(multi_class="multinomial", C=1.0, tol=1e-12, max_iter=100000).fit(X, y).predict_proba(X[:3])
        double[][] expected = {
                {0.091978869546, 0.861833909178, 0.046187221276},
                {0.571919530959, 0.327358603111, 0.10072186593},
                {0.87610986343, 0.067767787596, 0.056122348973}};
        // ... and with C=0.1
        double[][] expectedC01 = {
                {0.180660926648, 0.70764352114, 0.111695552212},
                {0.484851942517, 0.354975192371, 0.160172865111},
                {0.715341075957, 0.149130706906, 0.135528217137}};
        LabeledMatrix data = data();
        double[][] first3 = {data.x()[0], data.x()[1], data.x()[2]};
        LogisticRegressionParameters tight = new LogisticRegressionParameters(LogisticRegressionParameters.Penalty.L2, 1.0,
                false, false, 1e-10, 1000, 1);
        double[][] p = new SoftmaxRegressionTrainer(tight).fit(data).predictProbabilities(first3);
        double[][] p01 = new SoftmaxRegressionTrainer(tight.withC(0.1)).fit(data).predictProbabilities(first3);
        // Within 1e-5: the conjugate-gradient line search works on objective values, so it stops
        // where double precision can no longer see the objective change (gradient about 1e-6).
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 3; c++) {
                assertThat(p[i][c]).isCloseTo(expected[i][c], within(1e-5));
                assertThat(p01[i][c]).isCloseTo(expectedC01[i][c], within(1e-5));
            }
        }
    }

    @Test
    void isTheDefaultForSeveralClassesAndRoundTripsThroughItsFile() {
        LabeledMatrix data = data();
        var trainer = Learners.trainer("lr", 1);
        assertThat(Learners.hyperparameters(trainer)).containsEntry("multiclass", "softmax");
        var model = (org.medmaas.ml.ExplainableClassifier) trainer.fit(data);
        ProbabilisticClassifier loaded = Learners.load("lr", model.nativeFiles(), data.featureNames(), data.classes());
        assertThat(loaded.predictProbabilities(data.x())).isDeepEqualTo(model.predictProbabilities(data.x()));
    }

    @Test
    void binaryTargetsUseLiblinearAndL1NeedsOneVersusRest() {
        LabeledMatrix three = data();
        int[] y2 = new int[three.rows()];
        for (int i = 0; i < y2.length; i++) {
            y2[i] = three.y()[i] == 0 ? 0 : 1;
        }
        LabeledMatrix two = LabeledMatrix.unweighted(three.x(), y2, three.featureNames(), List.of("no", "yes"));
        assertThat(new SoftmaxRegressionTrainer(LogisticRegressionParameters.defaults()).fit(two))
                .isInstanceOf(LogisticRegressionModel.class);
        assertThatThrownBy(() -> new SoftmaxRegressionTrainer(LogisticRegressionParameters.defaults()
                .withPenalty(LogisticRegressionParameters.Penalty.L1)))
                .isInstanceOf(MedmaasException.class).hasMessageContaining("multiclass: ovr");
    }
}
