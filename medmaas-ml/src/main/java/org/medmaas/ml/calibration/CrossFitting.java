package org.medmaas.ml.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.medmaas.data.split.ClassLabels;
import org.medmaas.data.split.StratifiedKFold;

/**
 * Honest calibrated probabilities for reporting: each held-out probability is calibrated by a
 * calibrator fitted without it (stratified 5-fold over the held-out predictions), so the ECE
 * after calibration is not measured on the calibrator's own training points.
 */
public final class CrossFitting {

    private CrossFitting() {
    }

    /**
     * @param p    held-out positive-class probabilities (e.g. out-of-fold)
     * @param y    their labels, 0 or 1
     * @param fit  how to fit a calibrator on (probabilities, labels)
     */
    public static double[] calibrate(double[] p, int[] y, BiFunction<double[], int[], Calibrator> fit, long seed) {
        int positives = 0;
        for (int v : y) {
            positives += v;
        }
        int k = Math.min(5, Math.min(positives, y.length - positives));
        if (k < 2) {
            return p.clone();
        }
        int[] fold = new StratifiedKFold(k, seed).assign(new ClassLabels("y", List.of("0", "1"), y));
        double[] out = new double[p.length];
        for (int f = 0; f < k; f++) {
            List<Integer> train = new ArrayList<>();
            for (int i = 0; i < p.length; i++) {
                if (fold[i] != f) {
                    train.add(i);
                }
            }
            Calibrator c = fit.apply(train.stream().mapToDouble(i -> p[i]).toArray(),
                    train.stream().mapToInt(i -> y[i]).toArray());
            for (int i = 0; i < p.length; i++) {
                if (fold[i] == f) {
                    out[i] = c.calibrate(p[i]);
                }
            }
        }
        return out;
    }
}
