package org.medmaas.data.split;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.medmaas.core.table.Table;

/** Seeded k-fold: rows shuffled and dealt round-robin, so fold sizes differ by at most one. */
public record RandomKFold(int k, long seed) implements FoldStrategy {

    public RandomKFold {
        FoldStrategy.requireFolds(k, Integer.MAX_VALUE, "rows");
    }

    @Override
    public List<Split> splits(Table table, String target) {
        FoldStrategy.requireFolds(k, table.rowCount(), "rows");
        int[] fold = new int[table.rowCount()];
        int next = 0;
        for (int row : Shuffle.copy(IntStream.range(0, fold.length).toArray(), new Random(seed))) {
            fold[row] = next;
            next = (next + 1) % k;
        }
        return FoldStrategy.fromAssignment(fold, k);
    }

    @Override
    public String describe() {
        return "random " + k + "-fold, seed " + seed;
    }
}
