package org.medmaas.ml.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
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
import org.medmaas.data.split.FoldStrategy;
import org.medmaas.ml.FeatureMatrix;
import org.medmaas.ml.Learners;
import org.medmaas.ml.search.ModelSearch;
import org.medmaas.ml.calibration.CalibrationMethod;
import org.medmaas.ml.calibration.Calibrator;
import org.medmaas.ml.calibration.CrossFitting;
import org.medmaas.ml.calibration.ThresholdRule;
import org.medmaas.ml.metrics.ClassificationMetrics;
import org.medmaas.ml.metrics.RegressionMetrics;

/**
 * The training recipe every service shares: candidates → cross-validation with preprocessing
 * fitted inside the folds → selection by a metric → (classification) calibration and decision
 * threshold on the out-of-fold predictions → refit of the chosen learner on all rows. What a
 * service adds is its inputs, its preprocessing and its bundle section. The steps are public so a
 * service whose cross-validation differs (diagnosis's visit sequences) reuses the rest.
 */
public final class TrainingRecipe {

    private TrainingRecipe() {
    }

    /** What the recipe reports while it runs: a message per stage, and each finished fold. */
    @FunctionalInterface
    public interface Progress {
        void stage(String message);

        default void foldDone() {
        }

        /** A trial of a hyperparameter search done or skipped (see {@link ModelSearch#steps()}). */
        default void trialDone() {
        }
    }

    /** A classification candidate's cross-validation. */
    public record CandidateResult(String learner, CrossValidation.Result cv) {
    }

    /**
     * The chosen classifier's calibration and threshold, learned from its out-of-fold predictions.
     *
     * @param calibrator   fitted on all held-out predictions (binary targets, unless NONE)
     * @param threshold    on the calibrated positive probability (0.5 for several classes, where argmax decides)
     * @param rule         how the threshold was chosen ("youden", "fixed:0.5", … or "argmax")
     * @param eceBefore    ECE of the out-of-fold probabilities (NaN for several classes)
     * @param eceAfter     ECE after calibration, cross-fitted so no row calibrates itself (NaN without calibration)
     * @param heldOut      per data row, the calibrated held-out probabilities (null for rows never held out)
     */
    public record Calibration(Optional<Calibrator> calibrator, double threshold, String rule, double eceBefore,
            double eceAfter, double[][] heldOut) {
    }

    /**
     * A classifier trained by the recipe: every candidate's cross-validation, the choice, and the
     * refit model. When the kept candidate is a {@link ModelSearch}, its cross-validation is the
     * nested estimate of the whole search, and {@code search} holds what the final search on all
     * rows tried and chose.
     */
    public record ClassifierOutcome(List<CandidateResult> candidates, CandidateResult best, Calibration calibration,
            FittedPipeline pipeline, ProbabilisticClassifier model, ClassifierTrainer trainer, List<String> featureNames,
            Optional<ModelSearch.Outcome> search) {

        /** The learner the bundle names: the search's choice, or the kept candidate. */
        public String learner() {
            return search.map(ModelSearch.Outcome::chosenLearner).orElse(best.learner());
        }

        /** The kept model's settings, for provenance. */
        public Map<String, Object> hyperparameters() {
            return search.map(ModelSearch.Outcome::hyperparameters).orElseGet(() -> Learners.hyperparameters(trainer));
        }
    }

    /** A regression candidate's cross-validation. */
    public record RegressionCandidate(String learner, CrossValidation.RegressionResult cv) {
    }

    /** A regression model trained by the recipe. */
    public record RegressorOutcome(List<RegressionCandidate> candidates, RegressionCandidate best, FittedPipeline pipeline,
            Regressor model, RegressorTrainer trainer, List<String> featureNames) {
    }

    /** Metrics where a lower value is better; every other metric is better higher. */
    static final Set<String> LOWER_IS_BETTER = Set.of("log_loss", "brier", "ece", "rmse", "mse", "mae");

    /**
     * Trains a classifier. {@code table} holds the inputs and the target only; {@code candidates} are
     * cross-validated in order, and the first of equally good ones is kept.
     */
    public static ClassifierOutcome classify(Table table, String target, PipelineSpec preprocessing,
            List<ClassifierTrainer> candidates, FoldStrategy folds, String metric, CalibrationMethod calibration,
            ThresholdRule threshold, long seed, Progress progress) {
        List<CandidateResult> results = new ArrayList<>();
        CrossValidation cv = new CrossValidation(folds);
        for (ClassifierTrainer trainer : candidates) {
            progress.stage("Cross-validating " + trainer.name() + " (" + folds.describe() + ")");
            results.add(new CandidateResult(trainer.name(),
                    cv.run(table, target, preprocessing, Optional.empty(), trainer, progress::foldDone)));
        }
        CandidateResult best = select(results, metric);
        Calibration calibrated = calibrate(best.cv(), calibration, threshold, seed);
        ClassifierTrainer chosen = candidates.get(results.indexOf(best));
        progress.stage("Fitting " + best.learner() + " on all " + table.rowCount() + " rows");
        Table features = table.drop(List.of(target));
        FittedPipeline pipeline = preprocessing.fit(features);
        LabeledMatrix matrix = FeatureMatrix.labeled(pipeline.apply(features).with(table.column(target)), target,
                ClassLabels.of(table, target).classes());
        if (chosen instanceof ModelSearch search) {
            ModelSearch.Outcome found = search.search(matrix);
            return new ClassifierOutcome(results, best, calibrated, pipeline, found.model(), chosen, matrix.featureNames(),
                    Optional.of(found));
        }
        return new ClassifierOutcome(results, best, calibrated, pipeline, chosen.fit(matrix), chosen, matrix.featureNames(),
                Optional.empty());
    }

