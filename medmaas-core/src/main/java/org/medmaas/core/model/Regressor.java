package org.medmaas.core.model;

import java.util.List;

/** A fitted regression model: one number per row. Implementations are immutable and thread-safe. */
public interface Regressor {

    /** The feature names, in the order of the input columns. */
    List<String> featureNames();

    /** The predicted value of each row. */
    double[] predict(double[][] x);
}
