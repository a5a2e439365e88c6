package org.medmaas.ml.trees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.TestData;

class GradientBoostedTreesTest {

    static LabeledMatrix data(int n, long seed) {
        return TestData.nonlinear(n, seed);
    }

    static double auc(ProbabilisticClassifier model, LabeledMatrix test) {
        return TestData.auc(model, test);
    }

    @Test
    void learnsANonlinearSignal() {
        GradientBoostedTreesModel model = new GradientBoostedTreesTrainer(
                GradientBoostingParameters.defaults().withDepthAndEta(3, 0.1)).fit(data(2000, 1));
        assertThat(auc(model, data(1000, 2))).isGreaterThan(0.8);
    }

    @Test
    void treeShapContributionsAddUpToTheMargin() {
        GradientBoostedTreesModel model = new GradientBoostedTreesTrainer(GradientBoostingParameters.defaults().withRounds(30))
                .fit(data(500, 3));
        LabeledMatrix test = data(50, 4);
        double[][] contributions = model.contributions(test.x());
        double[][] p = model.predictProbabilities(test.x());
        for (int i = 0; i < test.rows(); i++) {
            double margin = 0;
            for (double c : contributions[i]) {
                margin += c;
            }
            assertThat(contributions[i]).hasSize(5);
            assertThat(1 / (1 + Math.exp(-margin))).isCloseTo(p[i][1], within(1e-5));
        }
    }

    @Test
    void savedJsonPredictsIdenticallyAndSameSeedGivesSameModel() {
        GradientBoostedTreesTrainer trainer = new GradientBoostedTreesTrainer(GradientBoostingParameters.defaults().withRounds(20));
        GradientBoostedTreesModel a = trainer.fit(data(400, 5));
        GradientBoostedTreesModel b = trainer.fit(data(400, 5));
        assertThat(a.toXgboostJson()).isEqualTo(b.toXgboostJson());
        GradientBoostedTreesModel loaded = GradientBoostedTreesModel.fromXgboostJson(a.toXgboostJson(), a.featureNames(), a.classes());
        LabeledMatrix test = data(30, 6);
        assertThat(loaded.predictProbabilities(test.x())).isDeepEqualTo(a.predictProbabilities(test.x()));
    }

    @Test
    void earlyStoppingStopsBeforeTheRoundLimit() {
        GradientBoostedTreesModel model = new GradientBoostedTreesTrainer(GradientBoostingParameters.defaults()
                .withRounds(2000).withEarlyStopping(10)).fit(data(600, 7));
        // A model of 2000 full trees would be far larger than one stopped early.
        assertThat(model.toXgboostJson().length).isLessThan(2_000_000);
    }

    @Test
    void javaScoringMatchesXgboostIncludingMissingValuesAndMultiClass() {
        GradientBoostedTreesModel binary = new GradientBoostedTreesTrainer(GradientBoostingParameters.defaults()).fit(data(800, 8));
        LabeledMatrix test = data(300, 9);
        double[][] x = test.x();
        for (int i = 0; i < x.length; i += 7) {
            x[i][i % 4] = Double.NaN;   // missing values follow each split's default branch
        }
        double[][] java = binary.predictProbabilitiesJava(x);
        double[][] reference = binary.predictProbabilitiesNative(x);
        for (int i = 0; i < x.length; i++) {
            assertThat(java[i][1]).isCloseTo(reference[i][1], within(1e-6));
        }

        LabeledMatrix three = data(600, 10);
        int[] y = three.y().clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = three.x()[i][2] > 1 ? 2 : y[i];
        }
        LabeledMatrix multi = LabeledMatrix.unweighted(three.x(), y, three.featureNames(), List.of("a", "b", "c"));
        GradientBoostedTreesModel model = new GradientBoostedTreesTrainer(GradientBoostingParameters.defaults().withRounds(30)).fit(multi);
        double[][] pj = model.predictProbabilitiesJava(three.x());
        double[][] pn = model.predictProbabilitiesNative(three.x());
        for (int i = 0; i < pj.length; i++) {
            for (int c = 0; c < 3; c++) {
                assertThat(pj[i][c]).isCloseTo(pn[i][c], within(1e-6));
            }
        }
    }

    @Test
    void largeBatchesScoredNativelyInParallelEqualTheJavaScorerInOrder() {
        GradientBoostedTreesModel model = new GradientBoostedTreesTrainer(GradientBoostingParameters.defaults().withRounds(40))
                .fit(data(800, 11));
        double[][] x = data(9000, 12).x();  // three native tasks
        double[][] batch = model.predictProbabilities(x);
        double[][] java = model.predictProbabilitiesJava(x);
        for (int i = 0; i < x.length; i++) {
            assertThat(batch[i][1]).isCloseTo(java[i][1], within(1e-6));
        }
    }
}
