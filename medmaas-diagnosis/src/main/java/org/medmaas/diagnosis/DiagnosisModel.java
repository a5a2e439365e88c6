package org.medmaas.diagnosis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.data.preprocess.FittedPipeline;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.ExplainableClassifier;
import org.medmaas.ml.Explanation;
import org.medmaas.ml.FeatureMatrix;
import org.medmaas.ml.Learners;
import org.medmaas.core.bundle.BundleManifest;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.json.Json;
import org.medmaas.core.serving.InputField;
import org.medmaas.core.serving.OutputSpec;
import org.medmaas.core.serving.ServedModel;
import org.medmaas.data.records.JsonRecords;
import org.medmaas.ml.calibration.Calibrator;
import org.medmaas.ml.neural.SequenceModel;
import org.medmaas.ml.metrics.ClassificationMetrics;

/**
 * A trained diagnosis model loaded from a verified bundle: it checks inputs against the
 * training schema, applies the stored preprocessing, scores, calibrates, applies the stored
 * threshold and explains. Served through the {@link ServedModel} port. Immutable and thread-safe.
 */
public final class DiagnosisModel implements ServedModel {

    /** The most features one prediction is explained with. */
    public static final int MAX_EXPLANATION = 20;

    private final BundleManifest manifest;
    private final DiagnosisSection section;
    private final List<OutputSpec> outputs;
    /** Each input's training levels (empty but for categories), for refusing a category the model never saw. */
    private final Map<String, Set<String>> levels = new java.util.HashMap<>();
    private final FittedPipeline pipeline;
    /** Built once: every served request reads its records and selects its inputs with them. */
    private final JsonRecords.Reader recordReader;
    private final List<String> inputNames;
    /** The model of one row per patient, or… */
    private final Optional<ProbabilisticClassifier> model;
    /** …the model of visit sequences (lstm, gru), which scores one patient per group of visit rows. */
    private final Optional<SequenceModel> sequenceModel;
    private final Optional<Calibrator> calibrator;

    private DiagnosisModel(BundleManifest manifest, DiagnosisSection section, FittedPipeline pipeline,
            Optional<ProbabilisticClassifier> model, Optional<SequenceModel> sequenceModel, Optional<Calibrator> calibrator) {
        this.manifest = manifest;
        this.section = section;
        this.outputs = List.of(new OutputSpec("probabilities", "FP64", List.of(section.classes().size())),
                new OutputSpec("label", "BYTES", List.of()));
        section.inputs().forEach(f -> levels.put(f.name(), Set.copyOf(f.levels())));
        this.recordReader = new JsonRecords.Reader(section.inputs());
        this.inputNames = section.inputs().stream().map(InputField::name).toList();
        this.pipeline = pipeline;
        this.model = model;
        this.sequenceModel = sequenceModel;
        this.calibrator = calibrator;
    }

    public static DiagnosisModel load(Path bundleDir) {
        return load(ModelBundle.read(bundleDir), bundleDir.toString());
    }

    /** A diagnosis model from a verified bundle; {@code source} names it in messages. */
    public static DiagnosisModel load(ModelBundle bundle, String source) {
        BundleManifest m = bundle.manifest();
        if (!DiagnosisService.TASK.equals(m.task())) {
            throw new MedmaasException(ErrorCode.INVALID_INPUT, source + " holds a " + m.task() + " model, not a diagnosis model.");
        }
        DiagnosisSection s = m.section(DiagnosisSection.class);
        FittedPipeline pipeline = FittedPipeline.fromJson(s.preprocessing().toString(), source + "/manifest.json");
        String learner = m.provenance().learner();
        boolean sequences = Learners.SEQUENCE_NAMES.contains(learner);
        Optional<ProbabilisticClassifier> model = sequences ? Optional.empty()
                : Optional.of(Learners.load(learner, bundle.files(), s.features(), s.classes()));
        Optional<SequenceModel> sequenceModel = sequences
                ? Optional.of(SequenceModel.fromFiles(bundle.files(), s.features(), s.classes())) : Optional.empty();
        Optional<Calibrator> calibrator = s.calibration().map(node -> Json.convert(node, Calibrator.class,
                "The bundle's calibration"));
        return new DiagnosisModel(m, s, pipeline, model, sequenceModel, calibrator);
    }

    @Override
    public BundleManifest manifest() {
        return manifest;
    }

    /** The diagnosis part of the manifest: target, classes, threshold, inputs, features, preprocessing. */
    public DiagnosisSection section() {
        return section;
    }

    /** The learner's short name ("lr", "gbt", "lstm", …). */
    public String learner() {
        return manifest.provenance().learner();
    }

    @Override
    public String task() {
        return DiagnosisService.TASK;
    }

    /** Reads request records (JSON) for this model's inputs; see {@link JsonRecords}. */
    public JsonRecords.Reader recordReader() {
        return recordReader;
    }

