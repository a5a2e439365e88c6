package org.medmaas.data.stats;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.special.Beta;
import org.hipparchus.special.Erf;
import org.hipparchus.special.Gamma;
import org.medmaas.core.error.MedmaasException;

/**
 * Group-difference and association tests, following SciPy 1.10's conventions (statistics,
 * corrections and p-values) so results can be checked against it. Distribution tails come from
 * Hipparchus; the statistics are computed here because the library's versions differ from
 * SciPy's in tie and continuity corrections.
 */
public final class GroupTests {

    private GroupTests() {
    }

    /** One-way ANOVA ({@code scipy.stats.f_oneway}); effect size η² = SS_between / SS_total. */
    public static TestResult oneWayAnova(List<double[]> groups) {
        List<double[]> g = nonEmpty(groups, 2, "one-way ANOVA");
        int n = 0;
        double grandSum = 0;
        for (double[] group : g) {
            n += group.length;
            for (double v : group) {
                grandSum += v;
            }
        }
        double grandMean = grandSum / n;
        double ssBetween = 0;
        double ssWithin = 0;
        for (double[] group : g) {
            double mean = Descriptive.mean(group);
            ssBetween += group.length * (mean - grandMean) * (mean - grandMean);
            for (double v : group) {
                ssWithin += (v - mean) * (v - mean);
            }
        }
        int dfBetween = g.size() - 1;
        int dfWithin = n - g.size();
        if (dfWithin <= 0) {
            throw MedmaasException.invalid("One-way ANOVA needs more values than groups.");
        }
        double f = (ssBetween / dfBetween) / (ssWithin / dfWithin);
        double p = Double.isNaN(f) ? Double.NaN
                : Double.isInfinite(f) ? 0.0 : fSurvival(f, dfBetween, dfWithin);
        double total = ssBetween + ssWithin;
        return new TestResult("one-way ANOVA", f, List.of((double) dfBetween, (double) dfWithin), p,
                total == 0 ? 0 : ssBetween / total, "eta squared");
    }

    /**
     * Kruskal–Wallis H with tie correction ({@code scipy.stats.kruskal}); effect size
     * η²_H = (H − k + 1) / (n − k) (Tomczak and Tomczak, 2014), floored at 0.
     */
    public static TestResult kruskalWallis(List<double[]> groups) {
        List<double[]> g = nonEmpty(groups, 2, "Kruskal–Wallis");
        return kruskalWallis(g, Ranks.rankSums(g));
    }

    /** Kruskal–Wallis H for groups whose values are already sorted ascending (saves the sort). */
    public static TestResult kruskalWallisSorted(List<double[]> sortedGroups) {
        List<double[]> g = nonEmpty(sortedGroups, 2, "Kruskal–Wallis");
        return kruskalWallis(g, Ranks.rankSumsOfSorted(g));
    }

    private static TestResult kruskalWallis(List<double[]> g, Ranks.GroupRankSums ranked) {
        int n = g.stream().mapToInt(a -> a.length).sum();
        double h = 0;
        for (int i = 0; i < g.size(); i++) {
            h += ranked.rankSums()[i] * ranked.rankSums()[i] / g.get(i).length;
        }
        h = 12.0 / (n * (n + 1.0)) * h - 3 * (n + 1.0);
        double tieCorrection = 1 - ranked.tieSum() / ((double) n * n * n - n);
        if (tieCorrection == 0) {
            throw MedmaasException.invalid("Kruskal–Wallis is undefined when all values are equal.");
        }
        h /= tieCorrection;
        int df = g.size() - 1;
        double p = chiSquareSurvival(h, df);
        double effect = n > g.size() ? Math.max(0, (h - g.size() + 1) / (n - g.size())) : Double.NaN;
        return new TestResult("Kruskal-Wallis H", h, List.of((double) df), p, effect, "eta squared (H)");
    }

