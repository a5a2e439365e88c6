package org.medmaas.ml.calibration;

import java.util.Arrays;
import org.medmaas.core.error.MedmaasException;

/**
 * Chooses the probability at or above which a binary model says "positive", from held-out
 * predictions. Candidates are the distinct held-out probabilities.
 */
public final class ThresholdSelection {

    private ThresholdSelection() {
    }

    /** Youden's J (1950): the threshold maximizing sensitivity + specificity − 1. */
    public static double youden(double[] probability, int[] positive) {
        return best(probability, positive, (tp, fp, fn, tn) -> (double) tp / (tp + fn) + (double) tn / (tn + fp) - 1);
    }

    /** The highest threshold whose sensitivity reaches {@code target} (e.g. 0.95 for a screening test). */
    public static double forSensitivity(double[] probability, int[] positive, double target) {
        if (!(target > 0 && target <= 1)) {
            throw MedmaasException.invalid("Target sensitivity must be in (0, 1].");
        }
        double[] candidates = candidates(probability);
        for (int k = candidates.length - 1; k >= 0; k--) {
            int[] c = counts(probability, positive, candidates[k]);
            if ((double) c[0] / (c[0] + c[2]) >= target) {
                return candidates[k];
            }
        }
        return candidates[0];
    }

    /**
     * The threshold with the lowest expected cost when a missed case costs {@code costRatio} times
     * a false alarm (e.g. 5 for a disease whose miss is five times worse than an extra work-up).
     */
    public static double forCostRatio(double[] probability, int[] positive, double costRatio) {
        if (!(costRatio > 0)) {
            throw MedmaasException.invalid("The cost ratio must be positive.");
        }
        return best(probability, positive, (tp, fp, fn, tn) -> -(fp + costRatio * fn));
    }

    private interface Score {
        double of(int tp, int fp, int fn, int tn);
    }

    private static double best(double[] probability, int[] positive, Score score) {
        double[] candidates = candidates(probability);
        double bestThreshold = candidates[0];
        double bestScore = Double.NEGATIVE_INFINITY;
        for (double t : candidates) {
            int[] c = counts(probability, positive, t);
            double s = score.of(c[0], c[1], c[2], c[3]);
            if (s > bestScore) {
                bestScore = s;
                bestThreshold = t;
            }
        }
        return bestThreshold;
    }

    private static double[] candidates(double[] probability) {
        if (probability.length == 0) {
            throw MedmaasException.invalid("Choosing a threshold needs held-out predictions.");
        }
        return Arrays.stream(probability).distinct().sorted().toArray();
    }

    /** tp, fp, fn, tn when predicting positive at probability ≥ t. */
    private static int[] counts(double[] probability, int[] positive, double t) {
        int[] c = new int[4];
        for (int i = 0; i < probability.length; i++) {
            boolean predicted = probability[i] >= t;
            if (positive[i] == 1) {
                c[predicted ? 0 : 2]++;
            } else {
                c[predicted ? 1 : 3]++;
            }
        }
        if (c[0] + c[2] == 0 || c[1] + c[3] == 0) {
            throw MedmaasException.invalid("Choosing a threshold needs held-out rows of both classes.");
        }
        return c;
    }
}
