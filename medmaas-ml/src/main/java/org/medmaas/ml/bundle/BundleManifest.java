package org.medmaas.ml.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a model bundle says about itself: format, task, inputs and outputs, how it was made
 * (provenance) and how well it did. Written as {@code manifest.json}.
 *
 * @param format              always {@value ModelBundle#FORMAT}
 * @param formatVersion       the bundle format version this file follows
 * @param task                the service ("diagnosis", …)
 * @param learner             the learner's short name ("lr", "gbt")
 * @param target              the outcome column
 * @param classes             class labels; for binary models the second is the positive class
 * @param threshold           decision threshold on the positive-class probability (binary)
 * @param thresholdRule       how the threshold was chosen
 * @param inputs              the inputs the model expects
 * @param features            the numeric features after preprocessing, in model order
 * @param preprocessing       the fitted preprocessing pipeline (its own versioned JSON)
 * @param calibration         the fitted calibrator, if any (JSON)
 * @param hyperparameters     the learner's hyperparameters
 * @param seed                the seed used throughout
 * @param trainingData        fingerprint and size of the training data
 * @param libraryVersions     versions of the engines and of Java
 * @param codeVersion         the MedMaaS version that trained the model
 * @param metrics             cross-validated metrics: name → {mean, sd}
 * @param subgroupMetrics     out-of-fold metrics per subgroup: grouping ("sex", "age:40,65") → group →
 *                            metric → value, with "rows"; small groups hold only "suppressed" (empty in
 *                            bundles written before subgroups were reported)
 * @param createdAt           ISO-8601 instant (the only field that differs between identical trainings)
 * @param files               native files of the learner: name → SHA-256
 */
public record BundleManifest(String format, int formatVersion, String task, String learner, String target,
        List<String> classes, double threshold, String thresholdRule, List<InputField> inputs, List<String> features,
        JsonNode preprocessing, Optional<JsonNode> calibration, Map<String, Object> hyperparameters, long seed,
        Map<String, Object> trainingData, Map<String, String> libraryVersions, String codeVersion,
        Map<String, Map<String, Double>> metrics, Map<String, Map<String, Map<String, Double>>> subgroupMetrics,
        String createdAt, Map<String, String> files) {

    public BundleManifest {
        classes = List.copyOf(classes);
        inputs = List.copyOf(inputs);
        features = List.copyOf(features);
        hyperparameters = Map.copyOf(hyperparameters);
        trainingData = Map.copyOf(trainingData);
        libraryVersions = Map.copyOf(libraryVersions);
        metrics = Map.copyOf(metrics);
        subgroupMetrics = subgroupMetrics == null ? Map.of() : subgroupMetrics;
        files = Map.copyOf(files);
        calibration = calibration == null ? Optional.empty() : calibration;
    }
}
