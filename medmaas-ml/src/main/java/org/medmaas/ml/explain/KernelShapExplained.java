package org.medmaas.ml.explain;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.ExplainableClassifier;
import org.medmaas.ml.Explanation;

/**
 * A classifier without an exact explanation method of its own (MLP, imported ONNX), made
 * explainable with {@link KernelShap}. Its bundle files are the model's own plus the explainer's.
 *
 * @param model       the classifier that scores
 * @param modelFiles  the model's native files, by bundle name
 * @param explainer   Kernel SHAP with its stored background
 */
public record KernelShapExplained(ProbabilisticClassifier model, Map<String, byte[]> modelFiles, KernelShap explainer)
        implements ExplainableClassifier {

    public KernelShapExplained {
        modelFiles = Map.copyOf(modelFiles);
    }

    @Override
    public List<String> classes() {
        return model.classes();
    }

    @Override
    public List<String> featureNames() {
        return model.featureNames();
    }

    @Override
    public double[][] predictProbabilities(double[][] x) {
        return model.predictProbabilities(x);
    }

    @Override
    public Explanation explain(double[] row) {
        return explainer.explain(model, row);
    }

    @Override
    public Map<String, byte[]> nativeFiles() {
        Map<String, byte[]> out = new TreeMap<>(modelFiles);
        out.put(KernelShap.FILE, explainer.toJson());
        return out;
    }
}
