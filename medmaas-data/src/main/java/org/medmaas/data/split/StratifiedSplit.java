package org.medmaas.data.split;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Table;

/**
 * A seeded train/validation/test split that keeps each class's share in every part: per class,
 * rows are shuffled and dealt out by largest-remainder rounding of the requested shares.
 */
public record StratifiedSplit(double validationShare, double testShare, long seed) {

    public StratifiedSplit {
        if (validationShare < 0 || testShare <= 0 || validationShare + testShare >= 1) {
            throw MedmaasException.invalid("Split shares: 'test' must be positive, 'validation' zero or more,"
                    + " and together below 1.");
        }
    }

    public Split split(Table table, String target) {
        ClassLabels labels = ClassLabels.of(table, target);
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        Random random = new Random(seed);
        for (int[] rows : labels.rowsByClass()) {
            int[] shuffled = Shuffle.copy(rows, random);
            int n = shuffled.length;
            int nTest = (int) Math.round(n * testShare);
            int nValidation = (int) Math.round(n * validationShare);
            if (nTest + nValidation > n) {
                nValidation = n - nTest;
            }
            for (int i = 0; i < n; i++) {
                (i < nTest ? test : i < nTest + nValidation ? validation : train).add(shuffled[i]);
            }
        }
        if (train.isEmpty() || test.isEmpty()) {
            throw MedmaasException.invalid("The split leaves the training or test part empty: "
                    + table.rowCount() + " rows are too few for these shares.");
        }
        return new Split(new TrainingSet(table.take(sorted(train)), target),
                new EvaluationSet(table.take(sorted(validation)), target),
                new EvaluationSet(table.take(sorted(test)), target));
    }

    private static int[] sorted(List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
