package org.medmaas.core.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;
import org.medmaas.core.json.Json;

/**
 * What a model bundle says about itself, whatever the task: an envelope (format, version, task,
 * creation time, file checksums), one {@link Provenance}, the evaluation metrics, and a task
 * section that only the task's own module reads (diagnosis: target, classes, threshold, inputs,
 * preprocessing, …). Written as {@code manifest.json}.
 *
 * @param format        always {@value ModelBundle#FORMAT}
 * @param formatVersion the bundle format version the file follows (1: the flat format of the first
 *                      releases, read and presented in this shape; 2: this shape)
 * @param task          the service that reads the section ("diagnosis", …)
 * @param createdAt     ISO-8601 instant (the only field that differs between identical trainings)
 * @param provenance    how it was made
 * @param metrics       evaluation metrics: name → {mean, sd}
 * @param section       the task's own part, as JSON
 * @param files         native files: name → SHA-256 (filled in when the bundle is written)
 */
public record BundleManifest(String format, int formatVersion, String task, String createdAt, Provenance provenance,
        Map<String, Map<String, Double>> metrics, JsonNode section, Map<String, String> files) {

    public BundleManifest {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        section = section == null ? JsonNodeFactory.instance.objectNode() : section.deepCopy();
        files = files == null ? Map.of() : Map.copyOf(files);
    }

    /** A manifest of the current format version for a task; the files are filled in on writing. */
    public static BundleManifest of(String task, String createdAt, Provenance provenance,
            Map<String, Map<String, Double>> metrics, Object section) {
        return new BundleManifest(ModelBundle.FORMAT, ModelBundle.FORMAT_VERSION, task, createdAt, provenance, metrics,
                Json.tree(section), Map.of());
    }

    /** The task section read as the task's own record. */
    public <T> T section(Class<T> type) {
        return Json.convert(section, type, "The " + task + " section of the bundle manifest");
    }

    @Override
    public JsonNode section() {
        return section.deepCopy();
    }

    BundleManifest withFiles(Map<String, String> checksums) {
        return new BundleManifest(format, formatVersion, task, createdAt, provenance, metrics, section, checksums);
    }
}
