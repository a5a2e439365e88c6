package org.medmaas.diagnosis;


import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.ColumnDeclaration;
import org.medmaas.data.csv.TableFingerprint;
import org.medmaas.data.preprocess.FittedPipeline;
import org.medmaas.data.preprocess.Impute;
import org.medmaas.data.preprocess.OneHot;
import org.medmaas.data.preprocess.PipelineSpec;
import org.medmaas.data.preprocess.Scale;
import org.medmaas.data.preprocess.StepSpec;
import org.medmaas.data.split.ClassLabels;
import org.medmaas.ml.ExplainableClassifier;
import org.medmaas.ml.Learners;
import org.medmaas.core.BuildInfo;
import org.medmaas.core.bundle.BundleManifest;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.bundle.Provenance;
import org.medmaas.core.json.Json;
import org.medmaas.core.serving.InputField;
import org.medmaas.core.serving.TrainingSummary;
import org.medmaas.data.split.FoldStrategy;
import org.medmaas.ml.evaluation.TrainingRecipe;
import org.medmaas.ml.neural.SequenceModel;
import org.medmaas.ml.search.ModelSearch;
import org.medmaas.ml.neural.SequenceParameters;
import org.medmaas.ml.neural.SequenceTrainer;
import org.medmaas.ml.metrics.ClassificationMetrics;

/**
 * Trains a diagnosis model end to end: chooses the inputs (identifiers, free text and dates are
 * left out), builds the preprocessing, cross-validates each candidate learner with everything
 * fitted inside the training folds, keeps the best, calibrates its probabilities and picks its
 * decision threshold on out-of-fold predictions, refits on all rows and writes a verified bundle.
 */
public final class DiagnosisTrainer {

    /**
     * What training did.
     *
     * @param eceBefore ECE of the chosen model's out-of-fold probabilities
     * @param eceAfter  ECE after calibration, cross-fitted (the calibrator never sees the rows it is scored on)
     */
    public record Outcome(List<TrainingRecipe.CandidateResult> candidates, String chosen,
            Optional<ModelSearch.Outcome> search, List<String> droppedColumns,
            double eceBefore, double eceAfter, double threshold, BundleManifest manifest, DiagnosisSection section, Path bundle) {
    }

    /** What training reports while it runs: a message per stage, and each finished fold. */
    @FunctionalInterface
    public interface Progress extends TrainingRecipe.Progress {
    }

    /** Learners that read visit sequences (see {@link VisitTable}) rather than one row per patient. */
    public static final List<String> SEQUENCE_LEARNERS = List.of("lstm", "gru");

