package org.medmaas.ml.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.Explanation;

class KernelShapTest {

    /** p = sigmoid(b + w·x): with one background point its log-odds game is linear, so φ_j = w_j (x_j − b_j) exactly. */
    private record Logistic(double bias, double[] w) implements ProbabilisticClassifier {
        @Override
        public List<String> classes() {
            return List.of("no", "yes");
        }

        @Override
        public List<String> featureNames() {
            return IntStream.range(0, w.length).mapToObj(j -> "f" + j).toList();
        }

        @Override
        public double[][] predictProbabilities(double[][] x) {
            double[][] out = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                double z = bias;
                for (int j = 0; j < w.length; j++) {
                    z += w[j] * x[i][j];
                }
                double p = 1 / (1 + Math.exp(-z));
                out[i] = new double[] {1 - p, p};
            }
            return out;
        }
    }

    /** An interaction model: logit = x0·x1 + x2², whose Shapley values are known in closed form. */
    private record Interaction() implements ProbabilisticClassifier {
        @Override
        public List<String> classes() {
            return List.of("no", "yes");
        }

        @Override
        public List<String> featureNames() {
            return List.of("a", "b", "c");
        }

        @Override
        public double[][] predictProbabilities(double[][] x) {
            double[][] out = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                double p = 1 / (1 + Math.exp(-(x[i][0] * x[i][1] + x[i][2] * x[i][2])));
                out[i] = new double[] {1 - p, p};
            }
            return out;
        }
    }

    private static Background single(double[] point) {
        return new Background(new double[][] {point}, new double[] {1.0});
    }

    @Test
    void recoversExactLinearContributionsByEnumeration() {
        double[] w = {0.5, -1.2, 2.0, 0.0, 0.3};
        double[] b = {1, 1, 1, 1, 1};
        double[] x = {2, 0, -1, 5, 1};
        Explanation e = new KernelShap(single(b), 1024, 1).explain(new Logistic(0.1, w), x);
        for (int j = 0; j < w.length; j++) {
            assertThat(e.contributions()[j]).isCloseTo(w[j] * (x[j] - b[j]), within(1e-9));
        }
        assertThat(e.baseline()).isCloseTo(0.1 + 0.5 - 1.2 + 2.0 + 0.3, within(1e-9));
    }

    @Test
    void recoversExactLinearContributionsBySampling() {
        Random random = new Random(2);
        int p = 24; // 2^24 coalitions: sampled
        double[] w = new double[p];
        double[] b = new double[p];
        double[] x = new double[p];
        for (int j = 0; j < p; j++) {
            w[j] = random.nextGaussian();
            x[j] = random.nextGaussian();
        }
        Explanation e = new KernelShap(single(b), 256, 3).explain(new Logistic(-0.2, w), x);
        for (int j = 0; j < p; j++) {
            assertThat(e.contributions()[j]).isCloseTo(w[j] * x[j], within(1e-8));
        }
    }

    @Test
    void splitsAnInteractionEquallyAsShapleyValuesDo() {
        // Against a zero background, φ_a = φ_b = x0·x1 / 2 and φ_c = x2².
        Explanation e = new KernelShap(single(new double[3]), 1024, 1).explain(new Interaction(), new double[] {2, 3, 1});
        assertThat(e.contributions()).containsExactly(new double[] {3, 3, 1}, within(1e-9));
    }

    @Test
    void contributionsAlwaysAddUpAndFeaturesEqualToTheBackgroundGetZero() {
        Random random = new Random(4);
        double[][] rows = new double[300][12];
        for (double[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                r[j] = j == 11 ? 0 : random.nextGaussian();
            }
        }
        Background background = Background.summarize(rows, 20, 5);
        double[] w = new double[12];
        for (int j = 0; j < 12; j++) {
            w[j] = random.nextGaussian();
        }
        ProbabilisticClassifier model = new Logistic(0.3, w);
        KernelShap shap = new KernelShap(background, 512, 6);
        double[] row = rows[0];
        Explanation e = shap.explain(model, row);
        double p = model.predictProbabilities(new double[][] {row})[0][1];
        assertThat(e.logOdds()).isCloseTo(Math.log(p / (1 - p)), within(1e-9));
        assertThat(e.contributions()[11]).isZero();
        assertThat(shap.explain(model, row).contributions()).containsExactly(e.contributions());
    }

    @Test
    void theBackgroundNeverStoresARowOfItsOwn() {
        Random random = new Random(7);
        double[][] rows = new double[95][3];
        for (double[] r : rows) {
            for (int j = 0; j < 3; j++) {
                r[j] = random.nextGaussian() * (j + 1);
            }
        }
        // An outlier would be its own k-means cluster; it must be merged into a group of ≥ 10 rows.
        rows[0] = new double[] {100, 100, 100};
        Background b = Background.summarize(rows, 20, 1);
        assertThat(b.points().length).isBetween(1, 9);
        for (double w : b.weights()) {
            assertThat(w * rows.length).isGreaterThanOrEqualTo(Background.MIN_GROUP_SIZE - 1e-9);
        }
        assertThat(KernelShap.fromJson(new KernelShap(b, 64, 2).toJson()).background().points()).isDeepEqualTo(b.points());
        assertThatThrownBy(() -> Background.summarize(new double[5][3], 20, 1))
                .isInstanceOf(MedmaasException.class).hasMessageContaining("at least 10 rows");
    }
}
