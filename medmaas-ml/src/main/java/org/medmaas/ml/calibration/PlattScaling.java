package org.medmaas.ml.calibration;

import org.medmaas.core.error.MedmaasException;

/**
 * Platt scaling (Platt, 1999): {@code P = 1 / (1 + exp(a·f + b))} on the model's log-odds f, fitted
 * by maximum likelihood with Platt's smoothed targets, using the Newton method with backtracking
 * of Lin, Lin and Weng (2007, "A note on Platt's probabilistic outputs for support vector
 * machines") — the fit scikit-learn's {@code CalibratedClassifierCV(method="sigmoid")} performs.
 */
public record PlattScaling(double a, double b) implements Calibrator {

    private static final int MAX_ITERATIONS = 100;
    private static final double MIN_STEP = 1e-10;
    private static final double SIGMA = 1e-12;
    private static final double EPS = 1e-5;

    @Override
    public double calibrate(double probability) {
        double f = logit(probability);
        double z = a * f + b;
        return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
    }

    static double logit(double p) {
        double q = Math.min(1 - 1e-15, Math.max(1e-15, p));
        return Math.log(q / (1 - q));
    }

    /** Fits on held-out probabilities (converted to log-odds) and their 0/1 outcomes. */
    public static PlattScaling fit(double[] probabilities, int[] positive) {
        double[] f = new double[probabilities.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = logit(probabilities[i]);
        }
        return fitDecisionValues(f, positive);
    }

    /** Fits on decision values (log-odds) directly. */
    public static PlattScaling fitDecisionValues(double[] f, int[] positive) {
        int n = f.length;
        int prior1 = 0;
        for (int y : positive) {
            prior1 += y;
        }
        int prior0 = n - prior1;
        if (prior0 == 0 || prior1 == 0) {
            throw MedmaasException.invalid("Calibration needs held-out rows of both classes.");
        }
        double hiTarget = (prior1 + 1.0) / (prior1 + 2.0);
        double loTarget = 1 / (prior0 + 2.0);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = positive[i] == 1 ? hiTarget : loTarget;
        }
        double a = 0;
        double b = Math.log((prior0 + 1.0) / (prior1 + 1.0));
        double fval = objective(f, t, a, b);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double h11 = SIGMA;
            double h22 = SIGMA;
            double h21 = 0;
            double g1 = 0;
            double g2 = 0;
            for (int i = 0; i < n; i++) {
                double fApB = f[i] * a + b;
                double p;
                double q;
                if (fApB >= 0) {
                    p = Math.exp(-fApB) / (1 + Math.exp(-fApB));
                    q = 1 / (1 + Math.exp(-fApB));
                } else {
                    p = 1 / (1 + Math.exp(fApB));
                    q = Math.exp(fApB) / (1 + Math.exp(fApB));
                }
                double d2 = p * q;
                h11 += f[i] * f[i] * d2;
                h22 += d2;
                h21 += f[i] * d2;
                double d1 = t[i] - p;
                g1 += f[i] * d1;
                g2 += d1;
            }
            if (Math.abs(g1) < EPS && Math.abs(g2) < EPS) {
                break;
            }
            double det = h11 * h22 - h21 * h21;
            double dA = -(h22 * g1 - h21 * g2) / det;
            double dB = -(-h21 * g1 + h11 * g2) / det;
            double gd = g1 * dA + g2 * dB;
            double step = 1;
            while (step >= MIN_STEP) {
                double newA = a + step * dA;
                double newB = b + step * dB;
                double newF = objective(f, t, newA, newB);
                if (newF < fval + 0.0001 * step * gd) {
                    a = newA;
                    b = newB;
                    fval = newF;
                    break;
                }
                step /= 2;
            }
            if (step < MIN_STEP) {
                break;
            }
        }
        return new PlattScaling(a, b);
    }

    private static double objective(double[] f, double[] t, double a, double b) {
        double sum = 0;
        for (int i = 0; i < f.length; i++) {
            double fApB = f[i] * a + b;
            sum += fApB >= 0 ? t[i] * fApB + Math.log1p(Math.exp(-fApB)) : (t[i] - 1) * fApB + Math.log1p(Math.exp(fApB));
        }
        return sum;
    }
}
