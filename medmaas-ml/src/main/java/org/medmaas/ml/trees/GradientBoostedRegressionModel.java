package org.medmaas.ml.trees;

import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.Regressor;
import org.medmaas.ml.FeatureMatrix;

/**
 * A fitted XGBoost regression model ({@code reg:squarederror}), scored by XGBoost's native
 * predictor; its file is the model JSON Python's xgboost also loads. Thread-safe (XGBoost's
 * predictor is, for a booster not being trained).
 */
public final class GradientBoostedRegressionModel implements Regressor {

    private final Booster booster;
    private final List<String> featureNames;

    GradientBoostedRegressionModel(Booster booster, List<String> featureNames) {
        this.booster = booster;
        this.featureNames = List.copyOf(featureNames);
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    @Override
    public double[] predict(double[][] x) {
        FeatureMatrix.requireWidth(x, featureNames.size());
        try {
            DMatrix m = new DMatrix(FeatureMatrix.toFloatRowMajor(x, featureNames.size()), x.length, featureNames.size(), Float.NaN);
            try {
                float[][] p = booster.predict(m);
                double[] out = new double[x.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = p[i][0];
                }
                return out;
            } finally {
                m.dispose();
            }
        } catch (XGBoostError e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "XGBoost failed to predict: " + e.getMessage(), e);
        }
    }

    /** The model as XGBoost's JSON, for a bundle. */
    public Map<String, byte[]> nativeFiles() {
        try {
            return Map.of(GradientBoostedTreesModel.NATIVE_FILE, booster.toByteArray("json"));
        } catch (XGBoostError e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "XGBoost failed to save its model: " + e.getMessage(), e);
        }
    }
}
