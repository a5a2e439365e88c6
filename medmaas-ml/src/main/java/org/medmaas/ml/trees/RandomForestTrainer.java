package org.medmaas.ml.trees;

import java.util.HashMap;
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
 * A random forest in XGBoost's random-forest mode: one boosting round of {@code trees} parallel
 * trees, each on a row sample without replacement and a feature sample per split, learning rate 1
 * (XGBoost averages the parallel trees). XGBoost rather than a second tree library because its
 * model file, Java scorer ({@link TreeEnsemble}) and exact TreeSHAP contributions are the ones
 * the gradient-boosted trees already use; the usual JVM forests are GPL (Smile 2+) or have no
 * TreeSHAP. Leaves are weighted with almost no L2 shrinkage ({@code lambda} 1e-3), so a leaf's
 * value follows its rows' class share as in a classical forest; the model's probabilities are
 * calibrated afterwards like any learner's.
 */
public final class RandomForestTrainer implements ClassifierTrainer {

    private final RandomForestParameters parameters;

    public RandomForestTrainer(RandomForestParameters parameters) {
        this.parameters = parameters;
    }

    public RandomForestParameters parameters() {
        return parameters;
    }

    @Override
    public String name() {
        return "rf";
    }

    @Override
    public GradientBoostedTreesModel fit(LabeledMatrix data) {
        int classes = data.classes().size();
        Map<String, Object> params = new HashMap<>();
        params.put("tree_method", "hist");
        params.put("num_parallel_tree", parameters.trees());
        params.put("max_depth", parameters.maxDepth());
        params.put("eta", 1.0);
        params.put("subsample", parameters.sampleShare());
        params.put("colsample_bynode", parameters.featureShare(data.features()));
        params.put("min_child_weight", parameters.minChildWeight());
        params.put("lambda", 1e-3);
        params.put("nthread", parameters.threads());
        params.put("seed", parameters.seed());
        params.put("verbosity", 0);
        if (classes == 2) {
            params.put("objective", "binary:logistic");
        } else {
            params.put("objective", "multi:softprob");
            params.put("num_class", classes);
        }
        double[] weights = org.medmaas.ml.HoldOut.rowWeights(data, parameters.balanced());
        try {
            DMatrix train = GradientBoostedTreesTrainer.matrix(data, weights, new boolean[data.rows()], false);
            try {
                Booster booster = XGBoost.train(train, params, 1, new HashMap<>(), null, null);
                return new GradientBoostedTreesModel(booster, data.featureNames(), data.classes());
            } finally {
                train.dispose();
            }
        } catch (XGBoostError e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "XGBoost failed to train the random forest: " + e.getMessage(), e);
        }
    }
}
