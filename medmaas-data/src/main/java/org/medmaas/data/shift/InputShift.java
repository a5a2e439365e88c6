package org.medmaas.data.shift;

/**
 * How one input's values in newer data compare with its training summary. Aggregates only: no
 * value of any row.
 *
 * @param input           the input's name
 * @param kind            {@code numeric} or {@code categorical} (booleans included)
 * @param rows            rows compared
 * @param psi             population stability index over the training bins, missing values a bin of
 *                        their own (NaN when no row was compared)
 * @param test            {@code ks} (two-sample Kolmogorov–Smirnov at the training quantiles) or
 *                        {@code chi-square} (training against new level counts)
 * @param statistic       the test's statistic (KS: the largest CDF gap; chi-square: χ²)
 * @param pValue          its p-value (NaN when it cannot be computed)
 * @param trainingMissing the share of training rows where the input was missing
 * @param missing         the share of these rows where it is missing (it is imputed there)
 * @param outOfRange      numbers: the share of present values outside the training range; categories:
 *                        the share in levels training did not see
 */
public record InputShift(String input, String kind, long rows, double psi, String test, double statistic, double pValue,
        double trainingMissing, double missing, double outOfRange) {

    /** PSI above this is commonly read as a major shift; between {@link #MODERATE} and this, moderate. */
    public static final double MAJOR = 0.25;
    public static final double MODERATE = 0.10;

    /** "stable", "moderate" or "major", by the usual PSI bands; "n/a" without a PSI. */
    public String band() {
        return Double.isNaN(psi) ? "n/a" : psi > MAJOR ? "major" : psi > MODERATE ? "moderate" : "stable";
    }
}
