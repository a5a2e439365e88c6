package org.medmaas.ml.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Known answers from scikit-learn 1.2.1 (Debian python3-sklearn), computed with
 * {@code from sklearn import metrics as m} and the call written beside each value.
 */
class ClassificationMetricsTest {

    static final int[] Y = {0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1};
    static final double[] P = {0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.55, 0.7, 0.6, 0.3, 0.45, 0.05, 0.65, 0.85, 0.5, 0.15,
            0.25, 0.95, 0.4, 0.75};

    static int[] threshold(double t) {
        int[] out = new int[P.length];
        for (int i = 0; i < P.length; i++) {
            out[i] = P[i] >= t ? 1 : 0;
        }
        return out;
    }

    static double[][] twoColumns(double[] p) {
        double[][] out = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            out[i] = new double[] {1 - p[i], p[i]};
        }
        return out;
    }

    @Test
    void binaryMetricsMatchScikitLearn() {
        int[] pred = threshold(0.4);
        long[][] cm = ClassificationMetrics.confusionMatrix(Y, pred, 2);
        assertThat(cm).isEqualTo(new long[][] {{6, 4}, {1, 9}});                       // m.confusion_matrix(y, p >= 0.4)
        assertThat(ClassificationMetrics.precision(cm, 1)).isCloseTo(0.6923076923076923, within(1e-12)); // m.precision_score
        assertThat(ClassificationMetrics.recall(cm, 1)).isCloseTo(0.9, within(1e-12));  // m.recall_score
        assertThat(ClassificationMetrics.f1(cm, 1)).isCloseTo(0.7826086956521738, within(1e-12)); // m.f1_score
        assertThat(ClassificationMetrics.balancedAccuracy(cm)).isCloseTo(0.75, within(1e-12)); // m.balanced_accuracy_score
        assertThat(ClassificationMetrics.specificity(cm, 1)).isCloseTo(0.6, within(1e-12)); // 6 / (6 + 4)
        assertThat(ClassificationMetrics.accuracy(Y, threshold(0.5))).isCloseTo(0.8, within(1e-12)); // m.accuracy_score(y, p >= 0.5)
    }

    @Test
    void rankingAndProbabilityMetricsMatchScikitLearn() {
        assertThat(ClassificationMetrics.rocAuc(Y, P)).isCloseTo(0.9099999999999999, within(1e-12));        // m.roc_auc_score(y, p)
        assertThat(ClassificationMetrics.averagePrecision(Y, P)).isCloseTo(0.9207467532467531, within(1e-12)); // m.average_precision_score
        assertThat(ClassificationMetrics.logLoss(Y, twoColumns(P))).isCloseTo(0.41478151538932834, within(1e-12)); // m.log_loss(y, p)
        assertThat(ClassificationMetrics.brier(Y, P)).isCloseTo(0.13175, within(1e-12));                    // m.brier_score_loss(y, p)
    }

    @Test
    void tiedScoresCountHalf() {
        int[] y = {0, 1, 0, 1, 1, 0};
        double[] p = {0.5, 0.5, 0.2, 0.8, 0.5, 0.2};
        assertThat(ClassificationMetrics.rocAuc(y, p)).isCloseTo(0.888888888888889, within(1e-12));        // m.roc_auc_score
        assertThat(ClassificationMetrics.averagePrecision(y, p)).isCloseTo(0.8333333333333333, within(1e-12)); // m.average_precision_score
    }

    @Test
    void calibrationCurveMatchesScikitLearn() {
        // sklearn.calibration.calibration_curve(y, p, n_bins=5)
        List<ClassificationMetrics.CalibrationBin> bins = ClassificationMetrics.calibrationCurve(Y, P, 5);
        assertThat(bins).extracting(ClassificationMetrics.CalibrationBin::observedRate)
                .containsExactly(0.0, 0.2, 0.75, 0.75, 1.0);
        assertThat(bins).extracting(ClassificationMetrics.CalibrationBin::meanPredicted)
                .satisfiesExactly(v -> assertThat(v).isCloseTo(0.125, within(1e-12)),
                        v -> assertThat(v).isCloseTo(0.34, within(1e-12)),
                        v -> assertThat(v).isCloseTo(0.5249999999999999, within(1e-12)),
                        v -> assertThat(v).isCloseTo(0.725, within(1e-12)),
                        v -> assertThat(v).isCloseTo(0.9, within(1e-12)));
        // ECE from those bins: (4·0.125 + 5·0.14 + 4·0.225 + 4·0.025 + 3·0.1) / 20
        assertThat(ClassificationMetrics.expectedCalibrationError(Y, P, 5)).isCloseTo(0.125, within(1e-12));
    }

    @Test
    void multiClassMetricsMatchScikitLearn() {
        int[] y = {0, 1, 2, 2, 1, 0, 0, 2, 1, 1, 2, 0};
        double[][] p = {{.7, .2, .1}, {.2, .5, .3}, {.1, .3, .6}, {.3, .3, .4}, {.1, .8, .1}, {.5, .4, .1}, {.6, .1, .3},
                {.2, .2, .6}, {.3, .4, .3}, {.4, .35, .25}, {.25, .5, .25}, {.8, .1, .1}};
        Map<String, Double> r = ClassificationMetrics.report(y, p, 0.5);
        assertThat(r.get("accuracy")).isCloseTo(0.8333333333333334, within(1e-12));        // m.accuracy_score(y, p.argmax(1))
        assertThat(r.get("f1_macro")).isCloseTo(0.832010582010582, within(1e-12));         // m.f1_score(..., average="macro")
        assertThat(r.get("f1_weighted")).isCloseTo(0.832010582010582, within(1e-12));      // average="weighted"
        assertThat(r.get("precision_macro")).isCloseTo(0.85, within(1e-12));               // m.precision_score(..., "macro")
        assertThat(r.get("recall_macro")).isCloseTo(0.8333333333333334, within(1e-12));    // m.recall_score(..., "macro")
        assertThat(r.get("roc_auc")).isCloseTo(0.921875, within(1e-12));                   // m.roc_auc_score(y, p, multi_class="ovr")
        assertThat(r.get("log_loss")).isCloseTo(0.6658692690293245, within(1e-12));        // m.log_loss(y, p)
        assertThat(r.get("balanced_accuracy")).isCloseTo(0.8333333333333334, within(1e-12));
    }
}
