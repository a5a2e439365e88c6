package org.medmaas.ml;

import java.util.List;

/**
 * Why a binary model gave its score for one row: {@code baseline + Σ contributions} is the model's
 * log-odds for the positive class (exactly, for logistic regression and TreeSHAP).
 *
 * @param baseline      the intercept (LR) or expected value (TreeSHAP), in log-odds
 * @param contributions one per feature, in the model's feature order
 */
public record Explanation(double baseline, double[] contributions, List<String> features) {

    public Explanation {
        features = List.copyOf(features);
        contributions = contributions.clone();
    }

    public double logOdds() {
        double sum = baseline;
        for (double c : contributions) {
            sum += c;
        }
        return sum;
    }
}
