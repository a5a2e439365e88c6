package org.medmaas.diagnosis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.ColumnDeclaration;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.data.preprocess.FittedPipeline;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.ExplainableClassifier;
import org.medmaas.ml.Explanation;
import org.medmaas.ml.FeatureMatrix;
import org.medmaas.ml.Learners;
import org.medmaas.ml.bundle.BundleManifest;
import org.medmaas.ml.bundle.InputField;
import org.medmaas.ml.bundle.ModelBundle;
import org.medmaas.ml.calibration.Calibrator;
import org.medmaas.ml.neural.SequenceModel;
import org.medmaas.ml.metrics.ClassificationMetrics;

/**
 * A trained diagnosis model loaded from a verified bundle: it checks inputs against the
 * training schema, applies the stored preprocessing, scores, calibrates, applies the stored
 * threshold and explains. Immutable and thread-safe.
 */
public final class DiagnosisModel {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module());

    private final BundleManifest manifest;
    private final FittedPipeline pipeline;
    /** The model of one row per patient, or… */
    private final Optional<ProbabilisticClassifier> model;
    /** …the model of visit sequences (lstm, gru), which scores one patient per group of visit rows. */
    private final Optional<SequenceModel> sequenceModel;
    private final Optional<Calibrator> calibrator;

    private DiagnosisModel(BundleManifest manifest, FittedPipeline pipeline, Optional<ProbabilisticClassifier> model,
            Optional<SequenceModel> sequenceModel, Optional<Calibrator> calibrator) {
        this.manifest = manifest;
        this.pipeline = pipeline;
        this.model = model;
        this.sequenceModel = sequenceModel;
        this.calibrator = calibrator;
    }

    public static DiagnosisModel load(Path bundleDir) {
        ModelBundle bundle = ModelBundle.read(bundleDir);
        BundleManifest m = bundle.manifest();
        if (!"diagnosis".equals(m.task())) {
            throw new MedmaasException(ErrorCode.INVALID_INPUT, bundleDir + " holds a " + m.task() + " model, not a diagnosis model.");
        }
        FittedPipeline pipeline = FittedPipeline.fromJson(m.preprocessing().toString(), bundleDir + "/manifest.json");
        boolean sequences = Learners.SEQUENCE_NAMES.contains(m.learner());
        Optional<ProbabilisticClassifier> model = sequences ? Optional.empty()
                : Optional.of(Learners.load(m.learner(), bundle.files(), m.features(), m.classes()));
        Optional<SequenceModel> sequenceModel = sequences
                ? Optional.of(SequenceModel.fromFiles(bundle.files(), m.features(), m.classes())) : Optional.empty();
        Optional<Calibrator> calibrator = m.calibration().map(node -> {
            try {
                return JSON.treeToValue(node, Calibrator.class);
            } catch (java.io.IOException e) {
                throw new MedmaasException(ErrorCode.INTEGRITY, "The bundle's calibration is unreadable.");
            }
        });
        return new DiagnosisModel(m, pipeline, model, sequenceModel, calibrator);
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** The schema to read prediction input with: the training types, and any declared ranges. */
    public SchemaFile inputSchema() {
        List<ColumnDeclaration> declarations = new ArrayList<>();
        for (InputField f : manifest.inputs()) {
            declarations.add(new ColumnDeclaration(f.name(), ColumnType.fromLabel(f.type()),
                    f.min().map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                    f.max().map(OptionalDouble::of).orElse(OptionalDouble.empty()), List.of(), Optional.empty()));
        }
        return new SchemaFile(declarations, Optional.empty(), Optional.empty());
    }

    /**
     * Checks a table against the model's inputs: every input present with its type; no other
     * columns but identifiers and the target; numbers within declared ranges. Errors name the
     * columns (all of them at once), never values.
     */
    public void validate(Table input) {
        List<String> problems = new ArrayList<>();
        Set<String> expected = new java.util.HashSet<>();
        for (InputField f : manifest.inputs()) {
            expected.add(f.name());
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
        }
        if (sequenceModel.isPresent()) {
            expected.add(VisitTable.ORDER_COLUMN);
        }
        for (Column c : input.columns()) {
            if (!expected.contains(c.name()) && !c.name().equals(manifest.target()) && c.type() != ColumnType.IDENTIFIER) {
                problems.add("unexpected column '" + c.name() + "' (the model was not trained with it)");
            }
        }
        if (input.rowCount() == 0) {
            problems.add("no rows");
        }
        if (!problems.isEmpty()) {
            throw MedmaasException.invalid("The input does not fit model '" + manifest.target() + "' ("
                    + manifest.learner() + "): " + String.join("; ", problems) + ".");
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

    /** Validated, preprocessed model inputs: the one place a table becomes the model's numbers. */
    private double[][] features(Table input) {
        validate(input);
        List<String> inputs = manifest.inputs().stream().map(InputField::name).toList();
        return FeatureMatrix.matrix(pipeline.apply(input.select(inputs)), manifest.features());
    }

    private double[][] probabilitiesOf(Table input, double[][] x) {
        double[][] p = sequenceModel.isPresent()
                ? sequenceModel.get().predictProbabilities(VisitTable.grouped(input).sequences(x))
                : model.orElseThrow().predictProbabilities(x);
        if (calibrator.isPresent() && manifest.classes().size() == 2) {
            for (double[] row : p) {
                row[1] = calibrator.get().calibrate(row[1]);
                row[0] = 1 - row[1];
            }
        }
        return p;
    }

    public List<DiagnosisPrediction> predict(Table input, int topFeatures) {
        double[][] x = features(input);
        double[][] p = probabilitiesOf(input, x);
        boolean binary = manifest.classes().size() == 2;
        List<DiagnosisPrediction> out = new ArrayList<>(p.length);
        for (int i = 0; i < p.length; i++) {
            Map<String, Double> byClass = new LinkedHashMap<>();
            int best = 0;
            for (int c = 0; c < p[i].length; c++) {
                byClass.put(manifest.classes().get(c), p[i][c]);
                if (p[i][c] > p[i][best]) {
                    best = c;
                }
            }
            String label = binary ? manifest.classes().get(p[i][1] >= manifest.threshold() ? 1 : 0) : manifest.classes().get(best);
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
            out.add(new DiagnosisPrediction(i + 1, byClass, label, manifest.threshold(), explanation));
        }
        return out;
    }

    /**
     * Global importance: each feature's mean absolute contribution over the given rows (binary
     * models), strongest first.
     */
    public List<DiagnosisPrediction.FeatureContribution> globalImportance(Table input) {
        if (manifest.classes().size() != 2 || !(model.orElse(null) instanceof ExplainableClassifier explainable)) {
            throw MedmaasException.invalid("Feature importance is given for binary models that can explain"
                    + " (an imported ONNX model needs an explanation background: import it with --background;"
                    + " sequence models are not explained yet).");
        }
        double[][] x = features(input);
        double[] sum = new double[manifest.features().size()];
        for (double[] row : x) {
            double[] c = explainable.explain(row).contributions();
            for (int j = 0; j < c.length; j++) {
                sum[j] += Math.abs(c[j]);
            }
        }
        List<DiagnosisPrediction.FeatureContribution> out = new ArrayList<>();
        for (int j = 0; j < sum.length; j++) {
            out.add(new DiagnosisPrediction.FeatureContribution(manifest.features().get(j), sum[j] / x.length));
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
    public Map<String, Double> evaluate(Table labeled) {
        if (!labeled.has(manifest.target())) {
            throw MedmaasException.invalid("Evaluation needs the target column '" + manifest.target() + "' in the data.");
        }
        double[][] p = probabilities(labeled);
        Column target = labeled.column(manifest.target());
        int[] rowOf = sequenceModel.isPresent() ? VisitTable.of(labeled, manifest.target()).firstRows()
                : java.util.stream.IntStream.range(0, labeled.rowCount()).toArray();
        int[] y = new int[rowOf.length];
        for (int k = 0; k < y.length; k++) {
            int i = rowOf[k];
            if (target.isMissing(i)) {
                throw MedmaasException.invalid("Target column '" + manifest.target() + "' row " + (i + 1) + " is missing.");
            }
            y[k] = manifest.classes().indexOf(target.format(i));
            if (y[k] < 0) {
                throw MedmaasException.invalid("Target column '" + manifest.target() + "' row " + (i + 1)
                        + " holds a class the model does not know.");
            }
        }
        return ClassificationMetrics.report(y, p, manifest.threshold());
    }
}