    public Outcome train(DiagnosisTrainingRequest request, Path out, Progress progress) {
        boolean sequences = SEQUENCE_LEARNERS.containsAll(request.candidates());
        Table data = request.data();
        String target = request.target();
        if (sequences && !request.subgroups().isEmpty()) {
            throw MedmaasException.invalid("Subgroup metrics are given for models of one row per patient, not yet for"
                    + " sequence models (lstm, gru).");
        }
        if (sequences && !request.split().equals("stratified")) {
            throw MedmaasException.invalid("Sequence models are cross-validated over patients, stratified; --split "
                    + request.split() + " applies to models of one row per patient.");
        }
        VisitTable visits = sequences ? VisitTable.of(data, target) : null;
        ClassLabels labels = sequences ? visits.labels() : ClassLabels.of(data, target);
        if (labels.classCount() < 2) {
            throw MedmaasException.invalid("The target '" + target + "' has only one class ("
                    + labels.classes().get(0) + "); a diagnosis model needs examples of at least two.");
        }
        List<String> inputs = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (Column c : data.columns()) {
            if (c.name().equals(target) || sequences && c.name().equals(VisitTable.ORDER_COLUMN)) {
                continue;
            }
            if (c.type().isSensitive() || c.type() == ColumnType.DATETIME || c.missingCount() == c.size()) {
                dropped.add(c.name());
            } else {
                inputs.add(c.name());
            }
        }
        if (inputs.isEmpty()) {
            throw MedmaasException.invalid("No usable input columns: every column but the target is an identifier,"
                    + " free text, a date or empty.");
        }
        List<String> kept = new ArrayList<>(inputs);
        kept.add(target);
        Table table = data.select(kept);
        PipelineSpec preprocessing = preprocessing(table, inputs);

        List<TrainingRecipe.CandidateResult> results;
        TrainingRecipe.CandidateResult best;
        TrainingRecipe.Calibration calibration;
        List<String> featureNames;
        Map<String, byte[]> files;
        Map<String, Object> hyperparameters;
        if (sequences) {
            results = new ArrayList<>();
            for (String learner : request.candidates()) {
                progress.stage("Cross-validating " + learner + " (" + request.folds() + " folds over patients)");
                results.add(new TrainingRecipe.CandidateResult(learner, visits.crossValidate(inputs, preprocessing,
                        sequenceTrainer(learner, request), request.folds(), request.seed(), progress::foldDone)));
            }
            best = TrainingRecipe.select(results, request.selectionMetric());
            calibration = TrainingRecipe.calibrate(best.cv(), request.calibration(), request.threshold(), request.seed());
            progress.stage("Fitting " + best.learner() + " on all " + labels.index().length + " patients");
            Table features = table.drop(List.of(target));
            FittedPipeline pipeline = preprocessing.fit(features);
            SequenceTrainer trainer = sequenceTrainer(best.learner(), request);
            try (SequenceModel model = trainer.fit(visits.sequenceData(pipeline.apply(features), labels.classes()))) {
                featureNames = model.featureNames();
                files = model.files();
            }
            hyperparameters = sequenceHyperparameters(trainer.parameters());
            return write(request, out, data, labels, sequences, inputs, table, dropped, results, best, best.learner(),
                    Optional.empty(), calibration, pipeline,
                    featureNames, files, hyperparameters, request.folds() + " folds over patients, stratified");
        }
        // The split is computed on the whole data, so a grouping or time column need not be an input.
        FoldStrategy strategy = FoldStrategy.parse(request.split(), request.folds(), request.seed());
        FoldStrategy folds = FoldStrategy.fixed(strategy.splits(data, target), strategy.describe());
        List<ClassifierTrainer> trainers = request.search().isPresent()
                ? List.of(new ModelSearch(request.candidates(), request.settings(), request.search().get().space(),
                        request.search().get().budget().dividedAmong(folds.splits(data, target).size() + 1),
                        ModelSearch.DEFAULT_INNER_FOLDS, request.selectionMetric(), request.candidates().size() > 1,
                        request.seed()).listening(new ModelSearch.Listener() {
                            @Override
                            public void stage(String message) {
                                progress.stage(message);
                            }

                            @Override
                            public void trialDone() {
                                progress.trialDone();
                            }
                        }))
                : request.candidates().stream().map(learner -> Learners.trainer(learner, request.seed(), request.settings()))
                        .toList();
        TrainingRecipe.ClassifierOutcome outcome = TrainingRecipe.classify(table, target, preprocessing, trainers, folds,
                request.selectionMetric(), request.calibration(), request.threshold(), request.seed(), progress);
        ExplainableClassifier model = (ExplainableClassifier) outcome.model();
        return write(request, out, data, labels, false, inputs, table, dropped, outcome.candidates(), outcome.best(),
                outcome.learner(), outcome.search(), outcome.calibration(), outcome.pipeline(), outcome.featureNames(),
                model.nativeFiles(), outcome.hyperparameters(), strategy.describe());
    }

    /** The bundle: the diagnosis section, provenance and the cross-validated metrics of the kept learner. */
    private static Outcome write(DiagnosisTrainingRequest request, Path out, Table data, ClassLabels labels, boolean sequences,
            List<String> inputs, Table table, List<String> dropped, List<TrainingRecipe.CandidateResult> results,
            TrainingRecipe.CandidateResult best, String learner, Optional<ModelSearch.Outcome> search,
            TrainingRecipe.Calibration calibration, FittedPipeline pipeline,
            List<String> featureNames, Map<String, byte[]> files, Map<String, Object> hyperparameters, String split) {
        String target = request.target();
        Map<String, Map<String, Map<String, Double>>> subgroupMetrics = subgroupMetrics(data, request.subgroups(),
                calibration.heldOut(), best.cv().labels(), calibration.threshold());
        Map<String, Map<String, Double>> metrics = TrainingRecipe.metricsForBundle(best.cv().mean(), best.cv().sd());
        if (!Double.isNaN(calibration.eceAfter())) {
            metrics.put("ece_calibrated", Map.of("mean", calibration.eceAfter(), "sd", 0.0));
        }
        Map<String, Object> trainingData = new LinkedHashMap<>();
        trainingData.put("sha256", TableFingerprint.sha256(data));
        trainingData.put("rows", data.rowCount());
        if (sequences) {
            trainingData.put("patients", labels.index().length);
        }
        trainingData.put("class_counts", classCounts(labels));
        trainingData.put("folds", request.folds());
        if (!request.split().equals("stratified")) {
            trainingData.put("split", split);
        }
        DiagnosisSection section = new DiagnosisSection(target, labels.classes(), calibration.threshold(),
                calibration.rule(), inputFields(table, inputs, request), featureNames,
                Json.tree(pipelineTree(pipeline)), calibration.calibrator().map(Json::tree), subgroupMetrics);
        Provenance provenance = new Provenance(learner, hyperparameters, request.seed(), trainingData,
                Learners.libraryVersions(), BuildInfo.codeVersion());
        BundleManifest manifest = BundleManifest.of(DiagnosisService.TASK, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                provenance, metrics, section);
        ModelBundle bundle = ModelBundle.write(out, manifest, files);
        return new Outcome(results, learner, search, dropped, calibration.eceBefore(), calibration.eceAfter(),
                calibration.threshold(), bundle.manifest(), section, out);
    }

