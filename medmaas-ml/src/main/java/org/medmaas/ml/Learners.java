package org.medmaas.ml;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.medmaas.core.BuildInfo;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.explain.KernelShap;
import org.medmaas.ml.explain.KernelShapExplained;
import org.medmaas.ml.neural.MlpModel;
import org.medmaas.ml.neural.MlpParameters;
import org.medmaas.ml.neural.MlpTrainer;
import org.medmaas.ml.neural.SequenceParameters;
import org.medmaas.ml.neural.SequenceTrainer;
import org.medmaas.ml.onnx.OnnxClassifier;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.ml.linear.LogisticRegressionModel;
import org.medmaas.ml.linear.LogisticRegressionParameters;
import org.medmaas.ml.linear.LogisticRegressionTrainer;
import org.medmaas.ml.linear.SoftmaxRegressionModel;
import org.medmaas.ml.linear.SoftmaxRegressionTrainer;
import org.medmaas.ml.trees.GradientBoostedTreesModel;
import org.medmaas.ml.trees.GradientBoostedTreesTrainer;
import org.medmaas.ml.trees.GradientBoostingParameters;
import org.medmaas.ml.trees.RandomForestParameters;
import org.medmaas.ml.trees.RandomForestTrainer;

/** The learners by their short names, with their default settings and how to reload them from a bundle. */
public final class Learners {

    /** Names accepted by {@link #trainer}: learners of one row per patient. */
    public static final List<String> NAMES = List.of("lr", "mlp", "gbt", "rf");

    /**
     * The learners {@code --model auto} searches and ensembles. Not the MLP: on tables of a few
     * hundred to a few thousand rows it has not beaten these here (docs/benchmarks.md) and costs
     * the most per fit; name it to include it.
     */
    public static final List<String> AUTO = List.of("lr", "gbt", "rf");

    /** Names accepted by {@link #sequenceTrainer}: learners of visit sequences. */
    public static final List<String> SEQUENCE_NAMES = List.of("lstm", "gru");

    private Learners() {
    }

    /** A learner with its default hyperparameters. */
    public static ClassifierTrainer trainer(String name, long seed) {
        return trainer(name, seed, LearnerSettings.none());
    }

    /** A learner with the user's settings over the defaults; unknown keys and bad values are errors naming the key. */
    public static ClassifierTrainer trainer(String name, long seed, LearnerSettings settings) {
        LearnerSettings.Reader s = new LearnerSettings.Reader(name, settings.of(name));
        ClassifierTrainer trainer = switch (name) {
            case "lr" -> {
                LogisticRegressionParameters p = new LogisticRegressionParameters(penalty(s.text("penalty", "L2")),
                        s.number("C", 1.0), s.flag("balanced", false), s.flag("regularize_bias", false),
                        s.number("tolerance", 1e-4), s.integer("max_iterations", 1000), seed);
                // Several classes: softmax by default (as scikit-learn's default solver), one-vs-rest on request or with L1.
                String multiclass = s.text("multiclass", p.penalty() == LogisticRegressionParameters.Penalty.L2 ? "softmax" : "ovr");
                yield switch (multiclass) {
                    case "softmax" -> new SoftmaxRegressionTrainer(p);
                    case "ovr" -> new LogisticRegressionTrainer(p);
                    default -> throw MedmaasException.invalid("Setting 'multiclass' for lr must be softmax or ovr.");
                };
            }
            case "gbt" -> new GradientBoostedTreesTrainer(new GradientBoostingParameters(s.integer("rounds", 100),
                    s.integer("max_depth", 3), s.number("eta", 0.1), s.number("subsample", 1.0),
                    s.number("colsample_bytree", 1.0), s.number("min_child_weight", 1.0), s.number("lambda", 1.0),
                    s.integer("early_stopping_rounds", 0), s.number("validation_share", 0.1), s.flag("balanced", false),
                    s.integer("threads", 2), seed));
            case "rf" -> {
                RandomForestParameters d = RandomForestParameters.defaults(seed);
                yield new RandomForestTrainer(new RandomForestParameters(s.integer("trees", d.trees()),
                        s.integer("max_depth", d.maxDepth()), s.number("max_features", d.maxFeatures()),
                        s.number("sample_share", d.sampleShare()), s.number("min_child_weight", d.minChildWeight()),
                        s.flag("balanced", d.balanced()), s.integer("threads", d.threads()), seed));
            }
            case "mlp" -> {
                MlpParameters d = MlpParameters.defaults(seed);
                yield new MlpTrainer(new MlpParameters(s.integers("hidden", d.hidden()), s.number("dropout", d.dropout()),
                        s.number("learning_rate", d.learningRate()), s.number("weight_decay", d.weightDecay()),
                        s.integer("batch_size", d.batchSize()), s.integer("epochs", d.maxEpochs()),
                        s.integer("patience", d.patience()), s.number("validation_share", d.validationShare()),
                        s.flag("balanced", d.balanced()), seed));
            }
            default -> throw MedmaasException.invalid("Unknown model '" + name + "'. Use one of: "
                    + String.join(", ", NAMES) + (SEQUENCE_NAMES.contains(name)
                    ? " (" + name + " reads visit sequences, not one row per patient)." : "."));
        };
        s.done();
        return trainer;
    }

