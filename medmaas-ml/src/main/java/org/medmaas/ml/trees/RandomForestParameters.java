package org.medmaas.ml.trees;

import org.medmaas.core.error.MedmaasException;

/**
 * Hyperparameters of {@link RandomForestTrainer}, named as in XGBoost's random-forest mode where
 * they exist there and as in scikit-learn's {@code RandomForestClassifier} otherwise.
 *
 * @param trees          trees in the forest ({@code num_parallel_tree})
 * @param maxDepth       maximum depth (scikit-learn grows trees until their leaves are pure; 12
 *                       levels is that, or near it, on tables of up to a few thousand rows)
 * @param maxFeatures    share of the features each split may choose from; 0 means √p of p, as
 *                       scikit-learn's default ({@code colsample_bynode})
 * @param sampleShare    share of rows each tree learns from, drawn without replacement (0.632 is
 *                       the expected share of distinct rows in a bootstrap sample)
 * @param minChildWeight minimum hessian weight in a leaf (a row weighs p(1−p) ≈ 0.25 at the start)
 * @param balanced       weight rows inversely to their class frequency
 * @param threads        OpenMP threads for training
 * @param seed           XGBoost's seed
 */
public record RandomForestParameters(int trees, int maxDepth, double maxFeatures, double sampleShare,
        double minChildWeight, boolean balanced, int threads, long seed) {

    public RandomForestParameters {
        if (trees < 1 || trees > 10_000) {
            throw MedmaasException.invalid("'trees' must be between 1 and 10000.");
        }
        if (maxDepth < 1 || maxDepth > 30) {
            throw MedmaasException.invalid("'max_depth' must be between 1 and 30.");
        }
        if (!(maxFeatures >= 0 && maxFeatures <= 1)) {
            throw MedmaasException.invalid("'max_features' must be a share in (0, 1], or 0 for the square root of the"
                    + " feature count.");
        }
        if (!(sampleShare > 0 && sampleShare <= 1)) {
            throw MedmaasException.invalid("'sample_share' must be in (0, 1].");
        }
        if (!(minChildWeight >= 0)) {
            throw MedmaasException.invalid("'min_child_weight' must not be negative.");
        }
        if (threads < 1) {
            throw MedmaasException.invalid("'threads' must be at least 1.");
        }
    }

    public static RandomForestParameters defaults(long seed) {
        return new RandomForestParameters(200, 12, 0, 0.632, 0.1, false, 2, seed);
    }

    /** The share of features per split for {@code features} columns. */
    double featureShare(int features) {
        if (maxFeatures > 0) {
            return maxFeatures;
        }
        return Math.min(1.0, Math.max(1, Math.round(Math.sqrt(features))) / (double) features);
    }
}
