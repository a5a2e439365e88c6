package org.medmaas.ml.linear;

import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.ml.Explanation;
import org.medmaas.ml.ExplainableClassifier;

/**
 * A fitted logistic regression. Its log-odds are exactly additive, so {@link #contributions}
 * gives each feature's share of a prediction without approximation.
 */
public final class LogisticRegressionModel implements ExplainableClassifier {

    /** The model's file in a bundle: LIBLINEAR's own text format. */
    public static final String NATIVE_FILE = "model.liblinear";

    private static final int PARALLEL_BATCH = 8192;
    private static final int BLOCK = 1024;

    private final Model model;
    private final List<String> featureNames;
    private final List<String> classes;
    /** Position in LIBLINEAR's output of each of our classes (LIBLINEAR orders labels as first seen). */
    private final int[] liblinearIndex;

    LogisticRegressionModel(Model model, List<String> featureNames, List<String> classes) {
        this.model = model;
        this.featureNames = List.copyOf(featureNames);
        this.classes = List.copyOf(classes);
        int[] labels = model.getLabels();
        this.liblinearIndex = new int[classes.size()];
        java.util.Arrays.fill(liblinearIndex, -1);
        for (int k = 0; k < labels.length; k++) {
            liblinearIndex[labels[k]] = k;
        }
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    /** Probabilities per row, computed densely from LIBLINEAR's weights (see {@link #probabilities}). */
    @Override
    public double[][] predictProbabilities(double[][] x) {
        org.medmaas.ml.FeatureMatrix.requireWidth(x, featureNames.size());
        double[][] out = new double[x.length][];
        // Rows are independent: large batches use every core, single requests stay on the caller's thread.
        int blocks = (x.length + BLOCK - 1) / BLOCK;
        java.util.stream.IntStream tasks = java.util.stream.IntStream.range(0, blocks);
        (x.length >= PARALLEL_BATCH ? tasks.parallel() : tasks).forEach(b -> {
            double[] estimates = new double[model.getNrClass()];
            for (int i = b * BLOCK; i < Math.min(x.length, (b + 1) * BLOCK); i++) {
                out[i] = probabilities(x[i], estimates);
            }
        });
        return out;
    }

    /**
     * One row's probabilities computed densely from LIBLINEAR's weights, as
     * {@code Linear.predictProbability} does (sigmoid of each decision value; for more than two
     * classes, normalized), without building LIBLINEAR's sparse feature nodes.
     */
    private double[] probabilities(double[] row, double[] estimates) {
        double[] w = model.getFeatureWeights();
        int nrClass = model.getNrClass();
        int nrW = nrClass == 2 ? 1 : nrClass;
        int p = featureNames.size();
        double bias = model.getBias();
        for (int k = 0; k < nrW; k++) {
            double decision = 0;
            for (int j = 0; j < p; j++) {
                decision += w[j * nrW + k] * row[j];
            }
            if (bias >= 0) {
                decision += w[p * nrW + k] * bias;  // last, as LIBLINEAR sums it
            }
            estimates[k] = 1 / (1 + Math.exp(-decision));
        }
        if (nrClass == 2) {
            estimates[1] = 1 - estimates[0];
        } else {
            double sum = 0;
            for (int k = 0; k < nrClass; k++) {
                sum += estimates[k];
            }
            for (int k = 0; k < nrClass; k++) {
                estimates[k] /= sum;
            }
        }
        double[] out = new double[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            out[c] = liblinearIndex[c] < 0 ? 0.0 : estimates[liblinearIndex[c]];
        }
        return out;
    }

    /** LIBLINEAR's own scoring, the reference the dense path is tested against. */
    double[][] predictProbabilitiesLiblinear(double[][] x) {
        double[][] out = new double[x.length][classes.size()];
        double[] estimates = new double[model.getNrClass()];
        for (int i = 0; i < x.length; i++) {
            Linear.predictProbability(model, LogisticRegressionTrainer.row(x[i]), estimates);
            for (int c = 0; c < classes.size(); c++) {
                out[i][c] = liblinearIndex[c] < 0 ? 0.0 : estimates[liblinearIndex[c]];
            }
        }
        return out;
    }

    /**
     * For a binary model: the log-odds of class 1 split into an intercept and one term per feature
     * (weight × value); they sum to the model's log-odds exactly.
     */
    public Contributions contributions(double[] row) {
        if (classes.size() != 2) {
            throw MedmaasException.invalid("Additive contributions are defined here for binary models only.");
        }
        double[] weights = model.getFeatureWeights();
        // LIBLINEAR stores weights for its first label; flip the sign if that label is class 0.
        double sign = model.getLabels()[0] == 1 ? 1 : -1;
        double[] terms = new double[featureNames.size()];
        for (int j = 0; j < terms.length; j++) {
            terms[j] = sign * weights[j] * row[j];
        }
        double intercept = sign * weights[featureNames.size()] * model.getBias();
        return new Contributions(intercept, terms);
    }

    /** Log-odds terms: {@code intercept + Σ terms} is the model's log-odds of class 1. */
    public record Contributions(double intercept, double[] terms) {
        public double logOdds() {
            double sum = intercept;
            for (double t : terms) {
                sum += t;
            }
            return sum;
        }
    }

    @Override
    public Explanation explain(double[] row) {
        Contributions c = contributions(row);
        return new Explanation(c.intercept(), c.terms(), featureNames);
    }

    @Override
    public java.util.Map<String, byte[]> nativeFiles() {
        return java.util.Map.of(NATIVE_FILE, toLiblinearText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** LIBLINEAR's own text format (the bundle's native file). */
    public String toLiblinearText() {
        StringWriter out = new StringWriter();
        try {
            Linear.saveModel(out, model);
        } catch (IOException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not write the LIBLINEAR model.", e);
        }
        return out.toString();
    }

    public static LogisticRegressionModel fromLiblinearText(String text, List<String> featureNames, List<String> classes) {
        try {
            return new LogisticRegressionModel(Linear.loadModel(new StringReader(text)), featureNames, classes);
        } catch (IOException | RuntimeException e) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The LIBLINEAR model file is unreadable: " + e.getMessage());
        }
    }
}
