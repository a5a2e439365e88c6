package org.medmaas.data.split;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.DateTimeColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

/**
 * Forward chaining in time, as scikit-learn's {@code TimeSeriesSplit}: rows ordered by a date or
 * number column are cut into k + 1 blocks; split i trains on blocks 0..i and tests on block i + 1.
 * A model is never scored on rows older than some it learned from, as in deployment. Rows of the
 * first block are never held out; ties in time stay in one block, so no test row shares a time
 * with a training row.
 */
public record TimeOrderedSplit(int k, String timeColumn) implements FoldStrategy {

    public TimeOrderedSplit {
        FoldStrategy.requireFolds(k, Integer.MAX_VALUE, "rows");
    }

    @Override
    public List<Split> splits(Table table, String target) {
        Column c = FoldStrategy.keyColumn(table, timeColumn, "time");
        double[] time = new double[table.rowCount()];
        for (int r = 0; r < time.length; r++) {
            time[r] = switch (c) {
                case NumericColumn n -> n.get(r);
                case DateTimeColumn d -> d.epochMillis(r);
                default -> throw MedmaasException.invalid("The time column '" + timeColumn + "' must hold dates or numbers, not "
                        + c.type().label() + ".");
            };
        }
        FoldStrategy.requireFolds(k + 1, time.length, "rows");
        int[] order = IntStream.range(0, time.length).boxed().sorted(Comparator.comparingDouble(r -> time[r]))
                .mapToInt(Integer::intValue).toArray();
        // Block boundaries at equal shares of the rows, moved forward past ties in time.
        int[] start = new int[k + 2];
        for (int b = 1; b <= k; b++) {
            int at = Math.max(start[b - 1], (int) Math.round((double) b * time.length / (k + 1)));
            while (at > 0 && at < time.length && time[order[at]] == time[order[at - 1]]) {
                at++;
            }
            start[b] = at;
        }
        start[k + 1] = time.length;
        List<Split> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int[] train = java.util.Arrays.copyOfRange(order, 0, start[i + 1]);
            int[] test = java.util.Arrays.copyOfRange(order, start[i + 1], start[i + 2]);
            if (train.length == 0 || test.length == 0) {
                throw MedmaasException.invalid("The time column '" + timeColumn + "' has too few distinct times for " + k
                        + " time-ordered splits. Use fewer folds.");
            }
            out.add(new Split(i, train, test));
        }
        return out;
    }

    @Override
    public String describe() {
        return "time-ordered " + k + "-split by " + timeColumn;
    }
}
