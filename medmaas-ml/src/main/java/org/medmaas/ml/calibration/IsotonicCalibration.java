package org.medmaas.ml.calibration;

import java.util.Arrays;
import org.medmaas.core.error.MedmaasException;

/**
 * Isotonic calibration: the non-decreasing step function closest to the outcomes in least squares
 * (pool-adjacent-violators), evaluated by linear interpolation between fitted points and clipped
 * outside them — as scikit-learn's {@code IsotonicRegression(out_of_bounds="clip")}.
 *
 * @param x the distinct held-out probabilities, ascending
 * @param y the fitted calibrated value at each
 */
public record IsotonicCalibration(double[] x, double[] y) implements Calibrator {

    public IsotonicCalibration {
        if (x.length != y.length || x.length == 0) {
            throw MedmaasException.invalid("An isotonic calibration needs matching, non-empty points.");
        }
        x = x.clone();
        y = y.clone();
    }

    @Override
    public double calibrate(double p) {
        if (p <= x[0]) {
            return y[0];
        }
        if (p >= x[x.length - 1]) {
            return y[y.length - 1];
        }
        int hi = Arrays.binarySearch(x, p);
        if (hi >= 0) {
            return y[hi];
        }
        hi = -hi - 1;
        int lo = hi - 1;
        double t = (p - x[lo]) / (x[hi] - x[lo]);
        return y[lo] + t * (y[hi] - y[lo]);
    }

    public static IsotonicCalibration fit(double[] probabilities, int[] positive) {
        int n = probabilities.length;
        if (n == 0) {
            throw MedmaasException.invalid("Calibration needs held-out rows.");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(probabilities[a], probabilities[b]));
        // Equal inputs are merged first (their mean outcome, weighted by count).
        double[] xs = new double[n];
        double[] values = new double[n];
        double[] weights = new double[n];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            if (m > 0 && xs[m - 1] == probabilities[i]) {
                values[m - 1] = (values[m - 1] * weights[m - 1] + positive[i]) / (weights[m - 1] + 1);
                weights[m - 1]++;
            } else {
                xs[m] = probabilities[i];
                values[m] = positive[i];
                weights[m] = 1;
                m++;
            }
        }
        // Pool adjacent violators over blocks.
        double[] blockValue = new double[m];
        double[] blockWeight = new double[m];
        int[] blockEnd = new int[m];
        int blocks = 0;
        for (int i = 0; i < m; i++) {
            blockValue[blocks] = values[i];
            blockWeight[blocks] = weights[i];
            blockEnd[blocks] = i;
            blocks++;
            while (blocks > 1 && blockValue[blocks - 2] > blockValue[blocks - 1]) {
                double w = blockWeight[blocks - 2] + blockWeight[blocks - 1];
                blockValue[blocks - 2] = (blockValue[blocks - 2] * blockWeight[blocks - 2]
                        + blockValue[blocks - 1] * blockWeight[blocks - 1]) / w;
                blockWeight[blocks - 2] = w;
                blockEnd[blocks - 2] = blockEnd[blocks - 1];
                blocks--;
            }
        }
        double[] fitted = new double[m];
        int start = 0;
        for (int b = 0; b < blocks; b++) {
            for (int i = start; i <= blockEnd[b]; i++) {
                fitted[i] = blockValue[b];
            }
            start = blockEnd[b] + 1;
        }
        return new IsotonicCalibration(Arrays.copyOf(xs, m), fitted);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IsotonicCalibration c && Arrays.equals(x, c.x) && Arrays.equals(y, c.y);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(x) + Arrays.hashCode(y);
    }

    @Override
    public String toString() {
        return "IsotonicCalibration[" + x.length + " points]";
    }
}
