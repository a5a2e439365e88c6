package org.medmaas.data.shift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.medmaas.core.serving.InputField;
import org.medmaas.core.serving.TrainingSummary;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

class ShiftMonitorTest {

    /** Training: 1,000 rows, quartiles 10, 20, 30 (exactly a quarter at or below each), range 0–40. */
    private static final InputField X = new InputField("x", "numeric", Optional.empty(), Optional.empty(), Optional.of(0.0),
            Optional.of(40.0), List.of(), Optional.of(new TrainingSummary(1000, 0.0, Map.of("p25", 10.0, "p50", 20.0, "p75", 30.0),
                    Map.of(), Map.of("p25", 0.25, "p50", 0.5, "p75", 0.75))));
    /** Training: 1,000 rows, levels a 50 %, b 30 %, c 20 %. */
    private static final InputField C = new InputField("c", "categorical", Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), List.of("a", "b", "c"), Optional.of(new TrainingSummary(1000, 0.0, Map.of(),
                    Map.of("a", 0.5, "b", 0.3, "c", 0.2))));

    private static Table fixture() {
        // x: 2 missing, then 4 values per quartile bin but 8 above 30, two of them beyond the training maximum.
        double[] x = {Double.NaN, Double.NaN, 5, 5, 5, 5, 15, 15, 15, 15, 25, 25, 25, 25, 35, 35, 35, 35, 35, 35, 50, 50};
        List<String> c = new ArrayList<>();
        for (String level : List.of("a", "b", "c")) {
            for (int i = 0; i < 6; i++) {
                c.add(level);
            }
        }
        c.addAll(List.of("d", "d", "a", "a")); // two in a level training never saw
        return Table.of(NumericColumn.ofNanAsMissing("x", x), CategoricalColumn.of("c", c.toArray(String[]::new)));
    }

    @Test
    void psiKsAndChiSquareEqualTheFiguresWorkedOutByHand() {
        ShiftReport report = ShiftMonitor.compare(List.of(X, C), fixture());
        assertThat(report.rows()).isEqualTo(22);
        InputShift x = report.inputs().stream().filter(s -> s.input().equals("x")).findFirst().orElseThrow();
        // Shares of the 22 rows: missing 2/22 (training 0, floored to 1e-4), then 4, 4, 4, 8 of 22 in the
        // quartile bins (training 0.25 each): PSI = Σ (a − e) ln(a / e).
        double[] a = {2 / 22.0, 4 / 22.0, 4 / 22.0, 4 / 22.0, 8 / 22.0};
        double[] e = {1e-4, 0.25, 0.25, 0.25, 0.25};
        double expectedPsi = 0;
        for (int i = 0; i < 5; i++) {
            expectedPsi += (a[i] - e[i]) * Math.log(a[i] / e[i]);
        }
        assertThat(x.psi()).isCloseTo(expectedPsi, within(1e-12)).isCloseTo(0.72635, within(1e-4));
        // Cumulative shares at 10, 20, 30: 0.2, 0.4, 0.6 against 0.25, 0.5, 0.75: D = 0.15.
        assertThat(x.test()).isEqualTo("ks");
        assertThat(x.statistic()).isCloseTo(0.15, within(1e-12));
        // n_e = √(20·1000/1020), λ = (n_e + 0.12 + 0.11/n_e)·D = 0.685937, Q(λ) = 2 Σ (−1)^(j−1) e^(−2j²λ²) = 0.734500.
        assertThat(x.pValue()).isCloseTo(0.734500, within(1e-4));
        assertThat(x.missing()).isCloseTo(2.0 / 22, within(1e-12));
        assertThat(x.outOfRange()).isCloseTo(2.0 / 20, within(1e-12));

        InputShift c = report.inputs().stream().filter(s -> s.input().equals("c")).findFirst().orElseThrow();
        // Shares of the 22 rows: none missing (training 0, floored), a 8, b 6, c 6, unseen 2 of 22.
        double[] actual = {1e-4, 8 / 22.0, 6 / 22.0, 6 / 22.0, 2 / 22.0};
        double[] expected = {1e-4, 0.5, 0.3, 0.2, 1e-4}; // the unseen level's training share 0, floored
        double psi = 0;
        for (int i = 0; i < 5; i++) {
            psi += (actual[i] - expected[i]) * Math.log(actual[i] / expected[i]);
        }
        assertThat(c.psi()).isCloseTo(psi, within(1e-9));
        // Training counts 500, 300, 200, 0 against 8, 6, 6, 2: χ² (3 df), as scipy.stats.chi2_contingency computes it.
        assertThat(c.test()).isEqualTo("chi-square");
        assertThat(c.statistic()).isCloseTo(chiSquare(new long[][] {{500, 300, 200, 0}, {8, 6, 6, 2}}), within(1e-9));
        assertThat(c.pValue()).isLessThan(1e-10);
        assertThat(c.outOfRange()).isCloseTo(2.0 / 22, within(1e-12));
        assertThat(report.inputs().get(0).input()).isEqualTo("x"); // most moved first: x (0.726) before c (0.687)
        assertThat(report.imputedShare()).isCloseTo(2.0 / 44, within(1e-12));
        assertThat(report.warnings()).anyMatch(w -> w.contains("'c' has shifted")).anyMatch(w -> w.contains("'x' values lie outside"))
                .anyMatch(w -> w.contains("Only 22 rows"));
        assertThat(String.join(" ", report.warnings())).doesNotContain("35", "50", "\"d\"", "'d'");
    }

    @Test
    void theCategoricalTestOnTheWorkedExampleGivesScipysStatistic() {
        // scipy.stats.chi2_contingency([[500,300,200,0],[6,6,6,2]], correction=False) → 102.551901
        assertThat(chiSquare(new long[][] {{500, 300, 200, 0}, {6, 6, 6, 2}})).isCloseTo(102.551901454, within(1e-6));
    }

    @Test
    void trainingDataComparedWithItselfShowsNoShiftEvenWithRepeatedValues() {
        Random random = new Random(3);
        double[] counts = new double[2000];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = random.nextInt(6) == 0 ? Double.NaN : Math.floor(-Math.log(1 - random.nextDouble()) * 2); // many ties
        }
        NumericColumn column = NumericColumn.ofNanAsMissing("visits", counts);
        double[] present = column.presentValues();
        InputField field = new InputField("visits", "numeric", Optional.empty(), Optional.empty(),
                Optional.of(java.util.Arrays.stream(present).min().orElseThrow()),
                Optional.of(java.util.Arrays.stream(present).max().orElseThrow()), List.of(),
                Optional.of(TrainingSummary.of(column)));
        InputShift same = ShiftMonitor.compare(List.of(field), Table.of(column)).inputs().get(0);
        assertThat(same.psi()).isLessThan(1e-9);
        assertThat(same.statistic()).isLessThan(1e-9);
        assertThat(same.missing()).isCloseTo(same.trainingMissing(), within(1e-12));
        assertThat(same.outOfRange()).isZero();
    }

    @Test
    void theWindowKeepsTheLatestRowsAndMostlyMissingInputsAreNamed() {
        ShiftMonitor monitor = new ShiftMonitor(List.of(X, C), 10);
        double[] typical = {5, 15, 25, 35, 5, 15, 25, 35, 15, 25};
        monitor.record(Table.of(NumericColumn.of("x", typical),
                CategoricalColumn.of("c", "a", "a", "a", "a", "a", "b", "b", "b", "c", "c")));
        assertThat(monitor.report().inputs().get(0).psi()).isLessThan(0.1);
        // Ten newer rows without x (the column absent) and with c: the older ten leave the window.
        monitor.record(Table.of(CategoricalColumn.of("c", "a", "a", "a", "a", "a", "b", "b", "b", "c", "c")));
        ShiftReport report = monitor.report();
        assertThat(monitor.rows()).isEqualTo(10);
        InputShift x = report.inputs().stream().filter(s -> s.input().equals("x")).findFirst().orElseThrow();
        assertThat(x.missing()).isEqualTo(1.0);
        assertThat(x.psi()).isGreaterThan(5); // all in the missing bin, which training left empty
        assertThat(report.inputs().get(0).input()).isEqualTo("x");
        assertThat(report.warnings()).anyMatch(w -> w.startsWith("'x' is missing in 100% of rows (0% in training)"));
        // Inputs without a training summary are named, not compared.
        ShiftReport old = ShiftMonitor.compare(List.of(InputField.numeric("age", Optional.empty(), Optional.empty())), fixture());
        assertThat(old.unsummarized()).containsExactly("age");
        assertThat(old.inputs()).isEmpty();
    }

    /** Pearson's χ² of a contingency table, written out here independently of the code under test. */
    private static double chiSquare(long[][] t) {
        double total = 0;
        double[] rows = new double[t.length];
        double[] cols = new double[t[0].length];
        for (int r = 0; r < t.length; r++) {
            for (int c = 0; c < t[0].length; c++) {
                rows[r] += t[r][c];
                cols[c] += t[r][c];
                total += t[r][c];
            }
        }
        double chi2 = 0;
        for (int r = 0; r < t.length; r++) {
            for (int c = 0; c < t[0].length; c++) {
                double e = rows[r] * cols[c] / total;
                chi2 += (t[r][c] - e) * (t[r][c] - e) / e;
            }
        }
        return chi2;
    }
}
