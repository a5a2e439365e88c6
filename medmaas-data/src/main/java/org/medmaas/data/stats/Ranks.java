package org.medmaas.data.stats;

import java.util.Arrays;

/** Ranks with ties averaged (SciPy's {@code rankdata(method="average")}), 1-based. */
final class Ranks {

    /** The ranks and Σ(t³ − t) over tie groups, which tie corrections need. */
    record Ranked(double[] ranks, double tieSum) {
    }

    /** Per-group sums of the pooled ranks, and Σ(t³ − t) over tie groups of the pooled values. */
    record GroupRankSums(double[] rankSums, double tieSum) {
    }

    private Ranks() {
    }

    /**
     * Rank sums of groups within their pooled sample, without boxing: each group is sorted on its
     * own (primitive sort), then the groups are merged, giving tied values their average rank.
     * O(n log n) and fast enough for profiles of millions of rows.
     */
    static GroupRankSums rankSums(java.util.List<double[]> groups) {
        java.util.List<double[]> sorted = new java.util.ArrayList<>(groups.size());
        for (double[] group : groups) {
            double[] copy = group.clone();
            Arrays.sort(copy);
            sorted.add(copy);
        }
        return rankSumsOfSorted(sorted);
    }

    /** As {@link #rankSums} for groups already sorted ascending. */
    static GroupRankSums rankSumsOfSorted(java.util.List<double[]> groups) {
        int k = groups.size();
        double[][] sorted = groups.toArray(double[][]::new);
        int[] next = new int[k];
        double[] sums = new double[k];
        int[] countInTie = new int[k];
        long rank = 0;
        double tieSum = 0;
        while (true) {
            double smallest = Double.POSITIVE_INFINITY;
            boolean any = false;
            for (int g = 0; g < k; g++) {
                if (next[g] < sorted[g].length && (!any || sorted[g][next[g]] < smallest)) {
                    smallest = sorted[g][next[g]];
                    any = true;
                }
            }
            if (!any) {
                break;
            }
            int tie = 0;
            for (int g = 0; g < k; g++) {
                int c = 0;
                while (next[g] < sorted[g].length && sorted[g][next[g]] == smallest) {
                    next[g]++;
                    c++;
                }
                countInTie[g] = c;
                tie += c;
            }
            double average = rank + (tie + 1) / 2.0;
            for (int g = 0; g < k; g++) {
                sums[g] += countInTie[g] * average;
            }
            rank += tie;
            tieSum += (double) tie * tie * tie - tie;
        }
        return new GroupRankSums(sums, tieSum);
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
