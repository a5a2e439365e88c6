package org.medmaas.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.ml.bundle.BundleManifest;

/**
 * What a clinician or reviewer needs to know about a model version, after Mitchell et al.'s
 * "Model Cards for Model Reporting": the facts come from the bundle's manifest (what it predicts,
 * how it was trained and on what data, how well it did in cross-validation, with 95 % confidence
 * intervals, per subgroup, and its calibration); intended use, limitations and owner are written by
 * people.
 *
 * @param metrics   name → {mean, sd, and when the number of folds is known ci_low, ci_high}
 * @param subgroupMetrics grouping → group → out-of-fold metrics with "rows" (groups under 11 rows hold
 *                  only "suppressed"), for the groupings named at training
 * @param editable  intended_use, limitations, owner (those set)
 */
public record ModelCard(String name, int version, String stage, String task, String learner, String target,
        List<String> classes, double threshold, String thresholdRule, boolean calibrated,
        Map<String, Object> trainingData, Map<String, Map<String, Double>> metrics,
        Map<String, Map<String, Map<String, Double>>> subgroupMetrics, Map<String, Object> hyperparameters,
        Map<String, String> libraryVersions, String codeVersion, String createdAt, String bundleSha256,
        Map<String, String> editable) {

    /** The fields people write; everything else is read from the bundle. */
    public static final List<String> EDITABLE = List.of("intended_use", "limitations", "owner");

    public static void requireEditable(String field) {
        if (!EDITABLE.contains(field)) {
            throw MedmaasException.invalid("'" + field + "' is not an editable model card field. Editable: "
                    + String.join(", ", EDITABLE) + "; the rest comes from the bundle.");
        }
    }

    static ModelCard of(ModelVersion v, BundleManifest m, Map<String, String> editable) {
        Optional<Integer> folds = Optional.ofNullable(m.trainingData().get("folds"))
                .filter(Number.class::isInstance).map(n -> ((Number) n).intValue());
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        m.metrics().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Map<String, Double> values = new LinkedHashMap<>(e.getValue());
            Double mean = values.get("mean");
            Double sd = values.get("sd");
            if (folds.isPresent() && folds.get() > 1 && mean != null && sd != null && sd > 0) {
                // Normal approximation over the fold means; folds share training rows, so this is optimistic.
                double half = 1.96 * sd / Math.sqrt(folds.get());
                values.put("ci_low", mean - half);
                values.put("ci_high", mean + half);
            }
            metrics.put(e.getKey(), values);
        });
        return new ModelCard(v.name(), v.version(), v.stage().label(), m.task(), m.learner(), m.target(), m.classes(),
                m.threshold(), m.thresholdRule(), m.calibration().isPresent(), m.trainingData(), metrics,
                m.subgroupMetrics(), m.hyperparameters(), m.libraryVersions(), m.codeVersion(), m.createdAt(), v.bundleSha256(), editable);
    }
}
