package org.medmaas.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.serving.Prediction;

/**
 * One patient's prediction.
 *
 * @param row           the input row (1-based), or the patient's place in a visit table; identifiers are never echoed
 * @param probabilities probability per class (calibrated, if the model was)
 * @param label         the predicted class: positive if its probability ≥ threshold (binary), else argmax
 * @param threshold     the decision threshold stored in the model (binary)
 * @param explanation   the features that drove the score, strongest first (binary models)
 */
public record DiagnosisPrediction(int row, Map<String, Double> probabilities, String label, double threshold,
        Optional<Explanation> explanation) implements Prediction {

    /** @param baseline log-odds before any feature; {@code baseline + Σ all contributions} = the model's log-odds */
    public record Explanation(double baseline, List<FeatureContribution> topFeatures) {
        public Explanation {
            topFeatures = List.copyOf(topFeatures);
        }
    }

    /** A feature's push on the log-odds of the positive class (after preprocessing, e.g. {@code smoker=yes}). */
    public record FeatureContribution(String feature, double contribution) {
    }

    @Override
    public DiagnosisPrediction numbered(int row) {
        return new DiagnosisPrediction(row, probabilities, label, threshold, explanation);
    }

    /** The API's answer: label, probabilities, threshold and, when asked for, the explanation. */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("probabilities", probabilities);
        m.put("threshold", threshold);
        explanation.ifPresent(e -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("baseline_log_odds", e.baseline());
            x.put("top_features", e.topFeatures().stream()
                    .map(f -> Map.of("feature", f.feature(), "contribution", f.contribution())).toList());
            m.put("explanation", x);
        });
        return m;
    }

    /** {@code probabilities}: one value per class, in class order; {@code label}: the label. */
    @Override
    public List<Object> output(String name) {
        return switch (name) {
            case "probabilities" -> new ArrayList<>(probabilities.values());
            case "label" -> List.of(label);
            default -> throw new IllegalArgumentException("No output " + name);
        };
    }
}
