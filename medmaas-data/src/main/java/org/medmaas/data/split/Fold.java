package org.medmaas.data.split;

/** One cross-validation fold: rows to learn from and the rows held out. */
public record Fold(int number, TrainingSet train, EvaluationSet test) {
}
