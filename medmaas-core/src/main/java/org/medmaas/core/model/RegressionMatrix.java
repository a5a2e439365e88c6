package org.medmaas.core.model;

import java.util.List;
import org.medmaas.core.error.MedmaasException;

/**
 * Numeric training data for regression: rows of features, a finite target value per row, and
 * per-row weights. The arrays are not copied (they can be large); callers must not change them.
 *
 * @param x            rows × features, every value finite
 * @param y            the target value of each row
 * @param weights      per-row weights (all 1 for unweighted data)
 * @param featureNames a name per feature column
 */
public record RegressionMatrix(double[][] x, double[] y, double[] weights, List<String> featureNames) {

    public RegressionMatrix {
        featureNames = List.copyOf(featureNames);
        if (x.length != y.length || x.length != weights.length) {
            throw MedmaasException.invalid("Training data has " + x.length + " rows but " + y.length + " targets and "
                    + weights.length + " weights.");
        }
        if (x.length == 0) {
            throw MedmaasException.invalid("Training data is empty: there are no rows to learn from.");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != featureNames.size()) {
                throw MedmaasException.invalid("Row " + (i + 1) + " has " + x[i].length + " features, not "
                        + featureNames.size() + ".");
            }
            if (!Double.isFinite(y[i])) {
                throw MedmaasException.invalid("Row " + (i + 1) + " has a target that is not a finite number.");
            }
        }
    }

    public static RegressionMatrix unweighted(double[][] x, double[] y, List<String> featureNames) {
        double[] ones = new double[x.length];
        java.util.Arrays.fill(ones, 1.0);
        return new RegressionMatrix(x, y, ones, featureNames);
    }

    public int rows() {
        return x.length;
    }
}
