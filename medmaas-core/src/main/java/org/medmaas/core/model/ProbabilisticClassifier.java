package org.medmaas.core.model;

import java.util.List;

/** A fitted classifier that gives a probability for each class. Implementations are immutable and thread-safe. */
public interface ProbabilisticClassifier {

    /** The class labels, in the order of the probability columns. */
    List<String> classes();

    /** The feature names, in the order of the input columns. */
    List<String> featureNames();

    /** Class probabilities for each row (rows × classes; each row sums to 1). */
    double[][] predictProbabilities(double[][] x);
}
