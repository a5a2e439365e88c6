package org.medmaas.ml;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.ml.linear.LogisticRegressionModel;
import org.medmaas.ml.linear.LogisticRegressionParameters;
import org.medmaas.ml.linear.LogisticRegressionTrainer;
import org.medmaas.ml.trees.GradientBoostedTreesModel;
import org.medmaas.ml.trees.GradientBoostedTreesTrainer;
import org.medmaas.ml.trees.GradientBoostingParameters;

/** The learners by their short names, with their default settings and how to reload them from a bundle. */
public final class Learners {

    /** Names accepted by {@link #trainer}. */
    public static final List<String> NAMES = List.of("lr", "gbt");

    private Learners() {
    }

    public static ClassifierTrainer trainer(String name, long seed) {
        return switch (name) {
            case "lr" -> new LogisticRegressionTrainer(new LogisticRegressionParameters(
                    LogisticRegressionParameters.Penalty.L2, 1.0, false, false, 1e-4, 1000, seed));
            case "gbt" -> new GradientBoostedTreesTrainer(new GradientBoostingParameters(100, 3, 0.1, 1.0, 1.0, 1.0, 1.0,
                    0, 0.1, false, 2, seed));
            default -> throw MedmaasException.invalid("Unknown model '" + name + "'. Use one of: "
                    + String.join(", ", NAMES) + (name.equals("mlp") || name.equals("lstm")
                    ? " (" + name + " is not built yet)." : "."));
        };
    }

    /** The hyperparameters of a trainer, for the bundle manifest. */
    public static Map<String, Object> hyperparameters(ClassifierTrainer trainer) {
        return switch (trainer) {
            case LogisticRegressionTrainer lr -> Map.of("penalty", lr.parameters().penalty().name(), "C", lr.parameters().c(),
                    "balanced", lr.parameters().balanced(), "regularize_bias", lr.parameters().regularizeBias(),
                    "tolerance", lr.parameters().tolerance(), "max_iterations", lr.parameters().maxIterations());
            case GradientBoostedTreesTrainer gbt -> Map.of("rounds", gbt.parameters().rounds(),
                    "max_depth", gbt.parameters().maxDepth(), "eta", gbt.parameters().eta(),
                    "subsample", gbt.parameters().subsample(), "colsample_bytree", gbt.parameters().colsampleByTree(),
                    "min_child_weight", gbt.parameters().minChildWeight(), "lambda", gbt.parameters().lambda(),
                    "early_stopping_rounds", gbt.parameters().earlyStoppingRounds(), "threads", gbt.parameters().threads());
            default -> Map.of();
        };
    }

    public static org.medmaas.core.model.ProbabilisticClassifier load(String learner, byte[] nativeFile,
            List<String> features, List<String> classes) {
        return switch (learner) {
            case "onnx" -> org.medmaas.ml.onnx.OnnxClassifier.load(nativeFile, features, classes);
            case "lr" -> LogisticRegressionModel.fromLiblinearText(new String(nativeFile, StandardCharsets.UTF_8), features, classes);
            case "gbt" -> GradientBoostedTreesModel.fromXgboostJson(nativeFile, features, classes);
            default -> throw new MedmaasException(org.medmaas.core.error.ErrorCode.INTEGRITY,
                    "The bundle names an unknown learner '" + learner + "'.");
        };
    }

    /** Versions of the engines, for provenance. */
    public static Map<String, String> libraryVersions() {
        return Map.of("liblinear", "2.44", "xgboost4j", "3.4.0", "onnxruntime", "1.29.0",
                "java", System.getProperty("java.version"));
    }
}
