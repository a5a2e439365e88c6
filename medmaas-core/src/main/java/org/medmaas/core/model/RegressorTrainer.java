package org.medmaas.core.model;

/**
 * Learns a {@link Regressor} from data. Hyperparameters and the seed are fixed at construction, so
 * the same data always gives the same model (the regression counterpart of {@link ClassifierTrainer}).
 */
public interface RegressorTrainer {

    /** A short, stable name (e.g. "ridge") used in reports and bundles. */
    String name();

    Regressor fit(RegressionMatrix data);
}
