package org.medmaas.core.model;

import java.util.List;
import org.medmaas.core.error.MedmaasException;

/**
 * Numeric training data: rows of features, a class index per row, optional per-row weights.
 * The arrays are not copied (they can be large); callers must not change them afterwards.
 *
 * @param x             rows × features, every value finite
 * @param y             the class index of each row, into {@code classes}
 * @param weights       per-row weights (all 1 for unweighted data)
 * @param featureNames  a name per feature column
 * @param classes       the class labels
 */
public record LabeledMatrix(double[][] x, int[] y, double[] weights, List<String> featureNames, List<String> classes) {

    public LabeledMatrix {
        featureNames = List.copyOf(featureNames);
        classes = List.copyOf(classes);
        if (x.length != y.length || x.length != weights.length) {
            throw MedmaasException.invalid("Training data has " + x.length + " rows but " + y.length + " labels and "
                    + weights.length + " weights.");
        }
        if (x.length == 0) {
            throw MedmaasException.invalid("Training data is empty: there are no rows to learn from.");
        }
        if (classes.size() < 2) {
            throw MedmaasException.invalid("The target has " + classes.size() + " class; a classifier needs at least 2.");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != featureNames.size()) {
                throw MedmaasException.invalid("Row " + (i + 1) + " has " + x[i].length + " features, not "
                        + featureNames.size() + ".");
            }
            if (y[i] < 0 || y[i] >= classes.size()) {
                throw MedmaasException.invalid("Row " + (i + 1) + " has a class index outside the " + classes.size()
                        + " classes.");
            }
        }
    }

    public static LabeledMatrix unweighted(double[][] x, int[] y, List<String> featureNames, List<String> classes) {
        double[] ones = new double[x.length];
        java.util.Arrays.fill(ones, 1.0);
        return new LabeledMatrix(x, y, ones, featureNames, classes);
    }

    public int rows() {
        return x.length;
    }

    public int features() {
        return featureNames.size();
    }
}
