package org.medmaas.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.error.MedmaasException;
import com.fasterxml.jackson.databind.JsonNode;
import org.medmaas.core.bundle.BundleManifest;

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

    /**
     * What the model predicts, as its task section names it ({@code target}); empty for tasks
     * without one. The registry reads sections only through these few common field names, never
     * a task's own types.
     */
    static String target(BundleManifest m) {
        return m.section().path("target").asText("");
    }

    static ModelCard of(ModelVersion v, BundleManifest m, Map<String, String> editable) {
        JsonNode section = m.section();
        List<String> classes = new java.util.ArrayList<>();
        section.path("classes").forEach(c -> classes.add(c.asText()));
        JsonNode calibration = section.path("calibration");
        Map<String, Map<String, Map<String, Double>>> subgroupMetrics = section.has("subgroupMetrics")
                ? org.medmaas.core.json.Json.convert(section.get("subgroupMetrics"),
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Map<String, Map<String, Double>>>>() { },
                        "The subgroup metrics")
                : Map.of();
        Optional<Integer> folds = Optional.ofNullable(m.provenance().trainingData().get("folds"))
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
        return new ModelCard(v.name(), v.version(), v.stage().label(), m.task(), m.provenance().learner(), target(m), classes,
                section.path("threshold").asDouble(0), section.path("thresholdRule").asText(""),
                !calibration.isMissingNode() && !calibration.isNull(), m.provenance().trainingData(), metrics,
                subgroupMetrics, m.provenance().settings(), m.provenance().libraryVersions(), m.provenance().codeVersion(),
                m.createdAt(), v.bundleSha256(), editable);
    }
}
