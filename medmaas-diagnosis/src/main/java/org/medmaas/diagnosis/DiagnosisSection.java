package org.medmaas.diagnosis;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.serving.InputField;

/**
 * The diagnosis part of a model bundle's manifest (its task section); the envelope and provenance
 * are the same for every task ({@link org.medmaas.core.bundle.BundleManifest}).
 *
 * @param target          the outcome column
 * @param classes         class labels; for binary models the second is the positive class
 * @param threshold       decision threshold on the positive-class probability (binary)
 * @param thresholdRule   how the threshold was chosen
 * @param inputs          the inputs the model expects, with their training summaries
 * @param features        the numeric features after preprocessing, in model order
 * @param preprocessing   the fitted preprocessing pipeline (its own versioned JSON)
 * @param calibration     the fitted calibrator, if any (JSON)
 * @param subgroupMetrics out-of-fold metrics per subgroup: grouping ("sex", "age:40,65") → group →
 *                        metric → value, with "rows"; small groups hold only "suppressed"
 */
public record DiagnosisSection(String target, List<String> classes, double threshold, String thresholdRule,
        List<InputField> inputs, List<String> features, JsonNode preprocessing, Optional<JsonNode> calibration,
        Map<String, Map<String, Map<String, Double>>> subgroupMetrics) {

    public DiagnosisSection {
        classes = List.copyOf(classes);
        inputs = List.copyOf(inputs);
        features = List.copyOf(features);
        calibration = calibration == null ? Optional.empty() : calibration;
        subgroupMetrics = subgroupMetrics == null ? Map.of() : subgroupMetrics;
    }
}
