package org.medmaas.data.split;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.Table;

/**
 * K-fold over groups: every row of a group (a patient's admissions, a molecule scaffold's members)
 * falls in one fold, so no model is scored on a group it learned from. As scikit-learn's
 * {@code GroupKFold}: groups from largest to smallest, each to the fold with the fewest rows so
 * far (ties to the lower fold), which balances fold sizes and needs no seed. Missing group values
 * are refused: a row without a group could leak.
 */
public record GroupKFold(int k, String groupColumn) implements FoldStrategy {

    public GroupKFold {
        FoldStrategy.requireFolds(k, Integer.MAX_VALUE, "groups");
    }

    @Override
    public List<Split> splits(Table table, String target) {
        Column groups = FoldStrategy.keyColumn(table, groupColumn, "group");
        Map<String, List<Integer>> rowsOf = new LinkedHashMap<>();
        for (int r = 0; r < groups.size(); r++) {
            rowsOf.computeIfAbsent(groups.format(r), g -> new ArrayList<>()).add(r);
        }
        FoldStrategy.requireFolds(k, rowsOf.size(), "groups in '" + groupColumn + "'");
        List<List<Integer>> bySize = new ArrayList<>(rowsOf.values());
        // Stable sort: equal sizes keep their first-appearance order, so the result is deterministic.
        bySize.sort(Comparator.comparingInt((List<Integer> g) -> g.size()).reversed());
        int[] load = new int[k];
        int[] fold = new int[table.rowCount()];
        for (List<Integer> group : bySize) {
            int lightest = 0;
            for (int f = 1; f < k; f++) {
                if (load[f] < load[lightest]) {
                    lightest = f;
                }
            }
            for (int row : group) {
                fold[row] = lightest;
            }
            load[lightest] += group.size();
        }
        return FoldStrategy.fromAssignment(fold, k);
    }

    @Override
    public String describe() {
        return "grouped " + k + "-fold by " + groupColumn;
    }
}
