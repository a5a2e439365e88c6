package org.medmaas.ml.linear;

import java.util.Objects;
import org.medmaas.core.error.MedmaasException;

/**
 * Hyperparameters of {@link LogisticRegressionTrainer}.
 *
 * @param penalty         L2 (ridge) or L1 (lasso, sparse weights)
 * @param c               inverse regularization strength, as scikit-learn's {@code C}
 * @param balanced        weight classes inversely to their frequency ({@code class_weight="balanced"})
 * @param regularizeBias  whether the intercept is penalized too (LIBLINEAR's classic behaviour;
 *                        off by default, as in scikit-learn's lbfgs solver)
 * @param tolerance       stopping tolerance of the solver
 * @param maxIterations   iteration cap of the solver
 * @param seed            seed of the solver's random permutations
 */
public record LogisticRegressionParameters(Penalty penalty, double c, boolean balanced, boolean regularizeBias,
        double tolerance, int maxIterations, long seed) {

    public enum Penalty { L1, L2 }

    /** The seed used unless another is given; documented so runs can be reproduced. */
    public static final long DEFAULT_SEED = 42L;

    public LogisticRegressionParameters {
        Objects.requireNonNull(penalty, "penalty");
        if (!(c > 0) || !Double.isFinite(c)) {
            throw MedmaasException.invalid("Logistic regression 'C' must be a positive number.");
        }
        if (!(tolerance > 0)) {
            throw MedmaasException.invalid("Logistic regression 'tolerance' must be positive.");
        }
        if (maxIterations < 1) {
            throw MedmaasException.invalid("Logistic regression 'max_iterations' must be at least 1.");
        }
    }

    public static LogisticRegressionParameters defaults() {
        return new LogisticRegressionParameters(Penalty.L2, 1.0, false, false, 1e-4, 1000, DEFAULT_SEED);
    }

    public LogisticRegressionParameters withC(double newC) {
        return new LogisticRegressionParameters(penalty, newC, balanced, regularizeBias, tolerance, maxIterations, seed);
    }

    public LogisticRegressionParameters withBalancedClasses(boolean on) {
        return new LogisticRegressionParameters(penalty, c, on, regularizeBias, tolerance, maxIterations, seed);
    }

    public LogisticRegressionParameters withPenalty(Penalty p) {
        return new LogisticRegressionParameters(p, c, balanced, regularizeBias, tolerance, maxIterations, seed);
    }
}
