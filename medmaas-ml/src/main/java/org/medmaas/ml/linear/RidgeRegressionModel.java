package org.medmaas.ml.linear;

import java.util.List;
import org.medmaas.core.model.Regressor;
import org.medmaas.ml.FeatureMatrix;

/** A fitted linear model: {@code intercept + Σ coefficient_j · x_j}. Immutable and thread-safe. */
public record RidgeRegressionModel(List<String> featureNames, double[] coefficients, double intercept) implements Regressor {

    public RidgeRegressionModel {
        featureNames = List.copyOf(featureNames);
        coefficients = coefficients.clone();
    }

    @Override
    public double[] predict(double[][] x) {
        FeatureMatrix.requireWidth(x, coefficients.length);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = intercept;
            for (int j = 0; j < coefficients.length; j++) {
                v += coefficients[j] * x[i][j];
            }
            out[i] = v;
        }
        return out;
    }

    @Override
    public double[] coefficients() {
        return coefficients.clone();
    }
}
