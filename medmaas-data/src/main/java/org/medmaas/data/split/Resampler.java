package org.medmaas.data.split;

/**
 * Rebalances classes in training data. Takes and returns a {@link TrainingSet}: held-out
 * {@link EvaluationSet}s cannot be passed in, so evaluation always sees the real class mix.
 */
public interface Resampler {

    TrainingSet resample(TrainingSet train);
}
