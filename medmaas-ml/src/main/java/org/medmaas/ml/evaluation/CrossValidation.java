package org.medmaas.ml.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.core.table.Table;
import org.medmaas.data.preprocess.FittedPipeline;
import org.medmaas.data.preprocess.PipelineSpec;
import org.medmaas.data.split.ClassLabels;
import org.medmaas.data.split.Fold;
import org.medmaas.data.split.Resampler;
import org.medmaas.data.split.StratifiedKFold;
import org.medmaas.data.split.TrainingSet;
import org.medmaas.ml.FeatureMatrix;
import org.medmaas.ml.metrics.ClassificationMetrics;

/**
 * Stratified k-fold cross-validation in which everything learned from data — preprocessing,
 * resampling, the model — is fitted on each training fold only and applied to its held-out fold,
 * so no held-out row influences the model that scores it.
 */
public final class CrossValidation {

    /** Per-fold metrics, their mean and sample standard deviation, and out-of-fold probabilities. */
    public record Result(String learner, List<Map<String, Double>> folds, Map<String, Double> mean,
            Map<String, Double> sd, double[][] outOfFoldProbabilities, int[] labels, List<String> classes) {

        public String summary(String metric) {
            return String.format(java.util.Locale.ROOT, "%.3f ± %.3f", mean.get(metric), sd.get(metric));
        }
    }

    private final int k;
    private final long seed;

    public CrossValidation(int k, long seed) {
        this.k = k;
        this.seed = seed;
    }

    public Result run(Table data, String target, PipelineSpec preprocessing, Optional<Resampler> resampler,
            ClassifierTrainer trainer) {
        return run(data, target, preprocessing, resampler, trainer, () -> { });
    }

    /** As {@link #run(Table, String, PipelineSpec, Optional, ClassifierTrainer)}, calling {@code onFold} after each fold. */
    public Result run(Table data, String target, PipelineSpec preprocessing, Optional<Resampler> resampler,
            ClassifierTrainer trainer, Runnable onFold) {
        ClassLabels labels = ClassLabels.of(data, target);
        List<String> classes = labels.classes();
        StratifiedKFold kFold = new StratifiedKFold(k, seed);
        int[] fold = kFold.assign(labels);
        List<Fold> folds = kFold.folds(data, target, fold);
        double[][] oof = new double[data.rowCount()][];
        int[] truth = new int[data.rowCount()];
        List<Map<String, Double>> perFold = new ArrayList<>();
        for (Fold f : folds) {
            TrainingSet train = f.train();
            Table features = train.table().drop(List.of(target));
            FittedPipeline pipeline = preprocessing.fit(features);
            Table trainPrepared = pipeline.apply(features).with(train.table().column(target));
            TrainingSet prepared = TrainingSet.wholeDataset(trainPrepared, target);
            if (resampler.isPresent()) {
                prepared = resampler.get().resample(prepared);
            }
            LabeledMatrix trainMatrix = FeatureMatrix.labeled(prepared.table(), target, classes);
            ProbabilisticClassifier model = trainer.fit(trainMatrix);

            Table test = f.test().table();
            Table testPrepared = pipeline.apply(test.drop(List.of(target))).with(test.column(target));
            LabeledMatrix testMatrix = FeatureMatrix.labeled(testPrepared, target, classes);
            double[][] probabilities = model.predictProbabilities(FeatureMatrix.matrix(testPrepared, model.featureNames()));
            perFold.add(ClassificationMetrics.report(testMatrix.y(), probabilities, 0.5));
            // Out-of-fold predictions back in original row order.
            int t = 0;
            for (int r = 0; r < fold.length; r++) {
                if (fold[r] == f.number()) {
                    oof[r] = probabilities[t];
                    truth[r] = testMatrix.y()[t];
                    t++;
                }
            }
            onFold.run();
        }
        return summarize(trainer.name(), perFold, oof, truth, classes);
    }

    /** A result from per-fold metrics and out-of-fold predictions: the mean and sd of each metric. */
    public static Result summarize(String learner, List<Map<String, Double>> perFold, double[][] oof, int[] labels,
            List<String> classes) {
        Map<String, Double> mean = new LinkedHashMap<>();
        Map<String, Double> sd = new LinkedHashMap<>();
        for (String metric : perFold.get(0).keySet()) {
            double[] values = perFold.stream().mapToDouble(m -> m.get(metric)).toArray();
            double mu = java.util.Arrays.stream(values).average().orElse(Double.NaN);
            double ss = 0;
            for (double v : values) {
                ss += (v - mu) * (v - mu);
            }
            mean.put(metric, mu);
            sd.put(metric, values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0.0);
        }
        return new Result(learner, perFold, mean, sd, oof, labels, classes);
    }
}
