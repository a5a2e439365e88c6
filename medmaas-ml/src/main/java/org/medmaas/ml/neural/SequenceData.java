package org.medmaas.ml.neural;

import java.util.Arrays;
import java.util.List;
import org.medmaas.core.error.MedmaasException;

/**
 * Labeled sequences for a sequence model: per patient, the feature vectors of its visits, oldest
 * first (variable length, at least one visit), and one class index.
 *
 * @param sequences    per patient: visits × features, every value finite
 * @param y            per patient: class index into {@code classes}
 * @param weights      per patient: row weight (all 1 when unweighted)
 * @param featureNames the per-visit features
 * @param classes      the class labels
 */
public record SequenceData(List<double[][]> sequences, int[] y, double[] weights, List<String> featureNames,
        List<String> classes) {

    public SequenceData {
        sequences = List.copyOf(sequences);
        featureNames = List.copyOf(featureNames);
        classes = List.copyOf(classes);
        if (sequences.isEmpty()) {
            throw MedmaasException.invalid("Sequence data is empty: there are no patients to learn from.");
        }
        if (sequences.size() != y.length || y.length != weights.length) {
            throw MedmaasException.invalid("Sequence data has " + sequences.size() + " patients but " + y.length
                    + " labels and " + weights.length + " weights.");
        }
        if (classes.size() < 2) {
            throw MedmaasException.invalid("The target has " + classes.size() + " class; a classifier needs at least 2.");
        }
        for (int i = 0; i < sequences.size(); i++) {
            double[][] s = sequences.get(i);
            if (s.length == 0) {
                throw MedmaasException.invalid("Patient " + (i + 1) + " has no visits.");
            }
            for (double[] visit : s) {
                if (visit.length != featureNames.size()) {
                    throw MedmaasException.invalid("Patient " + (i + 1) + " has a visit of " + visit.length
                            + " features, not " + featureNames.size() + ".");
                }
                for (double v : visit) {
                    if (!Double.isFinite(v)) {
                        throw MedmaasException.invalid("Patient " + (i + 1) + " has a missing or infinite visit value;"
                                + " impute before training.");
                    }
                }
            }
            if (y[i] < 0 || y[i] >= classes.size()) {
                throw MedmaasException.invalid("Patient " + (i + 1) + " has a class index outside the " + classes.size()
                        + " classes.");
            }
        }
    }

    public static SequenceData unweighted(List<double[][]> sequences, int[] y, List<String> featureNames,
            List<String> classes) {
        double[] ones = new double[y.length];
        Arrays.fill(ones, 1.0);
        return new SequenceData(sequences, y, ones, featureNames, classes);
    }

    public int patients() {
        return y.length;
    }
}
