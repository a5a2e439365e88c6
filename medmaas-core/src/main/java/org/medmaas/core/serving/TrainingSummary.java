package org.medmaas.core.serving;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.medmaas.core.table.BooleanColumn;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.NumericColumn;

/**
 * What one input looked like in the training data, kept in the bundle so that prediction can say
 * when a value lies outside what the model saw, and shift reports can compare later data with it.
 * It holds aggregates only, and none that would single out a patient: a quantile is kept only when
 * at least {@value #MIN_ROWS_PER_TAIL} present values lie beyond it on its side (so p1 and p99 need
 * 1,000 values, p5 and p95 200, the quartiles 40, the median 20), and a category's share only when
 * at least {@value #MIN_ROWS_PER_TAIL} rows hold it; rarer categories are pooled under
 * {@value #RARE}.
 *
 * @param rows           training rows
 * @param missingShare   share of rows where the input was missing
 * @param quantiles      numbers: "p1", "p5", "p25", "p50", "p75", "p95", "p99" (linear interpolation,
 *                       as numpy's default) of the present values, those kept
 * @param categoryShares categories and booleans: each level's share of the present values, rare
 *                       levels pooled
 * @param sharesAtOrBelow numbers: per kept quantile, the exact share of present values at or below
 *                       it (with repeated values, e.g. counts, it differs from the quantile's level);
 *                       the shift report's bins rest on it. Empty in bundles written before it was kept.
 */
public record TrainingSummary(long rows, double missingShare, Map<String, Double> quantiles,
        Map<String, Double> categoryShares, Map<String, Double> sharesAtOrBelow) {

    /** The quantiles kept, as fractions, with their names. */
    static final double[] LEVELS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
    /** The fewest rows an aggregate may rest on (as the subgroup reports' suppression). */
    public static final int MIN_ROWS_PER_TAIL = 10;
    /** The pooled share of categories held by fewer than {@value #MIN_ROWS_PER_TAIL} rows each. */
    public static final String RARE = "(rare)";

    public TrainingSummary {
        quantiles = quantiles == null ? Map.of() : Map.copyOf(quantiles);
        categoryShares = categoryShares == null ? Map.of() : Map.copyOf(categoryShares);
        sharesAtOrBelow = sharesAtOrBelow == null ? Map.of() : Map.copyOf(sharesAtOrBelow);
    }

    public TrainingSummary(long rows, double missingShare, Map<String, Double> quantiles, Map<String, Double> categoryShares) {
        this(rows, missingShare, quantiles, categoryShares, Map.of());
    }

    /** The kept quantiles' levels as fractions (p25 → 0.25), by name. */
    public static double level(String name) {
        return Integer.parseInt(name.substring(1)) / 100.0;
    }

    /** The summary of a training column. */
    public static TrainingSummary of(Column column) {
        int n = column.size();
        double missing = n == 0 ? 0 : (double) column.missingCount() / n;
        Map<String, Double> quantiles = new LinkedHashMap<>();
        Map<String, Double> below = new LinkedHashMap<>();
        Map<String, Double> shares = new TreeMap<>();
        int present = n - column.missingCount();
        if (column instanceof NumericColumn numbers && present > 0) {
            double[] v = numbers.presentValues();
            Arrays.sort(v);
            for (double level : LEVELS) {
                if (Math.min(level, 1 - level) * v.length >= MIN_ROWS_PER_TAIL) {
                    double q = quantile(v, level);
                    quantiles.put(name(level), q);
                    below.put(name(level), (double) atOrBelow(v, q) / v.length);
                }
            }
        } else if ((column instanceof CategoricalColumn || column instanceof BooleanColumn) && present > 0) {
            Map<String, Integer> counts = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                if (!column.isMissing(i)) {
                    counts.merge(column.format(i), 1, Integer::sum);
                }
            }
            counts.forEach((level, count) -> shares.merge(count >= MIN_ROWS_PER_TAIL ? level : RARE,
                    (double) count / present, Double::sum));
        }
        return new TrainingSummary(n, missing, quantiles, shares, below);
    }

    /** How many of the sorted values are at most {@code x}. */
    private static int atOrBelow(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static String name(double level) {
        return "p" + Math.round(level * 100);
    }

    /** Linear interpolation between the closest ranks (numpy's default, "type 7"). */
    static double quantile(double[] sorted, double level) {
        double h = (sorted.length - 1) * level;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
