package org.medmaas.ml.linear;

import java.util.Arrays;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.MaxIter;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.hipparchus.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.ml.ExplainableClassifier;
import org.medmaas.ml.HoldOut;

/**
 * Multinomial (softmax) logistic regression: one weight vector per class, probabilities by
 * softmax, L2 penalty on the weights but not the intercepts, the objective of scikit-learn's
 * {@code LogisticRegression(multi_class="multinomial")}:
 * {@code C · Σ_i w_i · (−log p(y_i | x_i)) + ½ ‖W‖²}. LIBLINEAR has no softmax solver, so the
 * objective and its gradient are written here and minimized with Hipparchus's nonlinear
 * conjugate gradient (Polak–Ribière). Binary targets go to LIBLINEAR, whose logistic objective
 * is the same.
 */
public final class SoftmaxRegressionTrainer implements ClassifierTrainer {

    private final LogisticRegressionParameters parameters;

    public SoftmaxRegressionTrainer(LogisticRegressionParameters parameters) {
        if (parameters.penalty() != LogisticRegressionParameters.Penalty.L2) {
            throw MedmaasException.invalid("Softmax logistic regression takes the L2 penalty; for L1 use multiclass: ovr.");
        }
        this.parameters = parameters;
    }

    public LogisticRegressionParameters parameters() {
        return parameters;
    }

    @Override
    public String name() {
        return "lr";
    }

    @Override
    public ExplainableClassifier fit(LabeledMatrix data) {
        int k = data.classes().size();
        if (k == 2) {
            return new LogisticRegressionTrainer(parameters).fit(data);
        }
        int p = data.features();
        double[] rowWeights = HoldOut.rowWeights(data, parameters.balanced());
        Objective objective = new Objective(data.x(), data.y(), rowWeights, k, parameters.c());
        NonLinearConjugateGradientOptimizer optimizer = new NonLinearConjugateGradientOptimizer(
                NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE,
                // Converged when the largest gradient component is below the tolerance, as
                // scikit-learn's lbfgs (gtol = tol), or when the objective stops changing in
                // double precision: the value-based line search cannot resolve steps below that.
                (iteration, previous, current) -> Math.abs(previous.getValue() - current.getValue()) <= 8 * Math.ulp(current.getValue())
                        || maxAbs(objective.gradient(current.getPoint())) <= parameters.tolerance(),
                1e-12, 1e-14, 1e-3);
        PointValuePair best;
        try {
            best = optimizer.optimize(new MaxEval(Integer.MAX_VALUE), new MaxIter(parameters.maxIterations() * 10),
                    new ObjectiveFunction(objective::value), new ObjectiveFunctionGradient(objective::gradient),
                    GoalType.MINIMIZE, new InitialGuess(new double[k * (p + 1)]));
        } catch (MathIllegalStateException e) {
            throw new MedmaasException(ErrorCode.INVALID_INPUT, "Softmax logistic regression did not converge in "
                    + parameters.maxIterations() * 10 + " iterations; raise max_iterations or lower C.", e);
        }
        double[] theta = best.getPoint();
        double[][] weights = new double[k][];
        double[] intercepts = new double[k];
        for (int c = 0; c < k; c++) {
            weights[c] = Arrays.copyOfRange(theta, c * (p + 1), c * (p + 1) + p);
            intercepts[c] = theta[c * (p + 1) + p];
        }
        return new SoftmaxRegressionModel(weights, intercepts, data.featureNames(), data.classes());
    }

    private static double maxAbs(double[] v) {
        double max = 0;
        for (double d : v) {
            max = Math.max(max, Math.abs(d));
        }
        return max;
    }

    /**
     * The penalized negative log-likelihood over θ = per class (p weights, then the intercept).
     * Intercepts are unpenalized, so with them the problem keeps one flat direction (adding a
     * constant to every class's intercept); the optimizer does not mind, and softmax ignores it.
     */
    private record Objective(double[][] x, int[] y, double[] rowWeights, int classes, double c) {

        double value(double[] theta) {
            int p = x[0].length;
            double loss = 0;
            double[] z = new double[classes];
            for (int i = 0; i < x.length; i++) {
                scores(theta, x[i], z);
                loss += rowWeights[i] * (logSumExp(z) - z[y[i]]);
            }
            double penalty = 0;
            for (int cl = 0; cl < classes; cl++) {
                for (int j = 0; j < p; j++) {
                    double w = theta[cl * (p + 1) + j];
                    penalty += w * w;
                }
            }
            return c * loss + 0.5 * penalty;
        }

        double[] gradient(double[] theta) {
            int p = x[0].length;
            double[] g = new double[theta.length];
            double[] z = new double[classes];
            for (int i = 0; i < x.length; i++) {
                scores(theta, x[i], z);
                double lse = logSumExp(z);
                for (int cl = 0; cl < classes; cl++) {
                    double residual = c * rowWeights[i] * (Math.exp(z[cl] - lse) - (y[i] == cl ? 1 : 0));
                    int base = cl * (p + 1);
                    for (int j = 0; j < p; j++) {
                        g[base + j] += residual * x[i][j];
                    }
                    g[base + p] += residual;
                }
            }
            for (int cl = 0; cl < classes; cl++) {
                for (int j = 0; j < p; j++) {
                    g[cl * (p + 1) + j] += theta[cl * (p + 1) + j];
                }
            }
            return g;
        }

        private void scores(double[] theta, double[] row, double[] z) {
            int p = row.length;
            for (int cl = 0; cl < classes; cl++) {
                int base = cl * (p + 1);
                double s = theta[base + p];
                for (int j = 0; j < p; j++) {
                    s += theta[base + j] * row[j];
                }
                z[cl] = s;
            }
        }

        private static double logSumExp(double[] z) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            return max + Math.log(sum);
        }
    }
}
