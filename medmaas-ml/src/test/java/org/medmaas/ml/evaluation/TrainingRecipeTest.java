package org.medmaas.ml.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.StringColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.preprocess.Impute;
import org.medmaas.data.preprocess.PipelineSpec;
import org.medmaas.data.preprocess.Scale;
import org.medmaas.data.split.FoldStrategy;
import org.medmaas.data.split.GroupKFold;
import org.medmaas.data.split.RandomKFold;
import org.medmaas.data.split.StratifiedKFold;
import org.medmaas.data.split.TimeOrderedSplit;
import org.medmaas.ml.LearnerSettings;
import org.medmaas.ml.Learners;
import org.medmaas.ml.calibration.CalibrationMethod;
import org.medmaas.ml.calibration.ThresholdRule;

class TrainingRecipeTest {

    static final PipelineSpec PREPROCESSING = PipelineSpec.of(
            new Impute(List.of(), Impute.Strategy.MEDIAN, java.util.Optional.empty(), false), Scale.of(Scale.Method.STANDARD));

    /** y = 3·a − 2·b + noise (sd 0.5); c is noise. */
    static Table linear(int n, long seed) {
        Random r = new Random(seed);
        double[] a = new double[n];
        double[] b = new double[n];
        double[] c = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
            b[i] = r.nextGaussian();
            c[i] = r.nextGaussian();
            y[i] = 3 * a[i] - 2 * b[i] + 0.5 * r.nextGaussian();
        }
        return Table.of(NumericColumn.of("a", a), NumericColumn.of("b", b), NumericColumn.of("c", c), NumericColumn.of("y", y));
    }

    @Test
    void regressionCrossValidatesSelectsAndRefits() {
        Table data = linear(300, 1);
        TrainingRecipe.RegressorOutcome outcome = TrainingRecipe.regress(data, "y", PREPROCESSING,
                List.of(Learners.regressor("gbt", 42, LearnerSettings.none()), Learners.regressor("ridge", 42, LearnerSettings.none())),
                new RandomKFold(5, 42), "rmse", m -> { });
        assertThat(outcome.candidates()).extracting(TrainingRecipe.RegressionCandidate::learner).containsExactly("gbt", "ridge");
        // The law is linear: ridge wins, and explains nearly all the variance on held-out rows.
        assertThat(outcome.best().learner()).isEqualTo("ridge");
        assertThat(outcome.best().cv().mean().get("r2")).isGreaterThan(0.95);
        assertThat(outcome.best().cv().mean().get("rmse")).isBetween(0.4, 0.7);
        assertThat(outcome.best().cv().heldOut()).hasSize(300);
        Table fresh = linear(50, 2);
        double[] predicted = outcome.model().predict(org.medmaas.ml.FeatureMatrix.matrix(
                outcome.pipeline().apply(fresh.drop(List.of("y"))), outcome.featureNames()));
        double[] truth = ((NumericColumn) fresh.column("y")).presentValues();
        assertThat(org.medmaas.ml.metrics.RegressionMetrics.report(truth, predicted).get("r2")).isGreaterThan(0.95);
        assertThatThrownBy(() -> TrainingRecipe.regress(data, "y", PREPROCESSING, List.of(Learners.regressor("ridge", 1,
                LearnerSettings.none())), new RandomKFold(5, 42), "roc_auc", m -> { })).isInstanceOf(MedmaasException.class)
                .hasMessageContaining("rmse, mse, mae or r2");
    }

    /** 60 patients with 5 rows each; the outcome is a patient trait that a per-row feature reveals only with the id. */
    static Table patients() {
        Random r = new Random(3);
        int n = 300;
        String[] id = new String[n];
        double[] day = new double[n];
        double[] marker = new double[n];
        String[] outcome = new String[n];
        for (int p = 0; p < 60; p++) {
            boolean sick = r.nextBoolean();
            double level = r.nextGaussian();
            for (int v = 0; v < 5; v++) {
                int i = p * 5 + v;
                id[i] = "p" + p;
                day[i] = i;
                marker[i] = level + (sick ? 1.0 : 0.0) + 0.3 * r.nextGaussian();
                outcome[i] = sick ? "yes" : "no";
            }
        }
        return Table.of(StringColumn.identifiers("patient_id", id), NumericColumn.of("day", day),
                NumericColumn.of("marker", marker), CategoricalColumn.of("outcome", outcome));
    }

    @Test
    void classificationRunsOnEveryFoldStrategyWithTheSplitComputedOnTheWholeTable() {
        Table data = patients();
        Table table = data.select(List.of("marker", "outcome"));
        for (FoldStrategy strategy : List.of(new StratifiedKFold(5, 1), new RandomKFold(5, 1), new GroupKFold(5, "patient_id"),
                new TimeOrderedSplit(4, "day"))) {
            FoldStrategy fixed = FoldStrategy.fixed(strategy.splits(data, "outcome"), strategy.describe());
            TrainingRecipe.ClassifierOutcome o = TrainingRecipe.classify(table, "outcome", PREPROCESSING,
                    List.of(Learners.trainer("lr", 42)), fixed, "roc_auc", CalibrationMethod.PLATT, ThresholdRule.parse("youden"),
                    42, m -> { });
            assertThat(o.best().cv().mean().get("roc_auc")).as(strategy.describe()).isGreaterThan(0.6);
            int heldOut = strategy instanceof TimeOrderedSplit ? 240 : 300;
            assertThat(o.best().cv().heldOut()).as(strategy.describe()).hasSize(heldOut);
            long calibrated = java.util.Arrays.stream(o.calibration().heldOut()).filter(java.util.Objects::nonNull).count();
            assertThat(calibrated).isEqualTo(heldOut);
            assertThat(o.calibration().threshold()).isBetween(0.0, 1.0);
            assertThat(o.calibration().calibrator()).isPresent();
        }
    }
}
