package org.medmaas.core.model;

/**
 * Learns a {@link ProbabilisticClassifier} from data. Hyperparameters and the seed are fixed at
 * construction, so the same data always gives the same model.
 */
public interface ClassifierTrainer {

    /** A short, stable name (e.g. "lr") used in reports and bundles. */
    String name();

    ProbabilisticClassifier fit(LabeledMatrix data);
}
