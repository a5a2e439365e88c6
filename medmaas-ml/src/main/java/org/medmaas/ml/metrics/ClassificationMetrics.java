package org.medmaas.ml.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medmaas.core.error.MedmaasException;

/**
 * Classification metrics with scikit-learn 1.2's definitions, so figures can be compared with it
 * (known-answer tests name the scikit-learn call beside each value). For binary problems class 1
 * is the positive class, as scikit-learn's {@code pos_label=1}.
 */
public final class ClassificationMetrics {

    /** Probabilities are clipped to [ε, 1 − ε] in the log loss, as scikit-learn does. */
    private static final double LOG_LOSS_EPS = 1e-15;

    private ClassificationMetrics() {
    }

    public static long[][] confusionMatrix(int[] y, int[] predicted, int classes) {
        requireSameLength(y.length, predicted.length);
        long[][] m = new long[classes][classes];
        for (int i = 0; i < y.length; i++) {
            m[y[i]][predicted[i]]++;
        }
        return m;
    }

    public static double accuracy(int[] y, int[] predicted) {
        requireSameLength(y.length, predicted.length);
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            correct += y[i] == predicted[i] ? 1 : 0;
        }
        return (double) correct / y.length;
    }

    /** Mean recall over the classes present in {@code y}. */
    public static double balancedAccuracy(long[][] confusion) {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < confusion.length; c++) {
            long support = Arrays.stream(confusion[c]).sum();
            if (support > 0) {
                sum += (double) confusion[c][c] / support;
                present++;
            }
        }
        return sum / present;
    }

    /** Precision of one class; 0 when it is never predicted (scikit-learn's zero_division warning case). */
    public static double precision(long[][] confusion, int c) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    /** Recall (sensitivity) of one class; 0 when it has no rows. */
    public static double recall(long[][] confusion, int c) {
        long support = Arrays.stream(confusion[c]).sum();
        return support == 0 ? 0 : (double) confusion[c][c] / support;
    }

    /** Specificity of one class: the recall of "not this class". */
    public static double specificity(long[][] confusion, int c) {
        long negatives = 0;
        long trueNegatives = 0;
        for (int r = 0; r < confusion.length; r++) {
            if (r == c) {
                continue;
            }
            for (int p = 0; p < confusion.length; p++) {
                negatives += confusion[r][p];
                if (p != c) {
                    trueNegatives += confusion[r][p];
                }
            }
        }
        return negatives == 0 ? 0 : (double) trueNegatives / negatives;
    }

    public static double f1(long[][] confusion, int c) {
        double p = precision(confusion, c);
        double r = recall(confusion, c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public static double macro(long[][] confusion, java.util.function.BiFunction<long[][], Integer, Double> metric) {
        double sum = 0;
        for (int c = 0; c < confusion.length; c++) {
            sum += metric.apply(confusion, c);
        }
        return sum / confusion.length;
    }

    public static double weighted(long[][] confusion, java.util.function.BiFunction<long[][], Integer, Double> metric) {
        double sum = 0;
        long total = 0;
        for (int c = 0; c < confusion.length; c++) {
            long support = Arrays.stream(confusion[c]).sum();
            sum += support * metric.apply(confusion, c);
            total += support;
        }
        return sum / total;
    }

    /**
     * Area under the ROC curve for binary labels (1 = positive) and scores: the probability that a
     * random positive scores above a random negative, ties counting one half (the trapezoidal area
     * scikit-learn computes). NaN when one class is absent.
     */
    public static double rocAuc(int[] positive, double[] score) {
        requireSameLength(positive.length, score.length);
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double rankSumPositives = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]] == 1) {
                    rankSumPositives += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** One-vs-rest ROC-AUC averaged over classes with equal weight (scikit-learn's {@code multi_class="ovr"}). */
    public static double rocAucOneVsRest(int[] y, double[][] probabilities) {
        int classes = probabilities[0].length;
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            int[] positive = new int[y.length];
            double[] score = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                positive[i] = y[i] == c ? 1 : 0;
                score[i] = probabilities[i][c];
            }
            sum += rocAuc(positive, score);
        }
        return sum / classes;
    }

    /**
     * Average precision (area under the precision–recall curve as scikit-learn's
     * {@code average_precision_score}): Σ (R_k − R_{k−1}) P_k over distinct score thresholds, high to low.
     */
    public static double averagePrecision(int[] positive, double[] score) {
        requireSameLength(positive.length, score.length);
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        long totalPositives = Arrays.stream(positive).filter(v -> v == 1).count();
        if (totalPositives == 0) {
            return Double.NaN;
        }
        double ap = 0;
        double previousRecall = 0;
        long truePositives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                truePositives += positive[order[k]];
            }
            double recall = (double) truePositives / totalPositives;
            double precision = (double) truePositives / (j + 1);
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
            i = j + 1;
        }
        return ap;
    }

    /** Mean negative log-likelihood; rows are clipped to [ε, 1 − ε] and renormalized, as scikit-learn 1.2 does. */
    public static double logLoss(int[] y, double[][] probabilities) {
        requireSameLength(y.length, probabilities.length);
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double rowSum = 0;
            for (double p : probabilities[i]) {
                rowSum += Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p));
            }
            double p = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, probabilities[i][y[i]])) / rowSum;
            sum -= Math.log(p);
        }
        return sum / y.length;
    }

    /** Mean squared difference between the positive-class probability and the outcome. */
    public static double brier(int[] positive, double[] probability) {
        requireSameLength(positive.length, probability.length);
        double sum = 0;
        for (int i = 0; i < positive.length; i++) {
            double d = probability[i] - positive[i];
            sum += d * d;
        }
        return sum / positive.length;
    }

    /** One bin of a calibration curve. */
    public record CalibrationBin(double lower, double upper, int count, double meanPredicted, double observedRate) {
    }

    /**
     * Reliability curve over {@code bins} equal-width probability bins, empty bins left out; bin
     * assignment as {@code sklearn.calibration.calibration_curve(strategy="uniform")}.
     */
    public static List<CalibrationBin> calibrationCurve(int[] positive, double[] probability, int bins) {
        int[] count = new int[bins];
        double[] sumPredicted = new double[bins];
        double[] sumObserved = new double[bins];
        for (int i = 0; i < probability.length; i++) {
            // searchsorted(edges[1:-1], p, side="left"): the first inner edge ≥ p.
            int b = 0;
            while (b < bins - 1 && (double) (b + 1) / bins < probability[i]) {
                b++;
            }
            count[b]++;
            sumPredicted[b] += probability[i];
            sumObserved[b] += positive[i];
        }
        List<CalibrationBin> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                out.add(new CalibrationBin((double) b / bins, (double) (b + 1) / bins, count[b],
                        sumPredicted[b] / count[b], sumObserved[b] / count[b]));
            }
        }
        return out;
    }

    /**
     * Expected calibration error (Naeini et al., 2015; Guo et al., 2017) of the positive-class
     * probability: Σ (n_b / n) · |observed rate − mean predicted| over equal-width bins.
     */
    public static double expectedCalibrationError(int[] positive, double[] probability, int bins) {
        double ece = 0;
        for (CalibrationBin bin : calibrationCurve(positive, probability, bins)) {
            ece += (double) bin.count() / probability.length * Math.abs(bin.observedRate() - bin.meanPredicted());
        }
        return ece;
    }

    /** The usual report for probabilities: binary metrics at {@code threshold}, or multi-class ones at argmax. */
    public static Map<String, Double> report(int[] y, double[][] probabilities, double threshold) {
        int classes = probabilities[0].length;
        int[] predicted = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            if (classes == 2) {
                predicted[i] = probabilities[i][1] >= threshold ? 1 : 0;
            } else {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (probabilities[i][c] > probabilities[i][best]) {
                        best = c;
                    }
                }
                predicted[i] = best;
            }
        }
        long[][] confusion = confusionMatrix(y, predicted, classes);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy(y, predicted));
        m.put("balanced_accuracy", balancedAccuracy(confusion));
        if (classes == 2) {
            double[] p1 = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                p1[i] = probabilities[i][1];
            }
            m.put("precision", precision(confusion, 1));
            m.put("recall", recall(confusion, 1));
            m.put("specificity", specificity(confusion, 1));
            m.put("f1", f1(confusion, 1));
            m.put("roc_auc", rocAuc(y, p1));
            m.put("pr_auc", averagePrecision(y, p1));
            m.put("brier", brier(y, p1));
            m.put("ece", expectedCalibrationError(y, p1, 10));
        } else {
            m.put("precision_macro", macro(confusion, ClassificationMetrics::precision));
            m.put("recall_macro", macro(confusion, ClassificationMetrics::recall));
            m.put("f1_macro", macro(confusion, ClassificationMetrics::f1));
            m.put("f1_weighted", weighted(confusion, ClassificationMetrics::f1));
            m.put("roc_auc", rocAucOneVsRest(y, probabilities));
        }
        m.put("f1_macro", m.getOrDefault("f1_macro", macro(confusion, ClassificationMetrics::f1)));
        m.put("log_loss", logLoss(y, probabilities));
        return m;
    }

    private static void requireSameLength(int a, int b) {
        if (a != b) {
            throw MedmaasException.invalid("Labels and predictions differ in length (" + a + " vs " + b + ").");
        }
        if (a == 0) {
            throw MedmaasException.invalid("There are no rows to evaluate.");
        }
    }
}
