package org.medmaas.ml.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.core.model.RegressionMatrix;
import org.medmaas.core.model.Regressor;
import org.medmaas.core.model.RegressorTrainer;
import org.medmaas.core.table.Table;
import org.medmaas.data.preprocess.FittedPipeline;
import org.medmaas.data.preprocess.PipelineSpec;
import org.medmaas.data.split.ClassLabels;
import org.medmaas.data.split.Fold;
import org.medmaas.data.split.FoldStrategy;
import org.medmaas.data.split.Resampler;
import org.medmaas.data.split.StratifiedKFold;
import org.medmaas.data.split.TrainingSet;
import org.medmaas.ml.FeatureMatrix;
import org.medmaas.ml.metrics.ClassificationMetrics;
import org.medmaas.ml.metrics.RegressionMetrics;

/**
 * Cross-validation in which everything learned from data — preprocessing, resampling, the model —
 * is fitted on each training fold only and applied to its held-out fold, so no held-out row
 * influences the model that scores it. The folds come from a {@link FoldStrategy} (stratified by
 * default; random, grouped by patient or time-ordered on request). Strategies that never hold out
 * some rows (time-ordered) leave those rows without an out-of-fold prediction ({@code null}, or NaN
 * for regression) and out of {@link Result#heldOut()}.
 */
public final class CrossValidation {

    /**
     * Per-fold metrics, their mean and sample standard deviation, and out-of-fold probabilities.
     *
     * @param outOfFoldProbabilities per data row, the held-out probabilities (null for rows never held out)
     * @param labels                 per data row, the class index
     * @param heldOut                the rows that have out-of-fold probabilities, ascending
     */
    public record Result(String learner, List<Map<String, Double>> folds, Map<String, Double> mean,
            Map<String, Double> sd, double[][] outOfFoldProbabilities, int[] labels, List<String> classes, int[] heldOut) {

        public Result(String learner, List<Map<String, Double>> folds, Map<String, Double> mean, Map<String, Double> sd,
                double[][] outOfFoldProbabilities, int[] labels, List<String> classes) {
            this(learner, folds, mean, sd, outOfFoldProbabilities, labels, classes,
                    java.util.stream.IntStream.range(0, labels.length).toArray());
        }

        public String summary(String metric) {
            return String.format(java.util.Locale.ROOT, "%.3f ± %.3f", mean.get(metric), sd.get(metric));
        }
    }

    /**
     * A regression's per-fold metrics (rmse, mse, mae, r2), their mean and sd, and out-of-fold predictions.
     *
     * @param outOfFold per data row, the held-out prediction (NaN for rows never held out)
     */
    public record RegressionResult(String learner, List<Map<String, Double>> folds, Map<String, Double> mean,
            Map<String, Double> sd, double[] outOfFold, double[] truth, int[] heldOut) {

        public String summary(String metric) {
            return String.format(java.util.Locale.ROOT, "%.3f ± %.3f", mean.get(metric), sd.get(metric));
        }
    }

    private final FoldStrategy strategy;

    /** Stratified k-fold, seeded. */
    public CrossValidation(int k, long seed) {
        this(new StratifiedKFold(k, seed));
    }

    public CrossValidation(FoldStrategy strategy) {
        this.strategy = strategy;
    }

    public FoldStrategy strategy() {
        return strategy;
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
        List<FoldStrategy.Split> splits = strategy.splits(data, target);
        double[][] oof = new double[data.rowCount()][];
        int[] truth = labels.index().clone();
        List<Map<String, Double>> perFold = new ArrayList<>();
        for (FoldStrategy.Split split : splits) {
            Fold f = fold(data, target, split);
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
            for (int t = 0; t < split.test().length; t++) {
                oof[split.test()[t]] = probabilities[t];
            }
            onFold.run();
        }
        Result r = summarize(trainer.name(), perFold, oof, truth, classes);
        return new Result(r.learner(), r.folds(), r.mean(), r.sd(), oof, truth, classes, heldOut(oof));
    }

    /** Cross-validates a regression learner on a numeric target. */
    public RegressionResult runRegression(Table data, String target, PipelineSpec preprocessing, RegressorTrainer trainer,
            Runnable onFold) {
        double[] truth = FeatureMatrix.regression(data.select(List.of(target)), target).y();
        double[] oof = new double[data.rowCount()];
        java.util.Arrays.fill(oof, Double.NaN);
        List<Map<String, Double>> perFold = new ArrayList<>();
        for (FoldStrategy.Split split : strategy.splits(data, target)) {
            Fold f = fold(data, target, split);
            Table features = f.train().table().drop(List.of(target));
            FittedPipeline pipeline = preprocessing.fit(features);
            RegressionMatrix train = FeatureMatrix.regression(pipeline.apply(features).with(f.train().table().column(target)),
                    target);
            Regressor model = trainer.fit(train);
            Table test = f.test().table();
            double[] predicted = model.predict(FeatureMatrix.matrix(pipeline.apply(test.drop(List.of(target))),
                    model.featureNames()));
            double[] expected = new double[predicted.length];
            for (int t = 0; t < split.test().length; t++) {
                oof[split.test()[t]] = predicted[t];
                expected[t] = truth[split.test()[t]];
            }
            perFold.add(RegressionMetrics.report(expected, predicted));
            onFold.run();
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        Map<String, Double> sd = new LinkedHashMap<>();
        meanAndSd(perFold, mean, sd);
        int[] heldOut = java.util.stream.IntStream.range(0, oof.length).filter(i -> !Double.isNaN(oof[i])).toArray();
        return new RegressionResult(trainer.name(), perFold, mean, sd, oof, truth, heldOut);
    }

    private static Fold fold(Table data, String target, FoldStrategy.Split split) {
        return new Fold(split.number(), TrainingSet.wholeDataset(data.take(split.train()), target),
                new org.medmaas.data.split.EvaluationSet(data.take(split.test()), target));
    }

    private static int[] heldOut(double[][] oof) {
        return java.util.stream.IntStream.range(0, oof.length).filter(i -> oof[i] != null).toArray();
    }

    /** A result from per-fold metrics and out-of-fold predictions: the mean and sd of each metric. */
    public static Result summarize(String learner, List<Map<String, Double>> perFold, double[][] oof, int[] labels,
            List<String> classes) {
        Map<String, Double> mean = new LinkedHashMap<>();
        Map<String, Double> sd = new LinkedHashMap<>();
        meanAndSd(perFold, mean, sd);
        return new Result(learner, perFold, mean, sd, oof, labels, classes);
    }

    /**
     * Mean and sample sd of each metric over the folds where it is defined: a fold that held out a
     * single class has no ROC-AUC (grouped and time-ordered splits can make one), and leaves that
     * metric's mean to the other folds rather than making it NaN. NaN only when no fold defines it.
     */
    private static void meanAndSd(List<Map<String, Double>> perFold, Map<String, Double> mean, Map<String, Double> sd) {
        for (String metric : perFold.get(0).keySet()) {
            double[] values = perFold.stream().mapToDouble(m -> m.getOrDefault(metric, Double.NaN))
                    .filter(v -> !Double.isNaN(v)).toArray();
            double mu = java.util.Arrays.stream(values).average().orElse(Double.NaN);
            double ss = 0;
            for (double v : values) {
                ss += (v - mu) * (v - mu);
            }
            mean.put(metric, mu);
            sd.put(metric, values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0.0);
        }
    }
}
