package org.medmaas.diagnosis;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One patient's prediction.
 *
 * @param row           the input row (1-based); identifiers are never echoed
 * @param probabilities probability per class (calibrated, if the model was)
 * @param label         the predicted class: positive if its probability ≥ threshold (binary), else argmax
 * @param threshold     the decision threshold stored in the model (binary)
 * @param explanation   the features that drove the score, strongest first (binary models)
 */
public record DiagnosisPrediction(int row, Map<String, Double> probabilities, String label, double threshold,
        Optional<Explanation> explanation) {

    /** @param baseline log-odds before any feature; {@code baseline + Σ all contributions} = the model's log-odds */
    public record Explanation(double baseline, List<FeatureContribution> topFeatures) {
        public Explanation {
            topFeatures = List.copyOf(topFeatures);
        }
    }

    /** A feature's push on the log-odds of the positive class (after preprocessing, e.g. {@code smoker=yes}). */
    public record FeatureContribution(String feature, double contribution) {
    }
}
