package org.medmaas.data.split;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Table;

/**
 * Seeded stratified k-fold cross-validation. Each class's rows are shuffled and dealt round-robin
 * to the folds, continuing where the previous class stopped, so every fold holds ⌊n_c/k⌋ or
 * ⌈n_c/k⌉ rows of each class c and fold sizes differ by at most one.
 */
public record StratifiedKFold(int k, long seed) implements FoldStrategy {

    public StratifiedKFold {
        if (k < 2) {
            throw MedmaasException.invalid("Cross-validation needs at least 2 folds, got " + k + ".");
        }
    }

    /** The fold number (0-based) of each row. */
    public int[] assign(ClassLabels labels) {
        int[] counts = labels.counts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < k) {
                throw MedmaasException.invalid("Class '" + labels.classes().get(c) + "' of target '" + labels.target()
                        + "' has " + counts[c] + " rows, fewer than the " + k + " folds. Use fewer folds.");
            }
        }
        int[] fold = new int[labels.index().length];
        Random random = new Random(seed);
        int next = 0;
        for (int[] rows : labels.rowsByClass()) {
            for (int row : Shuffle.copy(rows, random)) {
                fold[row] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    @Override
    public List<FoldStrategy.Split> splits(Table table, String target) {
        return FoldStrategy.fromAssignment(assign(ClassLabels.of(table, target)), k);
    }

    @Override
    public String describe() {
        return "stratified " + k + "-fold, seed " + seed;
    }

    @Override
    public List<Fold> folds(Table table, String target) {
        return folds(table, target, assign(ClassLabels.of(table, target)));
    }

    /** The folds of a given assignment (from {@link #assign}), each a training and an evaluation set. */
    public List<Fold> folds(Table table, String target, int[] fold) {
        List<Fold> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            final int current = f;
            int[] test = java.util.stream.IntStream.range(0, fold.length).filter(r -> fold[r] == current).toArray();
            int[] train = java.util.stream.IntStream.range(0, fold.length).filter(r -> fold[r] != current).toArray();
            out.add(new Fold(f, new TrainingSet(table.take(train), target), new EvaluationSet(table.take(test), target)));
        }
        return out;
    }
}