    /**
     * χ² test of independence on a contingency table ({@code scipy.stats.chi2_contingency} with its
     * default Yates correction when df = 1); effect size Cramér's V from the uncorrected χ².
     * Rows or columns that sum to zero are dropped first.
     */
    public static TestResult chiSquareIndependence(long[][] observed) {
        long[][] table = dropEmpty(observed);
        int rows = table.length;
        int cols = rows == 0 ? 0 : table[0].length;
        if (rows < 2 || cols < 2) {
            throw MedmaasException.invalid("A chi-square test needs at least 2 non-empty rows and columns.");
        }
        double[] rowSum = new double[rows];
        double[] colSum = new double[cols];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                rowSum[r] += table[r][c];
                colSum[c] += table[r][c];
                total += table[r][c];
            }
        }
        int df = (rows - 1) * (cols - 1);
        double chi2 = 0;
        double chi2Uncorrected = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double expected = rowSum[r] * colSum[c] / total;
                double diff = table[r][c] - expected;
                chi2Uncorrected += diff * diff / expected;
                if (df == 1) {
                    // Yates: move each observed count 0.5 towards its expectation, never past it.
                    double adjusted = Math.max(0, Math.abs(diff) - 0.5);
                    chi2 += adjusted * adjusted / expected;
                }
            }
        }
        if (df != 1) {
            chi2 = chi2Uncorrected;
        }
        double p = chiSquareSurvival(chi2, df);
        double v = Math.sqrt(chi2Uncorrected / (total * (Math.min(rows, cols) - 1)));
        return new TestResult("chi-square independence", chi2, List.of((double) df), p, v, "Cramer's V");
    }

    /**
     * Welch's t-test ({@code scipy.stats.ttest_ind(a, b, equal_var=False)}); effect size Cohen's d
     * with the pooled sample standard deviation.
     */
    public static TestResult welchT(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            throw MedmaasException.invalid("Welch's t-test needs at least 2 values in each group.");
        }
        double ma = Descriptive.mean(a);
        double mb = Descriptive.mean(b);
        double va = Descriptive.variance(a, 1);
        double vb = Descriptive.variance(b, 1);
        double sa = va / a.length;
        double sb = vb / b.length;
        double t = (ma - mb) / Math.sqrt(sa + sb);
        double df = (sa + sb) * (sa + sb) / (sa * sa / (a.length - 1) + sb * sb / (b.length - 1));
        double p = tTwoSided(t, df);
        double pooled = Math.sqrt(((a.length - 1) * va + (b.length - 1) * vb) / (a.length + b.length - 2));
        return new TestResult("Welch t-test", t, List.of(df), p, (ma - mb) / pooled, "Cohen's d");
    }

    /**
     * Mann–Whitney U, two-sided ({@code scipy.stats.mannwhitneyu(x, y)}, method "auto": the exact
     * distribution when both samples are under 8 values and have no ties, otherwise the normal
     * approximation with tie and continuity corrections). The statistic is U of the first sample;
     * effect size is the rank-biserial correlation 2U/(n₁n₂) − 1.
     */
    public static TestResult mannWhitneyU(double[] x, double[] y) {
        int n1 = x.length;
        int n2 = y.length;
        if (n1 == 0 || n2 == 0) {
            throw MedmaasException.invalid("Mann-Whitney U needs values in both groups.");
        }
        Ranks.GroupRankSums ranked = Ranks.rankSums(List.of(x, y));
        double r1 = ranked.rankSums()[0];
        double u1 = r1 - n1 * (n1 + 1) / 2.0;
        double u2 = (double) n1 * n2 - u1;
        double p;
        if (n1 < 8 && n2 < 8 && ranked.tieSum() == 0) {
            p = Math.min(1.0, 2 * exactUpperTail(Math.max(u1, u2), n1, n2));
        } else {
            int n = n1 + n2;
            double mu = n1 * n2 / 2.0;
            double sigma = Math.sqrt(n1 * (double) n2 / 12.0 * ((n + 1) - ranked.tieSum() / (n * (n - 1.0))));
            double z = (Math.max(u1, u2) - mu - 0.5) / sigma;
            p = Math.min(1.0, Erf.erfc(z / Math.sqrt(2)));
        }
        return new TestResult("Mann-Whitney U", u1, List.of(), p, 2 * u1 / ((double) n1 * n2) - 1,
                "rank-biserial correlation");
    }

    /** P(U ≥ u) under H0 for sample sizes m, n without ties, by counting rank arrangements. */
    private static double exactUpperTail(double u, int m, int n) {
        int max = m * n;
        // ways[i][j][k]: arrangements of i x-values and j y-values with U = k; rolled over i.
        double[][] previous = new double[n + 1][max + 1];
        for (int j = 0; j <= n; j++) {
            previous[j][0] = 1;
        }
        for (int i = 1; i <= m; i++) {
            double[][] current = new double[n + 1][max + 1];
            current[0][0] = 1;
            for (int j = 1; j <= n; j++) {
                for (int k = 0; k <= i * j; k++) {
                    // The largest value is an x (adds j to U) or a y (adds nothing).
                    current[j][k] = (k - j >= 0 ? previous[j][k - j] : 0) + current[j - 1][k];
                }
            }
            previous = current;
        }
        double total = 0;
        double tail = 0;
        for (int k = 0; k <= max; k++) {
            total += previous[n][k];
            if (k >= u - 1e-9) {
                tail += previous[n][k];
            }
        }
        return tail / total;
    }

    /** Pearson correlation with the two-sided p-value of {@code scipy.stats.pearsonr}. */
    public static TestResult pearson(double[] x, double[] y) {
        requirePairs(x, y, "Pearson correlation");
        double r = correlation(x, y);
        return new TestResult("Pearson correlation", r, List.of((double) x.length - 2), correlationP(r, x.length), r, "r");
    }

    /** Spearman rank correlation with the t-distribution p-value of {@code scipy.stats.spearmanr}. */
    public static TestResult spearman(double[] x, double[] y) {
        requirePairs(x, y, "Spearman correlation");
        double rho = correlation(Ranks.rank(x).ranks(), Ranks.rank(y).ranks());
        return new TestResult("Spearman correlation", rho, List.of((double) x.length - 2), correlationP(rho, x.length),
                rho, "rho");
    }

    private static double correlation(double[] x, double[] y) {
        double mx = Descriptive.mean(x);
        double my = Descriptive.mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
    }

    private static double correlationP(double r, int n) {
        if (Double.isNaN(r)) {
            return Double.NaN;
        }
        if (Math.abs(r) == 1) {
            return 0;
        }
        double df = n - 2;
        double t = r * Math.sqrt(df / ((1 - r) * (1 + r)));
        return tTwoSided(t, df);
    }

    // Upper tails straight from the regularized incomplete beta and gamma functions: computing
    // 1 − CDF would round every p-value below about 1e-16 to zero.

    /** P(F > f) for F(d1, d2). */
    static double fSurvival(double f, double d1, double d2) {
        return Beta.regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
    }

    /** P(χ²_df > x). */
    static double chiSquareSurvival(double x, double df) {
        return x <= 0 ? 1.0 : Gamma.regularizedGammaQ(df / 2, x / 2);
    }

    /** P(|T_df| > |t|). */
    static double tTwoSided(double t, double df) {
        return Beta.regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    private static void requirePairs(double[] x, double[] y, String test) {
        if (x.length != y.length) {
            throw MedmaasException.invalid(test + " needs pairs: the two samples differ in length.");
        }
        if (x.length < 3) {
            throw MedmaasException.invalid(test + " needs at least 3 pairs.");
        }
    }

    private static List<double[]> nonEmpty(List<double[]> groups, int min, String test) {
        List<double[]> out = new ArrayList<>();
        for (double[] g : groups) {
            if (g.length > 0) {
                out.add(g);
            }
        }
        if (out.size() < min) {
            throw MedmaasException.invalid(test + " needs at least " + min + " groups with values.");
        }
        return out;
    }

    private static long[][] dropEmpty(long[][] observed) {
        List<Integer> keepRows = new ArrayList<>();
        int cols = observed.length == 0 ? 0 : observed[0].length;
        long[] colSum = new long[cols];
        for (int r = 0; r < observed.length; r++) {
            long sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += observed[r][c];
                colSum[c] += observed[r][c];
            }
            if (sum > 0) {
                keepRows.add(r);
            }
        }
        List<Integer> keepCols = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            if (colSum[c] > 0) {
                keepCols.add(c);
            }
        }
        long[][] out = new long[keepRows.size()][keepCols.size()];
        for (int r = 0; r < out.length; r++) {
            for (int c = 0; c < keepCols.size(); c++) {
                out[r][c] = observed[keepRows.get(r)][keepCols.get(c)];
            }
        }
        return out;
    }
}
