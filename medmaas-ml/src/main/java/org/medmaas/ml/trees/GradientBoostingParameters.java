package org.medmaas.ml.trees;

import org.medmaas.core.error.MedmaasException;

/**
 * Hyperparameters of {@link GradientBoostedTreesTrainer}, named as in XGBoost.
 *
 * @param rounds                 boosting rounds (trees per class)
 * @param maxDepth               maximum tree depth
 * @param eta                    learning rate
 * @param subsample              share of rows sampled per tree
 * @param colsampleByTree        share of features sampled per tree
 * @param minChildWeight         minimum hessian weight in a leaf
 * @param lambda                 L2 regularization of leaf weights
 * @param earlyStoppingRounds    stop when the validation log loss has not improved for this many
 *                               rounds (0: off); the validation rows are a stratified
 *                               {@code validationShare} of the training data
 * @param validationShare        share held out for early stopping
 * @param balanced               weight rows inversely to their class frequency
 * @param threads                OpenMP threads for training
 * @param seed                   XGBoost's seed and the validation split's
 */
public record GradientBoostingParameters(int rounds, int maxDepth, double eta, double subsample, double colsampleByTree,
        double minChildWeight, double lambda, int earlyStoppingRounds, double validationShare, boolean balanced,
        int threads, long seed) {

    public static final long DEFAULT_SEED = 42L;

    public GradientBoostingParameters {
        if (rounds < 1 || rounds > 100_000) {
            throw MedmaasException.invalid("'rounds' must be between 1 and 100000.");
        }
        if (maxDepth < 1 || maxDepth > 30) {
            throw MedmaasException.invalid("'max_depth' must be between 1 and 30.");
        }
        if (!(eta > 0 && eta <= 1)) {
            throw MedmaasException.invalid("'eta' must be in (0, 1].");
        }
        if (!(subsample > 0 && subsample <= 1) || !(colsampleByTree > 0 && colsampleByTree <= 1)) {
            throw MedmaasException.invalid("'subsample' and 'colsample_bytree' must be in (0, 1].");
        }
        if (minChildWeight < 0 || lambda < 0) {
            throw MedmaasException.invalid("'min_child_weight' and 'lambda' must not be negative.");
        }
        if (earlyStoppingRounds < 0 || !(validationShare > 0 && validationShare < 0.5)) {
            throw MedmaasException.invalid("'early_stopping_rounds' must be 0 or more and 'validation_share' in (0, 0.5).");
        }
        if (threads < 1) {
            throw MedmaasException.invalid("'threads' must be at least 1.");
        }
    }

    /** XGBoost's defaults (100 rounds here), no early stopping, two threads. */
    public static GradientBoostingParameters defaults() {
        return new GradientBoostingParameters(100, 6, 0.3, 1.0, 1.0, 1.0, 1.0, 0, 0.1, false, 2, DEFAULT_SEED);
    }

    public GradientBoostingParameters withRounds(int r) {
        return new GradientBoostingParameters(r, maxDepth, eta, subsample, colsampleByTree, minChildWeight, lambda,
                earlyStoppingRounds, validationShare, balanced, threads, seed);
    }

    public GradientBoostingParameters withDepthAndEta(int depth, double rate) {
        return new GradientBoostingParameters(rounds, depth, rate, subsample, colsampleByTree, minChildWeight, lambda,
                earlyStoppingRounds, validationShare, balanced, threads, seed);
    }

    public GradientBoostingParameters withEarlyStopping(int patience) {
        return new GradientBoostingParameters(rounds, maxDepth, eta, subsample, colsampleByTree, minChildWeight, lambda,
                patience, validationShare, balanced, threads, seed);
    }

    /** XGBoost's booster parameters from these settings (histogram trees), without the objective. */
    java.util.Map<String, Object> boosterParameters() {
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        params.put("tree_method", "hist");
        params.put("max_depth", maxDepth);
        params.put("eta", eta);
        params.put("subsample", subsample);
        params.put("colsample_bytree", colsampleByTree);
        params.put("min_child_weight", minChildWeight);
        params.put("lambda", lambda);
        params.put("nthread", threads);
        params.put("seed", seed);
        params.put("verbosity", 0);
        return params;
    }
}
