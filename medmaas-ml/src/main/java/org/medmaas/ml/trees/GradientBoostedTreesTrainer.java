package org.medmaas.ml.trees;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.core.model.LabeledMatrix;

/**
 * Gradient-boosted trees on XGBoost4J (Chen and Guestrin, 2016), histogram method. Binary
 * problems use {@code binary:logistic}, multi-class ones {@code multi:softprob}. Native threads:
 * set {@code OMP_WAIT_POLICY=PASSIVE} in the environment (the launcher and the tests do), or
 * OpenMP threads spin and training runs many times slower on small machines.
 */
public final class GradientBoostedTreesTrainer implements ClassifierTrainer {

    private final GradientBoostingParameters parameters;

    public GradientBoostedTreesTrainer(GradientBoostingParameters parameters) {
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
    public GradientBoostedTreesModel fit(LabeledMatrix data) {
        int classes = data.classes().size();
        double[] weights = org.medmaas.ml.HoldOut.rowWeights(data, parameters.balanced());
        try {
            Map<String, Object> params = parameters.boosterParameters();
            if (classes == 2) {
                params.put("objective", "binary:logistic");
                params.put("eval_metric", "logloss");
            } else {
                params.put("objective", "multi:softprob");
                params.put("num_class", classes);
                params.put("eval_metric", "mlogloss");
            }
            Booster booster;
            if (parameters.earlyStoppingRounds() > 0) {
                boolean[] validation = org.medmaas.ml.HoldOut.stratified(data.y(), classes, parameters.validationShare(), parameters.seed());
                DMatrix train = matrix(data, weights, validation, false);
                DMatrix valid = matrix(data, weights, validation, true);
                Map<String, DMatrix> watches = new HashMap<>();
                watches.put("train", train);
                watches.put("validation", valid);
                booster = XGBoost.train(train, params, parameters.rounds(), watches, new float[watches.size()][parameters.rounds()],
                        null, null, parameters.earlyStoppingRounds());
                train.dispose();
                valid.dispose();
            } else {
                DMatrix train = matrix(data, weights, new boolean[data.rows()], false);
                booster = XGBoost.train(train, params, parameters.rounds(), new HashMap<>(), null, null);
                train.dispose();
            }
            return new GradientBoostedTreesModel(booster, data.featureNames(), data.classes());
        } catch (XGBoostError e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "XGBoost failed to train: " + e.getMessage(), e);
        }
    }

    /** The rows where {@code select[i] == pick}, as a DMatrix with labels and weights. */
    static DMatrix matrix(LabeledMatrix data, double[] weights, boolean[] select, boolean pick) throws XGBoostError {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < data.rows(); i++) {
            if (select[i] == pick) {
                rows.add(i);
            }
        }
        int p = data.features();
        float[] values = new float[rows.size() * p];
        float[] labels = new float[rows.size()];
        float[] w = new float[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            int i = rows.get(k);
            for (int j = 0; j < p; j++) {
                values[k * p + j] = (float) data.x()[i][j];
            }
            labels[k] = data.y()[i];
            w[k] = (float) weights[i];
        }
        DMatrix m = new DMatrix(values, rows.size(), p, Float.NaN);
        m.setLabel(labels);
        m.setWeight(w);
        return m;
    }
}