    /** The regression learners, for continuous targets (drug properties, lengths of stay). */
    public static final List<String> REGRESSION_NAMES = List.of("ridge", "gbt");

    /** A regression learner with the user's settings over the defaults; unknown keys are errors naming the key. */
    public static org.medmaas.core.model.RegressorTrainer regressor(String name, long seed, LearnerSettings settings) {
        LearnerSettings.Reader s = new LearnerSettings.Reader(name, settings.of(name));
        org.medmaas.core.model.RegressorTrainer trainer = switch (name) {
            case "ridge" -> new org.medmaas.ml.linear.RidgeRegressionTrainer(s.number("alpha", 1.0));
            case "gbt" -> new org.medmaas.ml.trees.GradientBoostedRegressionTrainer(new GradientBoostingParameters(
                    s.integer("rounds", 100), s.integer("max_depth", 3), s.number("eta", 0.1), s.number("subsample", 1.0),
                    s.number("colsample_bytree", 1.0), s.number("min_child_weight", 1.0), s.number("lambda", 1.0), 0, 0.1,
                    false, s.integer("threads", 2), seed));
            default -> throw MedmaasException.invalid("Unknown regression model '" + name + "'. Use one of: "
                    + String.join(", ", REGRESSION_NAMES) + ".");
        };
        s.done();
        return trainer;
    }

    /** A sequence learner (lstm or gru) with the user's settings over the defaults. */
    public static SequenceTrainer sequenceTrainer(String name, long seed, LearnerSettings settings) {
        if (!SEQUENCE_NAMES.contains(name)) {
            throw MedmaasException.invalid("Unknown sequence model '" + name + "'. Use one of: "
                    + String.join(", ", SEQUENCE_NAMES) + ".");
        }
        LearnerSettings.Reader s = new LearnerSettings.Reader(name, settings.of(name));
        SequenceParameters d = SequenceParameters.defaults(seed);
        SequenceTrainer trainer = new SequenceTrainer(new SequenceParameters(SequenceParameters.Cell.parse(name),
                s.integer("hidden", d.hidden()), s.integer("layers", d.layers()), s.number("dropout", d.dropout()),
                s.number("learning_rate", d.learningRate()), s.number("weight_decay", d.weightDecay()),
                s.integer("batch_size", d.batchSize()), s.integer("epochs", d.maxEpochs()), s.integer("patience", d.patience()),
                s.number("validation_share", d.validationShare()), s.integer("max_visits", d.maxVisits()),
                s.flag("balanced", d.balanced()), seed));
        s.done();
        return trainer;
    }

    /** The hyperparameters of a sequence learner, for the bundle manifest. */
    public static Map<String, Object> hyperparameters(SequenceParameters p) {
        return Map.ofEntries(Map.entry("hidden", p.hidden()), Map.entry("layers", p.layers()),
                Map.entry("dropout", p.dropout()), Map.entry("learning_rate", p.learningRate()),
                Map.entry("weight_decay", p.weightDecay()), Map.entry("batch_size", p.batchSize()),
                Map.entry("epochs", p.maxEpochs()), Map.entry("patience", p.patience()),
                Map.entry("validation_share", p.validationShare()), Map.entry("max_visits", p.maxVisits()),
                Map.entry("balanced", p.balanced()));
    }

    private static Map<String, Object> lrHyperparameters(LogisticRegressionParameters p, String multiclass) {
        return Map.of("penalty", p.penalty().name(), "C", p.c(), "balanced", p.balanced(), "regularize_bias",
                p.regularizeBias(), "tolerance", p.tolerance(), "max_iterations", p.maxIterations(), "multiclass", multiclass);
    }

    private static LogisticRegressionParameters.Penalty penalty(String name) {
        return switch (name.toUpperCase(java.util.Locale.ROOT)) {
            case "L1" -> LogisticRegressionParameters.Penalty.L1;
            case "L2" -> LogisticRegressionParameters.Penalty.L2;
            default -> throw MedmaasException.invalid("Setting 'penalty' for lr must be l1 or l2.");
        };
    }

