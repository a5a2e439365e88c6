package org.medmaas.diagnosis;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.medmaas.core.serving.InputField;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.data.split.FoldStrategy;
import org.medmaas.ml.LearnerSettings;
import org.medmaas.ml.calibration.CalibrationMethod;
import org.medmaas.ml.calibration.ThresholdRule;
import org.medmaas.ml.search.ModelSearch;
import org.medmaas.ml.search.SearchSpace;

/**
 * What to train: the data, the outcome column, the candidate learners (more than one: each is
 * cross-validated and the best by {@code selectionMetric} is kept), and how to calibrate and
 * choose the decision threshold; {@code settings} override the learners' default hyperparameters.
 * {@code subgroups} name columns (of {@code data}, inputs or not) whose groups get their own
 * out-of-fold metrics in the bundle and on the model card. {@code split} says how cross-validation
 * splits the rows: {@code stratified} (the default), {@code random}, {@code group:COLUMN} (all rows of
 * a patient in one fold) or {@code time:COLUMN} (train on the past, test on what follows); see
 * {@link FoldStrategy#parse}.
 */
public record DiagnosisTrainingRequest(Table data, String target, List<String> candidates, int folds, long seed,
        CalibrationMethod calibration, ThresholdRule threshold, String selectionMetric, SchemaFile declaredSchema,
        LearnerSettings settings, List<Subgroups.Spec> subgroups, String split, Optional<Double> inputTolerance,
        Optional<Search> search) {

    /**
     * A hyperparameter search over the candidates (see {@link ModelSearch}), nested in the
     * cross-validation so the figure reported for the model is not the one it was chosen on.
     */
    public record Search(ModelSearch.Budget budget, SearchSpace space) {
    }

    /** A request without a hyperparameter search. */
    public DiagnosisTrainingRequest(Table data, String target, List<String> candidates, int folds, long seed,
            CalibrationMethod calibration, ThresholdRule threshold, String selectionMetric, SchemaFile declaredSchema,
            LearnerSettings settings, List<Subgroups.Spec> subgroups, String split, Optional<Double> inputTolerance) {
        this(data, target, candidates, folds, seed, calibration, threshold, selectionMetric, declaredSchema, settings,
                subgroups, split, inputTolerance, Optional.empty());
    }

    /** A request with the default input tolerance ({@link InputField#DEFAULT_TOLERANCE}). */
    public DiagnosisTrainingRequest(Table data, String target, List<String> candidates, int folds, long seed,
            CalibrationMethod calibration, ThresholdRule threshold, String selectionMetric, SchemaFile declaredSchema,
            LearnerSettings settings, List<Subgroups.Spec> subgroups, String split) {
        this(data, target, candidates, folds, seed, calibration, threshold, selectionMetric, declaredSchema, settings,
                subgroups, split, Optional.empty());
    }

    /** A request split stratified by class. */
    public DiagnosisTrainingRequest(Table data, String target, List<String> candidates, int folds, long seed,
            CalibrationMethod calibration, ThresholdRule threshold, String selectionMetric, SchemaFile declaredSchema,
            LearnerSettings settings, List<Subgroups.Spec> subgroups) {
        this(data, target, candidates, folds, seed, calibration, threshold, selectionMetric, declaredSchema, settings,
                subgroups, "stratified");
    }

    /** A request reporting no subgroups. */
    public DiagnosisTrainingRequest(Table data, String target, List<String> candidates, int folds, long seed,
            CalibrationMethod calibration, ThresholdRule threshold, String selectionMetric, SchemaFile declaredSchema,
            LearnerSettings settings) {
        this(data, target, candidates, folds, seed, calibration, threshold, selectionMetric, declaredSchema, settings, List.of());
    }

    public static final long DEFAULT_SEED = 42L;

    /** A request with every learner at its default hyperparameters. */
    public DiagnosisTrainingRequest(Table data, String target, List<String> candidates, int folds, long seed,
            CalibrationMethod calibration, ThresholdRule threshold, String selectionMetric, SchemaFile declaredSchema) {
        this(data, target, candidates, folds, seed, calibration, threshold, selectionMetric, declaredSchema,
                LearnerSettings.none());
    }

    public DiagnosisTrainingRequest {
        Objects.requireNonNull(data, "data");
        candidates = List.copyOf(candidates);
        subgroups = List.copyOf(subgroups);
        for (Subgroups.Spec s : subgroups) {
            if (!data.has(s.column())) {
                throw MedmaasException.notFound("The subgroup column '" + s.column() + "' is not in the data.");
            }
            if (s.column().equals(target)) {
                throw MedmaasException.invalid("The target '" + target + "' cannot also be a subgroup column.");
            }
        }
        if (candidates.isEmpty()) {
            throw MedmaasException.invalid("Name at least one model to train.");
        }
        if (folds < 2 || folds > 50) {
            throw MedmaasException.invalid("--folds must be between 2 and 50.");
        }
        if (!data.has(target)) {
            throw MedmaasException.notFound("The target column '" + target + "' is not in the data. Columns: "
                    + String.join(", ", data.schema().names()) + ".");
        }
        FoldStrategy.parse(split, folds, seed); // refuses an unknown split now, not after the data is read
        if (inputTolerance.isPresent() && !Double.isFinite(inputTolerance.get())) {
            throw MedmaasException.invalid("--input-tolerance must be a number of training ranges (e.g. 1), or 'off'.");
        }
        if (split.startsWith("group:") && !data.has(split.substring(6)) || split.startsWith("time:") && !data.has(split.substring(5))) {
            throw MedmaasException.notFound("The column of --split " + split + " is not in the data.");
        }
        boolean anySequence = candidates.stream().anyMatch(DiagnosisTrainer.SEQUENCE_LEARNERS::contains);
        if (anySequence && !DiagnosisTrainer.SEQUENCE_LEARNERS.containsAll(candidates)) {
            throw MedmaasException.invalid("Sequence models (lstm, gru) read visit sequences and tabular models (lr, mlp,"
                    + " gbt, rf) one row per patient; train them separately.");
        }
        if (search.isPresent() && anySequence) {
            throw MedmaasException.invalid("--search tunes models of one row per patient (lr, mlp, gbt, rf), not sequence"
                    + " models; give lstm or gru their settings with --config.");
        }
        if (!List.of("roc_auc", "pr_auc", "accuracy", "balanced_accuracy", "f1", "log_loss", "brier").contains(selectionMetric)) {
            throw MedmaasException.invalid("--metric must be one of roc_auc, pr_auc, accuracy, balanced_accuracy, f1,"
                    + " log_loss, brier.");
        }
    }
}