    /** Trains a regression model on a numeric target, selecting by {@code metric} (rmse, mse, mae or r2). */
    public static RegressorOutcome regress(Table table, String target, PipelineSpec preprocessing,
            List<RegressorTrainer> candidates, FoldStrategy folds, String metric, Progress progress) {
        if (!RegressionMetrics.LOWER_IS_BETTER.containsKey(metric)) {
            throw MedmaasException.invalid("Regression models are selected by rmse, mse, mae or r2, not '" + metric + "'.");
        }
        if (candidates.isEmpty()) {
            throw MedmaasException.invalid("Name at least one model to train.");
        }
        CrossValidation cv = new CrossValidation(folds);
        List<RegressionCandidate> results = new ArrayList<>();
        for (RegressorTrainer trainer : candidates) {
            progress.stage("Cross-validating " + trainer.name() + " (" + folds.describe() + ")");
            results.add(new RegressionCandidate(trainer.name(), cv.runRegression(table, target, preprocessing, trainer,
                    progress::foldDone)));
        }
        boolean lower = RegressionMetrics.LOWER_IS_BETTER.get(metric);
        RegressionCandidate best = results.get(0);
        for (RegressionCandidate r : results) {
            double v = r.cv().mean().get(metric);
            double b = best.cv().mean().get(metric);
            if (lower ? v < b : v > b) {
                best = r;
            }
        }
        RegressorTrainer chosen = candidates.get(results.indexOf(best));
        progress.stage("Fitting " + best.learner() + " on all " + table.rowCount() + " rows");
        Table features = table.drop(List.of(target));
        FittedPipeline pipeline = preprocessing.fit(features);
        RegressionMatrix matrix = FeatureMatrix.regression(pipeline.apply(features).with(table.column(target)), target);
        return new RegressorOutcome(results, best, pipeline, chosen.fit(matrix), chosen, matrix.featureNames());
    }

    /**
     * The best candidate by a cross-validated metric (the first of equals). A metric no fold could
     * compute (every held-out fold of one class) cannot choose, and says so.
     */
    public static CandidateResult select(List<CandidateResult> results, String metric) {
        boolean lower = LOWER_IS_BETTER.contains(metric);
        CandidateResult best = null;
        for (CandidateResult r : results) {
            double v = metric(r, metric);
            if (!Double.isNaN(v) && (best == null || (lower ? v < metric(best, metric) : v > metric(best, metric)))) {
                best = r;
            }
        }
        if (best == null) {
            throw MedmaasException.invalid("Metric '" + metric + "' could not be computed on any held-out fold (each held"
                    + " out a single class); use a stratified split, fewer folds, or --metric log_loss.");
        }
        return best;
    }

    private static double metric(CandidateResult r, String name) {
        Double v = r.cv().mean().get(name);
        if (v == null) {
            throw MedmaasException.invalid("Metric '" + name + "' is not reported for this target (multi-class"
                    + " targets report roc_auc, accuracy, balanced_accuracy, f1_macro, log_loss).");
        }
        return v;
    }

    /**
     * Calibration and threshold from a cross-validation's held-out predictions. Several classes:
     * neither (argmax decides). Two: the calibrator is fitted on all held-out rows and its effect is
     * measured cross-fitted; the threshold is chosen on the calibrated probabilities.
     */
    public static Calibration calibrate(CrossValidation.Result cv, CalibrationMethod method, ThresholdRule rule, long seed) {
        double[][] all = cv.outOfFoldProbabilities();
        if (cv.classes().size() != 2) {
            return new Calibration(Optional.empty(), 0.5, "argmax", Double.NaN, Double.NaN, all);
        }
        int[] rows = cv.heldOut();
        double[] oof = new double[rows.length];
        int[] y = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            oof[k] = all[rows[k]][1];
            y[k] = cv.labels()[rows[k]];
        }
        double eceBefore = ClassificationMetrics.expectedCalibrationError(y, oof, 10);
        double eceAfter = Double.NaN;
        double[] calibrated = oof;
        Optional<Calibrator> calibrator = Optional.empty();
        if (method != CalibrationMethod.NONE) {
            calibrator = Optional.of(method.fit(oof, y));
            calibrated = CrossFitting.calibrate(oof, y, method::fit, seed);
            eceAfter = ClassificationMetrics.expectedCalibrationError(y, calibrated, 10);
        }
        double threshold = rule.choose(calibrated, y);
        double[][] heldOut = new double[all.length][];
        for (int k = 0; k < rows.length; k++) {
            heldOut[rows[k]] = new double[] {1 - calibrated[k], calibrated[k]};
        }
        return new Calibration(calibrator, threshold, rule.toString(), eceBefore, eceAfter, heldOut);
    }

    /** Cross-validated metrics as the bundle keeps them: name → {mean, sd}. */
    public static Map<String, Map<String, Double>> metricsForBundle(Map<String, Double> mean, Map<String, Double> sd) {
        Map<String, Map<String, Double>> out = new java.util.LinkedHashMap<>();
        for (String m : mean.keySet()) {
            out.put(m, Map.of("mean", mean.get(m), "sd", sd.get(m)));
        }
        return out;
    }
}
