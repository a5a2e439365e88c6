package org.medmaas.ml.linear;

import org.medmaas.core.json.Json;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.ml.ExplainableClassifier;
import org.medmaas.ml.Explanation;
import org.medmaas.ml.FeatureMatrix;

/**
 * A fitted multinomial logistic regression (three or more classes): per class, weights and an
 * intercept; probabilities are the softmax of the class scores. Stored as JSON
 * ({@code model.softmax.json}).
 */
public final class SoftmaxRegressionModel implements ExplainableClassifier {

    public static final String NATIVE_FILE = "model.softmax.json";


    /** The stored form. */
    private record Stored(int version, List<double[]> weights, double[] intercepts) {
    }

    private final double[][] weights;
    private final double[] intercepts;
    private final List<String> featureNames;
    private final List<String> classes;

    SoftmaxRegressionModel(double[][] weights, double[] intercepts, List<String> featureNames, List<String> classes) {
        this.weights = Arrays.stream(weights).map(double[]::clone).toArray(double[][]::new);
        this.intercepts = intercepts.clone();
        this.featureNames = List.copyOf(featureNames);
        this.classes = List.copyOf(classes);
    }

    public static SoftmaxRegressionModel fromJson(byte[] json, List<String> featureNames, List<String> classes) {
        Stored stored;
        try {
            stored = Json.MAPPER.readValue(json, Stored.class);
        } catch (IOException e) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The bundle's " + NATIVE_FILE + " is unreadable.");
        }
        if (stored.version() != 1 || stored.weights().size() != classes.size() || stored.intercepts().length != classes.size()
                || stored.weights().stream().anyMatch(w -> w.length != featureNames.size())) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The bundle's " + NATIVE_FILE
                    + " does not match its features and classes, or has an unknown version.");
        }
        return new SoftmaxRegressionModel(stored.weights().toArray(double[][]::new), stored.intercepts(), featureNames,
                classes);
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    /** The weights of one class, in feature order. */
    public double[] weights(int classIndex) {
        return weights[classIndex].clone();
    }

    public double intercept(int classIndex) {
        return intercepts[classIndex];
    }

    @Override
    public double[][] predictProbabilities(double[][] x) {
        FeatureMatrix.requireWidth(x, featureNames.size());
        int k = classes.size();
        double[][] out = new double[x.length][k];
        for (int i = 0; i < x.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = intercepts[c];
                double[] w = weights[c];
                for (int j = 0; j < w.length; j++) {
                    s += w[j] * x[i][j];
                }
                out[i][c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                out[i][c] = Math.exp(out[i][c] - max);
                sum += out[i][c];
            }
            for (int c = 0; c < k; c++) {
                out[i][c] /= sum;
            }
        }
        return out;
    }

    /** Per-prediction explanations are given for binary models; a softmax model has three or more classes. */
    @Override
    public Explanation explain(double[] row) {
        throw MedmaasException.invalid("Additive contributions are defined here for binary models only.");
    }

    @Override
    public Map<String, byte[]> nativeFiles() {
        try {
            return Map.of(NATIVE_FILE, Json.MAPPER.writeValueAsBytes(new Stored(1, List.of(weights), intercepts)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
