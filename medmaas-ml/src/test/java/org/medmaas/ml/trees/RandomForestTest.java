package org.medmaas.ml.trees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.ml.LearnerSettings;
import org.medmaas.ml.Learners;
import org.medmaas.ml.TestData;

class RandomForestTest {

    @Test
    void learnsANonlinearSignalAsWellAsBoostedTreesNearly() {
        LabeledMatrix train = TestData.nonlinear(2000, 1);
        LabeledMatrix test = TestData.nonlinear(1000, 2);
        GradientBoostedTreesModel forest = new RandomForestTrainer(RandomForestParameters.defaults(42)).fit(train);
        double boosted = TestData.auc(new GradientBoostedTreesTrainer(GradientBoostingParameters.defaults()
                .withDepthAndEta(3, 0.1)).fit(train), test);
        assertThat(TestData.auc(forest, test)).isGreaterThan(0.75).isGreaterThan(boosted - 0.06);
    }

    @Test
    void javaScorerMatchesXgboostAndTreeShapAddsUpToTheMargin() {
        GradientBoostedTreesModel forest = new RandomForestTrainer(RandomForestParameters.defaults(7)).fit(TestData.nonlinear(500, 3));
        LabeledMatrix test = TestData.nonlinear(200, 4);
        double[][] java = forest.predictProbabilitiesJava(test.x());
        double[][] reference = forest.predictProbabilitiesNative(test.x());
        double[][] contributions = forest.contributions(test.x());
        for (int i = 0; i < test.rows(); i++) {
            assertThat(java[i][1]).isCloseTo(reference[i][1], within(1e-5));
            double margin = 0;
            for (double c : contributions[i]) {
                margin += c;
            }
            assertThat(1 / (1 + Math.exp(-margin))).isCloseTo(reference[i][1], within(1e-4));
        }
    }

    @Test
    void sameSeedSameForestAndTheBundleFileReloads() {
        RandomForestTrainer trainer = new RandomForestTrainer(RandomForestParameters.defaults(5));
        GradientBoostedTreesModel a = trainer.fit(TestData.nonlinear(300, 5));
        assertThat(trainer.fit(TestData.nonlinear(300, 5)).toXgboostJson()).isEqualTo(a.toXgboostJson());
        var loaded = Learners.load("rf", a.nativeFiles(), a.featureNames(), a.classes());
        LabeledMatrix test = TestData.nonlinear(30, 6);
        assertThat(loaded.predictProbabilities(test.x())).isDeepEqualTo(a.predictProbabilities(test.x()));
    }

    @Test
    void settingsAreCheckedByName() {
        assertThat(Learners.hyperparameters(Learners.trainer("rf", 1, new LearnerSettings(Map.of("rf", Map.of("trees", 50))))))
                .containsEntry("trees", 50);
        assertThatThrownBy(() -> Learners.trainer("rf", 1, new LearnerSettings(Map.of("rf", Map.of("max_features", 2.0)))))
                .isInstanceOf(MedmaasException.class).hasMessageContaining("'max_features'");
        assertThatThrownBy(() -> Learners.trainer("rf", 1, new LearnerSettings(Map.of("rf", Map.of("depth", 3)))))
                .isInstanceOf(MedmaasException.class).hasMessageContaining("Unknown setting 'depth' for rf");
    }
}
