package org.medmaas.core.bundle;

import java.util.Map;

/**
 * How a model was made, the same for every task.
 *
 * @param learner         the method's short name ("lr", "gbt", "onnx", a solver's name, …)
 * @param settings        its hyperparameters or solver settings
 * @param seed            the seed used throughout
 * @param trainingData    fingerprint (sha256) and size of the data it learned from, with task-specific counts
 * @param libraryVersions versions of the engines and of Java, read from build metadata
 * @param codeVersion     the MedMaaS version that made it, read from build metadata
 */
public record Provenance(String learner, Map<String, Object> settings, long seed, Map<String, Object> trainingData,
        Map<String, String> libraryVersions, String codeVersion) {

    public Provenance {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        trainingData = trainingData == null ? Map.of() : Map.copyOf(trainingData);
        libraryVersions = libraryVersions == null ? Map.of() : Map.copyOf(libraryVersions);
        codeVersion = codeVersion == null ? "unknown" : codeVersion;
    }
}
