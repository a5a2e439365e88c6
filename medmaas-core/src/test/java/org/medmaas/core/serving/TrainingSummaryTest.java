package org.medmaas.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.BitSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.NumericColumn;

class TrainingSummaryTest {

    @Test
    void quantilesFollowNumpyAndAreKeptOnlyWhereTenValuesLieBeyondThem() {
        double[] v = IntStream.rangeClosed(1, 100).mapToDouble(i -> i).toArray();
        BitSet missing = new BitSet();
        missing.set(0, 25); // 25 of 100 missing: 75 present values 26..100
        TrainingSummary s = TrainingSummary.of(NumericColumn.of("x", v, missing));
        assertThat(s.rows()).isEqualTo(100);
        assertThat(s.missingShare()).isEqualTo(0.25);
        // numpy.percentile(range(26, 101), [25, 50, 75]) → 44.5, 63.0, 81.5
        assertThat(s.quantiles().get("p25")).isCloseTo(44.5, within(1e-12));
        assertThat(s.quantiles().get("p50")).isCloseTo(63.0, within(1e-12));
        assertThat(s.quantiles().get("p75")).isCloseTo(81.5, within(1e-12));
        assertThat(s.quantiles()).doesNotContainKeys("p1", "p5", "p95", "p99"); // 0.75 and 3.75 values beyond
    }

    @Test
    void rareCategoriesArePooledSoNoShareRestsOnFewerThanTenRows() {
        String[] values = new String[40];
        for (int i = 0; i < 40; i++) {
            values[i] = i < 25 ? "never" : i < 37 ? "former" : i < 39 ? "current" : "unknown";
        }
        TrainingSummary s = TrainingSummary.of(CategoricalColumn.of("smoker", values));
        assertThat(s.categoryShares()).containsOnlyKeys("never", "former", TrainingSummary.RARE);
        assertThat(s.categoryShares().get(TrainingSummary.RARE)).isCloseTo(3 / 40.0, within(1e-12));
        assertThat(s.quantiles()).isEmpty();
    }
}
