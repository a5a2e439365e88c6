package org.medmaas.data.split;

import java.util.ArrayList;
import java.util.List;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Table;

/**
 * How cross-validation splits a table into training and held-out rows. Every strategy is seeded
 * (where it draws at random) and deterministic, and never puts a held-out row in its own training
 * rows.
 * <ul>
 *   <li>{@link StratifiedKFold}: each class spread evenly over the folds (classification's default);</li>
 *   <li>{@link RandomKFold}: rows shuffled and dealt to the folds (regression's default);</li>
 *   <li>{@link GroupKFold}: all rows of a group (a patient, or a molecule's scaffold) in one fold, so a
 *       model is never scored on a group it has seen;</li>
 *   <li>{@link TimeOrderedSplit}: forward chaining in time, training on the past and testing on the
 *       next block (rows of the first block are never held out).</li>
 * </ul>
 */
public interface FoldStrategy {

    /** One split: row numbers to learn from and row numbers held out. */
    record Split(int number, int[] train, int[] test) {
    }

    /** The splits of a table (the target column is read by strategies that need it). */
    List<Split> splits(Table table, String target);

    /** A short description for reports and provenance ("stratified 10-fold, seed 42"). */
    String describe();

    /** The folds of a table: each split's rows as a training and an evaluation set. */
    default List<Fold> folds(Table table, String target) {
        List<Fold> out = new ArrayList<>();
        for (Split s : splits(table, target)) {
            out.add(new Fold(s.number(), new TrainingSet(table.take(s.train()), target),
                    new EvaluationSet(table.take(s.test()), target)));
        }
        return out;
    }

    /**
     * A strategy by name, as the CLI takes it: {@code stratified}, {@code random},
     * {@code group:COLUMN} or {@code time:COLUMN}.
     */
    static FoldStrategy parse(String text, int k, long seed) {
        if (text.equals("stratified")) {
            return new StratifiedKFold(k, seed);
        }
        if (text.equals("random")) {
            return new RandomKFold(k, seed);
        }
        if (text.startsWith("group:") && text.length() > 6) {
            return new GroupKFold(k, text.substring(6));
        }
        if (text.startsWith("time:") && text.length() > 5) {
            return new TimeOrderedSplit(k, text.substring(5));
        }
        throw MedmaasException.invalid("Unknown split '" + text + "': use stratified, random, group:COLUMN (rows of one"
                + " patient together) or time:COLUMN (train on the past, test on what follows).");
    }

    /**
     * Splits computed beforehand (on a wider table: a patient column that is not an input), used
     * as they are on any table with the same rows.
     */
    static FoldStrategy fixed(List<Split> splits, String description) {
        List<Split> copy = List.copyOf(splits);
        return new FoldStrategy() {
            @Override
            public List<Split> splits(Table table, String target) {
                return copy;
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** The splits of a fold assignment (fold number per row): fold f held out, the rest trained on. */
    static List<Split> fromAssignment(int[] fold, int k) {
        List<Split> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            final int current = f;
            int[] test = java.util.stream.IntStream.range(0, fold.length).filter(r -> fold[r] == current).toArray();
            int[] train = java.util.stream.IntStream.range(0, fold.length).filter(r -> fold[r] != current).toArray();
            out.add(new Split(f, train, test));
        }
        return out;
    }

    /** The column a split is keyed on, present on every row (a row without a group or time could leak). */
    static org.medmaas.core.table.Column keyColumn(Table table, String name, String role) {
        if (!table.has(name)) {
            throw MedmaasException.invalid("The " + role + " column '" + name + "' is not in the data.");
        }
        org.medmaas.core.table.Column c = table.column(name);
        for (int r = 0; r < c.size(); r++) {
            if (c.isMissing(r)) {
                throw MedmaasException.invalid("The " + role + " column '" + name + "' is missing on row " + (r + 1)
                        + "; every row needs one.");
            }
        }
        return c;
    }

    /** Refuses k below 2 or above the rows. */
    static void requireFolds(int k, int rows, String unit) {
        if (k < 2) {
            throw MedmaasException.invalid("Cross-validation needs at least 2 folds, got " + k + ".");
        }
        if (rows < k) {
            throw MedmaasException.invalid("There are " + rows + " " + unit + ", fewer than the " + k + " folds. Use fewer folds.");
        }
    }
}
