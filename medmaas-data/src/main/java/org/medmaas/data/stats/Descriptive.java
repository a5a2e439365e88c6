package org.medmaas.data.stats;

import java.util.Arrays;
import org.medmaas.core.error.MedmaasException;

/** Summary statistics over arrays of present (non-missing) values. */
public final class Descriptive {

    private Descriptive() {
    }

    public static double mean(double[] values) {
        requireValues(values);
        // Kahan-compensated sum: a million lab values should not drift in the last digits.
        double sum = 0.0;
        double compensation = 0.0;
        for (double v : values) {
            double y = v - compensation;
            double t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
        }
        double mean = sum / values.length;
        // One correction pass: the mean of n copies of c comes out as exactly c.
        double correction = 0.0;
        for (double v : values) {
            correction += v - mean;
        }
        return mean + correction / values.length;
    }

    /** Variance with {@code ddof} delta degrees of freedom (0: population, 1: sample), two-pass. */
    public static double variance(double[] values, int ddof) {
        requireValues(values);
        if (values.length - ddof <= 0) {
            return Double.NaN;
        }
        double m = mean(values);
        double ss = 0.0;
        for (double v : values) {
            double d = v - m;
            ss += d * d;
        }
        return ss / (values.length - ddof);
    }

    public static double standardDeviation(double[] values, int ddof) {
        return Math.sqrt(variance(values, ddof));
    }

    public static double median(double[] values) {
        return quantile(values, 0.5);
    }

    /** The q-quantile with linear interpolation between order statistics (NumPy's default). */
    public static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return quantileSorted(sorted, q);
    }

    public static double quantileSorted(double[] sorted, double q) {
        requireValues(sorted);
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        double fraction = position - lower;
        return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
    }

    /** The most frequent value; ties go to the smallest value (as SciPy's {@code mode}). */
    public static double mode(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        requireValues(sorted);
        double best = sorted[0];
        int bestCount = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j < sorted.length && sorted[j] == sorted[i]) {
                j++;
            }
            if (j - i > bestCount) {
                bestCount = j - i;
                best = sorted[i];
            }
            i = j;
        }
        return best;
    }

    public static double min(double[] values) {
        requireValues(values);
        double m = values[0];
        for (double v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    public static double max(double[] values) {
        requireValues(values);
        double m = values[0];
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static void requireValues(double[] values) {
        if (values.length == 0) {
            throw MedmaasException.invalid("A statistic was asked of a column with no values.");
        }
    }
}
