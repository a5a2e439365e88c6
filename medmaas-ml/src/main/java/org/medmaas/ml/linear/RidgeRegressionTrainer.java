package org.medmaas.ml.linear;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.SingularValueDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.RegressionMatrix;
import org.medmaas.core.model.RegressorTrainer;

/**
 * Ridge regression (Hoerl and Kennard, 1970) by its closed form, as scikit-learn's {@code Ridge}
 * with an unpenalized intercept: the weighted means of the features and the target are taken out,
 * {@code (XᵀWX + αI) β = XᵀWy} is solved by Cholesky (by SVD, the minimum-norm solution, when α = 0),
 * and the intercept is {@code ȳ − x̄ᵀβ}. Written here because LIBLINEAR's regression solvers are
 * support-vector losses, not least squares; Hipparchus does the linear algebra. Deterministic.
 */
public final class RidgeRegressionTrainer implements RegressorTrainer {

    private final double alpha;

    /** @param alpha the L2 penalty on the coefficients (0: ordinary least squares) */
    public RidgeRegressionTrainer(double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw MedmaasException.invalid("The ridge penalty alpha must be a finite number ≥ 0, got " + alpha + ".");
        }
        this.alpha = alpha;
    }

    public double alpha() {
        return alpha;
    }

    @Override
    public String name() {
        return "ridge";
    }

    @Override
    public RidgeRegressionModel fit(RegressionMatrix data) {
        int n = data.rows();
        int p = data.featureNames().size();
        double[] w = data.weights();
        double total = 0;
        double[] xMean = new double[p];
        double yMean = 0;
        for (int i = 0; i < n; i++) {
            total += w[i];
            yMean += w[i] * data.y()[i];
            for (int j = 0; j < p; j++) {
                xMean[j] += w[i] * data.x()[i][j];
            }
        }
        yMean /= total;
        for (int j = 0; j < p; j++) {
            xMean[j] /= total;
        }
        double[][] gram = new double[p][p];
        double[] moment = new double[p];
        for (int i = 0; i < n; i++) {
            double yc = data.y()[i] - yMean;
            for (int j = 0; j < p; j++) {
                double xj = data.x()[i][j] - xMean[j];
                moment[j] += w[i] * xj * yc;
                for (int k = j; k < p; k++) {
                    gram[j][k] += w[i] * xj * (data.x()[i][k] - xMean[k]);
                }
            }
        }
        for (int j = 0; j < p; j++) {
            gram[j][j] += alpha;
            for (int k = 0; k < j; k++) {
                gram[j][k] = gram[k][j];
            }
        }
        double[] beta = p == 0 ? new double[0] : solve(gram, moment, alpha);
        double intercept = yMean;
        for (int j = 0; j < p; j++) {
            intercept -= beta[j] * xMean[j];
        }
        return new RidgeRegressionModel(data.featureNames(), beta, intercept);
    }

    private static double[] solve(double[][] gram, double[] moment, double alpha) {
        RealMatrix a = new Array2DRowRealMatrix(gram, false);
        RealVector b = new ArrayRealVector(moment, false);
        if (alpha == 0) {
            // Without a penalty the system may be singular (collinear or constant features): the
            // minimum-norm least-squares solution through the pseudo-inverse, as scikit-learn's
            // lstsq-based LinearRegression gives, whatever the scale of the data.
            return new SingularValueDecomposition(a).getSolver().solve(b).toArray();
        }
        try {
            return new CholeskyDecomposition(a).getSolver().solve(b).toArray(); // alpha > 0: positive definite…
        } catch (org.hipparchus.exception.MathRuntimeException e) {
            // …in exact arithmetic; a tiny alpha on a constant feature can still fail the numerical check.
            return new SingularValueDecomposition(a).getSolver().solve(b).toArray();
        }
    }
}
