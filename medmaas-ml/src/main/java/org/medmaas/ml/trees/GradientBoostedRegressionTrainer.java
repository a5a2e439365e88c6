package org.medmaas.ml.trees;

import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.RegressionMatrix;
import org.medmaas.core.model.RegressorTrainer;

/**
 * Gradient-boosted regression trees on XGBoost4J ({@code reg:squarederror}, histogram method),
 * with the classifier's hyperparameters ({@link GradientBoostingParameters}; class balancing and
 * early stopping do not apply and are ignored). Seeded; two native threads unless set.
 */
public final class GradientBoostedRegressionTrainer implements RegressorTrainer {

    private final GradientBoostingParameters parameters;

    public GradientBoostedRegressionTrainer(GradientBoostingParameters parameters) {
        this.parameters = parameters;
    }

    public GradientBoostingParameters parameters() {
        return parameters;
    }

    @Override
    public String name() {
        return "gbt";
    }

    @Override
    public GradientBoostedRegressionModel fit(RegressionMatrix data) {
        int p = data.featureNames().size();
        float[] values = new float[data.rows() * p];
        float[] labels = new float[data.rows()];
        float[] weights = new float[data.rows()];
        for (int i = 0; i < data.rows(); i++) {
            for (int j = 0; j < p; j++) {
                values[i * p + j] = (float) data.x()[i][j];
            }
            labels[i] = (float) data.y()[i];
            weights[i] = (float) data.weights()[i];
        }
        try {
            Map<String, Object> params = parameters.boosterParameters();
            params.put("objective", "reg:squarederror");
            DMatrix train = new DMatrix(values, data.rows(), p, Float.NaN);
            try {
                train.setLabel(labels);
                train.setWeight(weights);
                Booster booster = XGBoost.train(train, params, parameters.rounds(), new HashMap<>(), null, null);
                return new GradientBoostedRegressionModel(booster, data.featureNames());
            } finally {
                train.dispose();
            }
        } catch (XGBoostError e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "XGBoost failed to train: " + e.getMessage(), e);
        }
    }
}
