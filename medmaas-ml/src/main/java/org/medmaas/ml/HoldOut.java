package org.medmaas.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Training-row helpers shared by the learners: early-stopping hold-outs and class-balanced weights. */
public final class HoldOut {

    private HoldOut() {
    }

    /** A seeded, per-class share of rows for early stopping. */
    public static boolean[] stratified(int[] y, int classes, double share, long seed) {
        Random random = new Random(seed);
        boolean[] out = new boolean[y.length];
        for (int c = 0; c < classes; c++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == c) {
                    rows.add(i);
                }
            }
            java.util.Collections.shuffle(rows, random);
            int take = (int) Math.round(rows.size() * share);
            for (int k = 0; k < take; k++) {
                out[rows.get(k)] = true;
            }
        }
        return out;
    }

    /**
     * The rows' weights, multiplied when {@code balanced} by n / (classes × rows of that class),
     * scikit-learn's {@code class_weight="balanced"}.
     */
    public static double[] rowWeights(org.medmaas.core.model.LabeledMatrix data, boolean balanced) {
        return rowWeights(data.weights(), data.y(), data.classes().size(), balanced);
    }

    /** The same for any rows: their weights, labels and the number of classes. */
    public static double[] rowWeights(double[] rowWeights, int[] y, int classes, boolean balanced) {
        double[] weights = rowWeights.clone();
        if (balanced) {
            int[] counts = new int[classes];
            for (int label : y) {
                counts[label]++;
            }
            for (int i = 0; i < weights.length; i++) {
                weights[i] *= (double) y.length / (classes * (double) counts[y[i]]);
            }
        }
        return weights;
    }
}
