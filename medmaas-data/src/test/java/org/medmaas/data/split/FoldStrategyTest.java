package org.medmaas.data.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.StringColumn;
import org.medmaas.core.table.Table;

class FoldStrategyTest {

    /** 40 rows: 10 patients with 1 to 7 rows each, a day number, and an outcome. */
    static Table visits() {
        int[] sizes = {7, 6, 5, 5, 4, 4, 3, 3, 2, 1};
        List<String> patient = new java.util.ArrayList<>();
        for (int p = 0; p < sizes.length; p++) {
            for (int r = 0; r < sizes[p]; r++) {
                patient.add("p" + p);
            }
        }
        int n = patient.size();
        double[] day = IntStream.range(0, n).mapToDouble(i -> (i * 7) % n).toArray();
        String[] outcome = IntStream.range(0, n).mapToObj(i -> i % 3 == 0 ? "yes" : "no").toArray(String[]::new);
        return Table.of(StringColumn.identifiers("patient_id", patient.toArray(String[]::new)), NumericColumn.of("day", day),
                CategoricalColumn.of("outcome", outcome));
    }

    static void assertEveryRowHeldOutOnceAndNeverTrainedOnItself(List<FoldStrategy.Split> splits, int rows) {
        int[] heldOut = new int[rows];
        for (FoldStrategy.Split s : splits) {
            Set<Integer> train = new HashSet<>();
            Arrays.stream(s.train()).forEach(train::add);
            for (int r : s.test()) {
                heldOut[r]++;
                assertThat(train).doesNotContain(r);
            }
            assertThat(s.train().length + s.test().length).isEqualTo(rows);
        }
        assertThat(heldOut).containsOnly(1);
    }

    @Test
    void randomFoldsAreAPartitionOfNearlyEqualSizesAndSeeded() {
        Table t = visits();
        List<FoldStrategy.Split> splits = new RandomKFold(4, 7).splits(t, "outcome");
        assertEveryRowHeldOutOnceAndNeverTrainedOnItself(splits, t.rowCount());
        assertThat(splits).extracting(s -> s.test().length).containsOnly(10);
        assertThat(new RandomKFold(4, 7).splits(t, "outcome").get(0).test()).isEqualTo(splits.get(0).test());
        assertThat(new RandomKFold(4, 8).splits(t, "outcome").get(0).test()).isNotEqualTo(splits.get(0).test());
    }

    @Test
    void groupedFoldsNeverSplitAPatient() {
        Table t = visits();
        List<FoldStrategy.Split> splits = new GroupKFold(3, "patient_id").splits(t, "outcome");
        assertEveryRowHeldOutOnceAndNeverTrainedOnItself(splits, t.rowCount());
        var patient = t.column("patient_id");
        for (FoldStrategy.Split s : splits) {
            Set<String> trained = new HashSet<>();
            Arrays.stream(s.train()).forEach(r -> trained.add(patient.format(r)));
            Arrays.stream(s.test()).forEach(r -> assertThat(trained).doesNotContain(patient.format(r)));
        }
        // Largest groups first to the lightest fold (scikit-learn's GroupKFold): sizes 14, 13, 13.
        assertThat(splits).extracting(s -> s.test().length).containsExactlyInAnyOrder(14, 13, 13);
        assertThatThrownBy(() -> new GroupKFold(11, "patient_id").splits(t, "outcome")).isInstanceOf(MedmaasException.class)
                .hasMessageContaining("10 groups");
    }

    @Test
    void timeOrderedSplitsTrainOnlyOnThePast() {
        Table t = visits();
        List<FoldStrategy.Split> splits = new TimeOrderedSplit(4, "day").splits(t, "outcome");
        assertThat(splits).hasSize(4);
        var day = (NumericColumn) t.column("day");
        int previousTrain = 0;
        for (FoldStrategy.Split s : splits) {
            double latestTrained = Arrays.stream(s.train()).mapToDouble(day::get).max().orElseThrow();
            double earliestTested = Arrays.stream(s.test()).mapToDouble(day::get).min().orElseThrow();
            assertThat(latestTrained).isLessThan(earliestTested);
            assertThat(s.train().length).isGreaterThan(previousTrain); // the training window grows
            previousTrain = s.train().length;
        }
        // 40 rows in 5 blocks of 8: the first block is never held out.
        assertThat(splits.stream().mapToInt(s -> s.test().length).sum()).isEqualTo(32);
    }

    @Test
    void strategiesAreParsedByNameAndUnknownOnesRefused() {
        assertThat(FoldStrategy.parse("stratified", 5, 1)).isEqualTo(new StratifiedKFold(5, 1));
        assertThat(FoldStrategy.parse("group:patient_id", 5, 1)).isEqualTo(new GroupKFold(5, "patient_id"));
        assertThat(FoldStrategy.parse("time:day", 5, 1).describe()).isEqualTo("time-ordered 5-split by day");
        assertThatThrownBy(() -> FoldStrategy.parse("loo", 5, 1)).isInstanceOf(MedmaasException.class)
                .hasMessageContaining("group:COLUMN");
    }
}