    @Override
    public List<InputField> inputs() {
        return section.inputs();
    }

    @Override
    public List<OutputSpec> outputs() {
        return outputs;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("classes", String.join(",", section.classes()));
        out.put("threshold", section.threshold());
        return out;
    }

    @Override
    public boolean flatRows() {
        return sequenceModel.isEmpty();
    }

    @Override
    public int maxExplanation() {
        return sequenceModel.isEmpty() ? MAX_EXPLANATION : 0;
    }

    /** The schema to read prediction input with: the training types, and any declared ranges. */
    public SchemaFile inputSchema() {
        return SchemaFile.forInputs(section.inputs());
    }

    /**
     * Checks a table against the model's inputs: every input present with its type; no other
     * columns but identifiers and the target; numbers within declared ranges. Errors name the
     * columns (all of them at once), never values.
     */
    @Override
    public void validate(Table input) {
        List<String> problems = new ArrayList<>();
        for (InputField f : section.inputs()) {
            if (!input.has(f.name())) {
                problems.add("missing column '" + f.name() + "' (" + f.type() + ")");
                continue;
            }
            Column c = input.column(f.name());
            if (!c.type().label().equals(f.type())) {
                problems.add("column '" + f.name() + "' is " + c.type().label() + ", the model expects " + f.type());
                continue;
            }
            if (c instanceof NumericColumn n) {
                for (int i = 0; i < n.size(); i++) {
                    if (n.isMissing(i)) {
                        continue;
                    }
                    double v = n.get(i);
                    if (f.min().isPresent() && v < f.min().get() || f.max().isPresent() && v > f.max().get()) {
                        problems.add("column '" + f.name() + "' row " + (i + 1) + " is outside the allowed range ["
                                + f.min().map(String::valueOf).orElse("-∞") + ", " + f.max().map(String::valueOf).orElse("∞") + "]");
                        break;
                    }
                }
            }
            if (c instanceof org.medmaas.core.table.CategoricalColumn cat && !f.levels().isEmpty()) {
                Set<String> known = levels.get(f.name());
                for (int i = 0; i < cat.size(); i++) {
                    if (!cat.isMissing(i) && !known.contains(cat.format(i))) {
                        problems.add("column '" + f.name() + "' row " + (i + 1) + " " + JsonRecords.unknownCategory(f));
                        break;
                    }
                }
            }
        }
        for (Column c : input.columns()) {
            boolean anInput = levels.containsKey(c.name()); // every input has an entry there, with or without levels
            boolean visitOrder = sequenceModel.isPresent() && c.name().equals(VisitTable.ORDER_COLUMN);
            if (!anInput && !visitOrder && !c.name().equals(section.target()) && c.type() != ColumnType.IDENTIFIER) {
                problems.add("unexpected column '" + c.name() + "' (the model was not trained with it)");
            }
        }
        if (input.rowCount() == 0) {
            problems.add("no rows");
        }
        if (!problems.isEmpty()) {
            throw MedmaasException.invalid("The input does not fit model '" + section.target() + "' ("
                    + learner() + "): " + String.join("; ", problems) + ".");
        }
    }

    /** Whether the model reads visit sequences (one prediction per patient) rather than one row per patient. */
    public boolean readsSequences() {
        return sequenceModel.isPresent();
    }

    /**
     * Probabilities per row — per patient, in order of first appearance, for a sequence model —
     * calibrated if the model was, in class order.
     */
    public double[][] probabilities(Table input) {
        return probabilitiesOf(input, features(input));
    }

    /** The model's own probabilities before the bundle's calibration, per row, in class order (what a recalibration fits on). */
    public double[][] uncalibratedProbabilities(Table input) {
        double[][] x = features(input);
        return sequenceModel.isPresent()
                ? sequenceModel.get().predictProbabilities(VisitTable.grouped(input).sequences(x))
                : model.orElseThrow().predictProbabilities(x);
    }

    /** Validated, preprocessed model inputs: the one place a table becomes the model's numbers. */
    private double[][] features(Table input) {
        validate(input);
        return FeatureMatrix.matrix(pipeline.apply(input.select(inputNames)), section.features());
    }

    private double[][] probabilitiesOf(Table input, double[][] x) {
        double[][] p = sequenceModel.isPresent()
                ? sequenceModel.get().predictProbabilities(VisitTable.grouped(input).sequences(x))
                : model.orElseThrow().predictProbabilities(x);
        if (calibrator.isPresent() && section.classes().size() == 2) {
            for (double[] row : p) {
                row[1] = calibrator.get().calibrate(row[1]);
                row[0] = 1 - row[1];
            }
        }
        return p;
    }

