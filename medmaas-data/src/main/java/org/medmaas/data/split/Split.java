package org.medmaas.data.split;

/** A train/validation/test split; validation may be empty. */
public record Split(TrainingSet train, EvaluationSet validation, EvaluationSet test) {
}