    /** The hyperparameters of a trainer, for the bundle manifest. */
    public static Map<String, Object> hyperparameters(ClassifierTrainer trainer) {
        return switch (trainer) {
            case LogisticRegressionTrainer lr -> lrHyperparameters(lr.parameters(), "ovr");
            case SoftmaxRegressionTrainer lr -> lrHyperparameters(lr.parameters(), "softmax");
            case GradientBoostedTreesTrainer gbt -> Map.ofEntries(Map.entry("rounds", gbt.parameters().rounds()),
                    Map.entry("max_depth", gbt.parameters().maxDepth()), Map.entry("eta", gbt.parameters().eta()),
                    Map.entry("subsample", gbt.parameters().subsample()),
                    Map.entry("colsample_bytree", gbt.parameters().colsampleByTree()),
                    Map.entry("min_child_weight", gbt.parameters().minChildWeight()),
                    Map.entry("lambda", gbt.parameters().lambda()),
                    Map.entry("early_stopping_rounds", gbt.parameters().earlyStoppingRounds()),
                    Map.entry("validation_share", gbt.parameters().validationShare()),
                    Map.entry("balanced", gbt.parameters().balanced()), Map.entry("threads", gbt.parameters().threads()));
            case RandomForestTrainer rf -> Map.of("trees", rf.parameters().trees(), "max_depth", rf.parameters().maxDepth(),
                    "max_features", rf.parameters().maxFeatures(), "sample_share", rf.parameters().sampleShare(),
                    "min_child_weight", rf.parameters().minChildWeight(), "balanced", rf.parameters().balanced(),
                    "threads", rf.parameters().threads());
            case MlpTrainer mlp -> Map.of("hidden", mlp.parameters().hidden(), "dropout", mlp.parameters().dropout(),
                    "learning_rate", mlp.parameters().learningRate(), "weight_decay", mlp.parameters().weightDecay(),
                    "batch_size", mlp.parameters().batchSize(), "epochs", mlp.parameters().maxEpochs(),
                    "patience", mlp.parameters().patience(), "validation_share", mlp.parameters().validationShare(),
                    "balanced", mlp.parameters().balanced());
            default -> Map.of();
        };
    }

    /**
     * Rebuilds a model from its bundle files. Learners without an exact explanation come back
     * explainable with Kernel SHAP when the bundle holds its background.
     */
    public static ProbabilisticClassifier load(String learner, Map<String, byte[]> files, List<String> features,
            List<String> classes) {
        return switch (learner) {
            case "onnx" -> withKernelShap(OnnxClassifier.load(file(files, OnnxClassifier.NATIVE_FILE), features, classes),
                    Map.of(OnnxClassifier.NATIVE_FILE, file(files, OnnxClassifier.NATIVE_FILE)), files);
            case "lr" -> files.containsKey(SoftmaxRegressionModel.NATIVE_FILE)
                    ? SoftmaxRegressionModel.fromJson(files.get(SoftmaxRegressionModel.NATIVE_FILE), features, classes)
                    : LogisticRegressionModel.fromLiblinearText(
                            new String(file(files, LogisticRegressionModel.NATIVE_FILE), StandardCharsets.UTF_8), features, classes);
            case "ensemble" -> org.medmaas.ml.search.EnsembleModel.load(files,
                    (member, own) -> load(member, own, features, classes));
            case "gbt", "rf" -> GradientBoostedTreesModel.fromXgboostJson(file(files, GradientBoostedTreesModel.NATIVE_FILE),
                    features, classes);
            case "mlp" -> {
                MlpModel mlp = MlpModel.fromFiles(files, features, classes);
                yield withKernelShap(mlp, mlp.files(), files);
            }
            default -> throw new MedmaasException(ErrorCode.INTEGRITY,
                    "The bundle names an unknown learner '" + learner + "'.");
        };
    }

    private static ProbabilisticClassifier withKernelShap(ProbabilisticClassifier model, Map<String, byte[]> modelFiles,
            Map<String, byte[]> files) {
        byte[] explainer = files.get(KernelShap.FILE);
        return explainer == null ? model : new KernelShapExplained(model, modelFiles, KernelShap.fromJson(explainer));
    }

    private static byte[] file(Map<String, byte[]> files, String name) {
        byte[] content = files.get(name);
        if (content == null) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The bundle lacks its model file " + name + ".");
        }
        return content;
    }

    /**
     * Versions of the engines, for provenance: the versions the build pins (the parent POM), read
     * from build metadata ({@link BuildInfo}); a test checks them against the jars on the class path.
     */
    public static Map<String, String> libraryVersions() {
        return BuildInfo.libraryVersions("liblinear", "xgboost4j", "onnxruntime", "djl", "pytorch");
    }
}