    @Override
    public List<DiagnosisPrediction> predict(Table input, int topFeatures) {
        double[][] x = features(input);
        double[][] p = probabilitiesOf(input, x);
        boolean binary = section.classes().size() == 2;
        List<DiagnosisPrediction> out = new ArrayList<>(p.length);
        for (int i = 0; i < p.length; i++) {
            Map<String, Double> byClass = new LinkedHashMap<>();
            int best = 0;
            for (int c = 0; c < p[i].length; c++) {
                byClass.put(section.classes().get(c), p[i][c]);
                if (p[i][c] > p[i][best]) {
                    best = c;
                }
            }
            String label = binary ? section.classes().get(p[i][1] >= section.threshold() ? 1 : 0) : section.classes().get(best);
            Optional<DiagnosisPrediction.Explanation> explanation = Optional.empty();
            if (binary && topFeatures > 0 && model.orElse(null) instanceof ExplainableClassifier explainable) {
                Explanation e = explainable.explain(x[i]);
                List<DiagnosisPrediction.FeatureContribution> contributions = new ArrayList<>();
                for (int j = 0; j < e.contributions().length; j++) {
                    contributions.add(new DiagnosisPrediction.FeatureContribution(e.features().get(j), e.contributions()[j]));
                }
                contributions.sort(Comparator.comparingDouble((DiagnosisPrediction.FeatureContribution f) ->
                        Math.abs(f.contribution())).reversed());
                explanation = Optional.of(new DiagnosisPrediction.Explanation(e.baseline(),
                        contributions.subList(0, Math.min(topFeatures, contributions.size()))));
            }
            out.add(new DiagnosisPrediction(i + 1, byClass, label, section.threshold(), explanation));
        }
        return out;
    }

    /**
     * Global importance: each feature's mean absolute contribution over the given rows (binary
     * models), strongest first.
     */
    public List<DiagnosisPrediction.FeatureContribution> globalImportance(Table input) {
        if (section.classes().size() != 2 || !(model.orElse(null) instanceof ExplainableClassifier explainable)) {
            throw MedmaasException.invalid("Feature importance is given for binary models that can explain"
                    + " (an imported ONNX model needs an explanation background: import it with --background;"
                    + " sequence models are not explained yet).");
        }
        double[][] x = features(input);
        double[] sum = new double[section.features().size()];
        for (double[] row : x) {
            double[] c = explainable.explain(row).contributions();
            for (int j = 0; j < c.length; j++) {
                sum[j] += Math.abs(c[j]);
            }
        }
        List<DiagnosisPrediction.FeatureContribution> out = new ArrayList<>();
        for (int j = 0; j < sum.length; j++) {
            out.add(new DiagnosisPrediction.FeatureContribution(section.features().get(j), sum[j] / x.length));
        }
        out.sort(Comparator.comparingDouble(DiagnosisPrediction.FeatureContribution::contribution).reversed());
        return out;
    }

    /**
     * Metrics per subgroup of a column (e.g. sex, or age bands), to expose unequal performance
     * (see {@link Subgroups}). Groups too small to report carry only {@code suppressed = 1};
     * groups with a single class report only what is defined.
     */
    public Map<String, Map<String, Double>> evaluateBySubgroup(Table labeled, String column, List<Double> bandEdges) {
        if (sequenceModel.isPresent()) {
            throw MedmaasException.invalid("Subgroup metrics are given for models of one row per patient, not yet for"
                    + " sequence models.");
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        Subgroups.rows(labeled, new Subgroups.Spec(column, bandEdges)).forEach((group, rows) ->
                out.put(group, Subgroups.reported(rows.length, rows.length < Subgroups.MIN_REPORTED_ROWS ? Map.of()
                        : evaluate(labeled.take(rows)))));
        return out;
    }

    /** Metrics on labeled data (the target column must be present), at the stored threshold. */
    @Override
    public Map<String, Double> evaluate(Table labeled) {
        if (!labeled.has(section.target())) {
            throw MedmaasException.invalid("Evaluation needs the target column '" + section.target() + "' in the data.");
        }
        double[][] p = probabilities(labeled);
        Column target = labeled.column(section.target());
        int[] rowOf = sequenceModel.isPresent() ? VisitTable.of(labeled, section.target()).firstRows()
                : java.util.stream.IntStream.range(0, labeled.rowCount()).toArray();
        int[] y = new int[rowOf.length];
        for (int k = 0; k < y.length; k++) {
            int i = rowOf[k];
            if (target.isMissing(i)) {
                throw MedmaasException.invalid("Target column '" + section.target() + "' row " + (i + 1) + " is missing.");
            }
            y[k] = section.classes().indexOf(target.format(i));
            if (y[k] < 0) {
                throw MedmaasException.invalid("Target column '" + section.target() + "' row " + (i + 1)
                        + " holds a class the model does not know.");
            }
        }
        return ClassificationMetrics.report(y, p, section.threshold());
    }
}
