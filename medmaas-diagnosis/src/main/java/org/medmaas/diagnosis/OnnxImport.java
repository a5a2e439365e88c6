package org.medmaas.diagnosis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;
import org.medmaas.data.csv.ColumnDeclaration;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.data.preprocess.FittedPipeline;
import org.medmaas.core.table.Table;
import org.medmaas.ml.FeatureMatrix;
import org.medmaas.ml.Learners;
import org.medmaas.ml.explain.Background;
import org.medmaas.ml.explain.KernelShap;
import org.medmaas.core.BuildInfo;
import org.medmaas.core.bundle.BundleManifest;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.bundle.Provenance;
import org.medmaas.core.io.Digests;
import org.medmaas.core.json.Json;
import org.medmaas.core.serving.InputField;
import org.medmaas.ml.onnx.OnnxClassifier;

/**
 * Wraps a diagnosis model trained elsewhere and exported to ONNX into a MedMaaS bundle, so it is
 * validated, served and evaluated like ours. The schema file names the model's inputs in tensor
 * order (numeric features, with optional allowed ranges); the preprocessing is the identity, as
 * the exporting tool's own preprocessing is inside the ONNX graph.
 */
public final class OnnxImport {

    private OnnxImport() {
    }

    /**
     * Imports a model. With a background table (representative rows holding the schema's
     * columns, at least 10), binary models get Kernel SHAP explanations; only cluster means of
     * the background are stored, never its rows.
     */
    public static BundleManifest importModel(Path onnxFile, SchemaFile schema, String target, List<String> classes,
            double threshold, Optional<Table> background, Path out) {
        byte[] model;
        try {
            model = Files.readAllBytes(onnxFile);
        } catch (NoSuchFileException e) {
            throw MedmaasException.notFound("No ONNX file at " + onnxFile + ".");
        } catch (IOException e) {
            throw MedmaasException.io("Could not read " + onnxFile + ": " + e.getMessage(), e);
        }
        if (schema.columns().isEmpty()) {
            throw MedmaasException.invalid("The schema lists no columns: name the model's inputs in tensor order.");
        }
        if (classes.size() < 2 || classes.stream().distinct().count() != classes.size()) {
            throw MedmaasException.invalid("--classes needs at least two distinct labels, in the model's output order.");
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw MedmaasException.invalid("--threshold must be between 0 and 1.");
        }
        List<InputField> inputs = new ArrayList<>();
        List<String> features = new ArrayList<>();
        for (ColumnDeclaration c : schema.columns()) {
            if (c.type() != ColumnType.NUMERIC) {
                throw MedmaasException.invalid("Schema column '" + c.name() + "' is " + c.type().label()
                        + "; an imported ONNX model takes numeric inputs (encode categories in the exporting tool).");
            }
            inputs.add(InputField.numeric(c.name(),
                    c.min().isPresent() ? Optional.of(c.min().getAsDouble()) : Optional.empty(),
                    c.max().isPresent() ? Optional.of(c.max().getAsDouble()) : Optional.empty()));
            features.add(c.name());
        }
        Map<String, byte[]> files = new java.util.TreeMap<>();
        files.put(OnnxClassifier.NATIVE_FILE, model);
        try (OnnxClassifier checked = OnnxClassifier.load(model, features, classes)) {
            if (background.isPresent()) {
                if (classes.size() != 2) {
                    throw MedmaasException.invalid("--background gives explanations for binary models; this one has "
                            + classes.size() + " classes.");
                }
                Table rows = background.get();
                List<String> absent = features.stream().filter(f -> !rows.has(f)).toList();
                if (!absent.isEmpty()) {
                    throw MedmaasException.invalid("The background data lacks the model's inputs: " + String.join(", ", absent) + ".");
                }
                double[][] x = FeatureMatrix.matrix(rows.select(features), features);
                KernelShap explainer = new KernelShap(Background.summarize(x, 20, 0L), KernelShap.DEFAULT_COALITIONS, 0L);
                explainer.explain(checked, x[0]); // fails now, not at the first prediction, if the model cannot be explained
                files.put(KernelShap.FILE, explainer.toJson());
            }
        }
        String sha256 = Digests.sha256(model);
        DiagnosisSection section = new DiagnosisSection(target, classes, threshold,
                classes.size() == 2 ? "fixed:" + threshold : "argmax", inputs, features,
                Json.parse(new FittedPipeline(List.of()).toJson(), "The empty preprocessing"), Optional.empty(), Map.of());
        Provenance provenance = new Provenance("onnx", Map.of(), 0L,
                Map.of("imported_from", onnxFile.getFileName().toString(), "onnx_sha256", sha256),
                Learners.libraryVersions(), BuildInfo.codeVersion());
        BundleManifest manifest = BundleManifest.of(DiagnosisService.TASK, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                provenance, Map.of(), section);
        return ModelBundle.write(out, manifest, files).manifest();
    }
}
