package org.medmaas.data.stats;

import java.util.Arrays;

/** Ranks with ties averaged (SciPy's {@code rankdata(method="average")}), 1-based. */
final class Ranks {

    /** The ranks and Σ(t³ − t) over tie groups, which tie corrections need. */
    record Ranked(double[] ranks, double tieSum) {
    }

    private Ranks() {
    }

    static Ranked rank(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[n];
        double tieSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double average = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = average;
            }
            double t = j - i + 1;
            tieSum += t * t * t - t;
            i = j + 1;
        }
        return new Ranked(ranks, tieSum);
    }
}
