package org.medmaas.ml;

import java.util.List;
import java.util.Random;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.metrics.ClassificationMetrics;

/** Seeded data sets for learner tests. */
public final class TestData {

    private TestData() {
    }

    /** A nonlinear signal (an interaction and a threshold) that a linear model cannot fit well. */
    public static LabeledMatrix nonlinear(int n, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[n][4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = random.nextGaussian();
            }
            double logit = 2 * x[i][0] * x[i][1] + (x[i][2] > 0.5 ? 1.5 : -0.5) + 0.1 * x[i][3];
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        }
        return LabeledMatrix.unweighted(x, y, List.of("a", "b", "c", "d"), List.of("no", "yes"));
    }

    /** ROC-AUC of a binary model's positive-class probabilities on labeled data. */
    public static double auc(ProbabilisticClassifier model, LabeledMatrix test) {
        double[][] p = model.predictProbabilities(test.x());
        double[] p1 = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            p1[i] = p[i][1];
        }
        return ClassificationMetrics.rocAuc(test.y(), p1);
    }
}
