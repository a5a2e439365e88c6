package org.medmaas.ml.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.preprocess.Impute;
import org.medmaas.data.preprocess.OneHot;
import org.medmaas.data.preprocess.PipelineSpec;
import org.medmaas.data.preprocess.Scale;
import org.medmaas.data.split.RandomOverSampler;
import org.medmaas.ml.linear.LogisticRegressionParameters;
import org.medmaas.ml.linear.LogisticRegressionTrainer;

class CrossValidationTest {

    /** A seeded cohort with a known signal: risk rises with glucose and with smoking. */
    static Table cohort(int n, long seed) {
        Random random = new Random(seed);
        double[] glucose = new double[n];
        java.util.BitSet missing = new java.util.BitSet();
        String[] smoker = new String[n];
        String[] outcome = new String[n];
        for (int i = 0; i < n; i++) {
            glucose[i] = 100 + 25 * random.nextGaussian();
            smoker[i] = random.nextDouble() < 0.3 ? "yes" : "no";
            double logit = (glucose[i] - 110) / 12 + (smoker[i].equals("yes") ? 1.0 : 0.0) - 0.8;
            outcome[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? "sick" : "well";
            if (random.nextDouble() < 0.05) {
                missing.set(i);
            }
        }
        return Table.of(NumericColumn.of("glucose", glucose, missing), CategoricalColumn.of("smoker", smoker),
                CategoricalColumn.of("outcome", outcome));
    }

    static final PipelineSpec PREPROCESSING = PipelineSpec.of(Impute.of(Impute.Strategy.MEDIAN),
            Scale.of(Scale.Method.STANDARD), OneHot.of(OneHot.UnknownPolicy.IGNORE));

    @Test
    void findsAKnownSignalWithFoldsFittedSeparately() {
        CrossValidation.Result r = new CrossValidation(5, 7).run(cohort(600, 1), "outcome", PREPROCESSING,
                Optional.empty(), new LogisticRegressionTrainer(LogisticRegressionParameters.defaults()));
        assertThat(r.folds()).hasSize(5);
        assertThat(r.mean().get("roc_auc")).isGreaterThan(0.8);
        assertThat(r.sd().get("roc_auc")).isLessThan(0.1);
        assertThat(java.util.Arrays.asList(r.outOfFoldProbabilities())).allSatisfy(p -> assertThat(p).hasSize(2));
    }

    @Test
    void resamplingTouchesOnlyTrainingFoldsAndIsReproducible() {
        CrossValidation cv = new CrossValidation(5, 7);
        var trainer = new LogisticRegressionTrainer(LogisticRegressionParameters.defaults());
        CrossValidation.Result a = cv.run(cohort(400, 2), "outcome", PREPROCESSING, Optional.of(new RandomOverSampler(3)), trainer);
        CrossValidation.Result b = cv.run(cohort(400, 2), "outcome", PREPROCESSING, Optional.of(new RandomOverSampler(3)), trainer);
        assertThat(a.mean()).isEqualTo(b.mean());
        // Out-of-fold predictions cover exactly the original rows: nothing was resampled there.
        assertThat(a.outOfFoldProbabilities()).hasNumberOfRows(400);
        assertThat(a.classes()).containsExactlyInAnyOrder("well", "sick");
    }
}