    /**
     * Metrics per group from the kept learner's out-of-fold probabilities (calibrated, at the chosen
     * threshold, as the bundle will predict): each row is scored by a model that did not see it.
     */
    private static Map<String, Map<String, Map<String, Double>>> subgroupMetrics(Table data, List<Subgroups.Spec> specs,
            double[][] probabilities, int[] y, double threshold) {
        Map<String, Map<String, Map<String, Double>>> out = new LinkedHashMap<>();
        for (Subgroups.Spec spec : specs) {
            Map<String, Map<String, Double>> groups = new LinkedHashMap<>();
            Subgroups.rows(data, spec).forEach((group, all) -> {
                // Rows a time-ordered split never held out have no out-of-fold prediction.
                int[] rows = java.util.Arrays.stream(all).filter(r -> probabilities[r] != null).toArray();
                Map<String, Double> metrics = Map.of();
                if (rows.length >= Subgroups.MIN_REPORTED_ROWS) {
                    int[] ySub = new int[rows.length];
                    double[][] pSub = new double[rows.length][];
                    for (int k = 0; k < rows.length; k++) {
                        ySub[k] = y[rows[k]];
                        pSub[k] = probabilities[rows[k]];
                    }
                    metrics = ClassificationMetrics.report(ySub, pSub, threshold);
                }
                groups.put(group, Subgroups.reported(rows.length, metrics));
            });
            out.put(spec.toString(), groups);
        }
        return out;
    }

    static SequenceTrainer sequenceTrainer(String learner, DiagnosisTrainingRequest request) {
        return Learners.sequenceTrainer(learner, request.seed(), request.settings());
    }

    /** The learner's hyperparameters plus how the visit table is keyed, which prediction input must follow. */
    static Map<String, Object> sequenceHyperparameters(SequenceParameters p) {
        Map<String, Object> out = new LinkedHashMap<>(Learners.hyperparameters(p));
        out.put(VisitTable.ID_COLUMN_KEY, VisitTable.ID_COLUMN);
        out.put(VisitTable.ORDER_COLUMN_KEY, VisitTable.ORDER_COLUMN);
        return out;
    }

    private static Object pipelineTree(FittedPipeline pipeline) {
        return Json.parse(pipeline.toJson(), "The fitted preprocessing");
    }

    private static Map<String, Integer> classCounts(ClassLabels labels) {
        Map<String, Integer> out = new LinkedHashMap<>();
        int[] counts = labels.counts();
        for (int c = 0; c < counts.length; c++) {
            out.put(labels.classes().get(c), counts[c]);
        }
        return out;
    }

    /** Median/most-frequent imputation, standard scaling of numbers, one-hot categories (unseen → zeros). */
    static PipelineSpec preprocessing(Table table, List<String> inputs) {
        List<String> numeric = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String name : inputs) {
            ColumnType type = table.column(name).type();
            (type == ColumnType.NUMERIC ? numeric : other).add(name);
        }
        List<StepSpec> steps = new ArrayList<>();
        if (!numeric.isEmpty()) {
            steps.add(new Impute(numeric, Impute.Strategy.MEDIAN, Optional.empty(), false));
            steps.add(new Scale(numeric, Scale.Method.STANDARD));
        }
        if (!other.isEmpty()) {
            steps.add(new Impute(other, Impute.Strategy.MOST_FREQUENT, Optional.empty(), false));
            List<String> categorical = other.stream().filter(n -> table.column(n).type() == ColumnType.CATEGORICAL).toList();
            if (!categorical.isEmpty()) {
                steps.add(new OneHot(categorical, OneHot.UnknownPolicy.IGNORE, false));
            }
        }
        return new PipelineSpec(steps);
    }

    private static List<InputField> inputFields(Table table, List<String> inputs, DiagnosisTrainingRequest request) {
        List<InputField> out = new ArrayList<>();
        for (String name : inputs) {
            Column c = table.column(name);
            Optional<ColumnDeclaration> declared = request.declaredSchema().declaration(name);
            Optional<Double> min = declared.flatMap(d -> d.min().isPresent() ? Optional.of(d.min().getAsDouble()) : Optional.empty());
            Optional<Double> max = declared.flatMap(d -> d.max().isPresent() ? Optional.of(d.max().getAsDouble()) : Optional.empty());
            Optional<Double> observedMin = Optional.empty();
            Optional<Double> observedMax = Optional.empty();
            List<String> levels = List.of();
            if (c instanceof NumericColumn n && n.missingCount() < n.size()) {
                double[] v = n.presentValues();
                observedMin = Optional.of(java.util.Arrays.stream(v).min().orElseThrow());
                observedMax = Optional.of(java.util.Arrays.stream(v).max().orElseThrow());
            } else if (c instanceof CategoricalColumn cat) {
                levels = cat.levels().stream().sorted().toList();
            }
            out.add(new InputField(name, c.type().label(), min, max, observedMin, observedMax, levels,
                    Optional.of(TrainingSummary.of(c)), observedMin.isPresent() ? Optional.of(request.inputTolerance()
                            .orElse(InputField.DEFAULT_TOLERANCE)) : Optional.empty()));
        }
        return out;
    }



}
