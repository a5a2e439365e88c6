package org.medmaas.data.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

class SplitProperties {

    @Provide
    Arbitrary<List<String>> labels() {
        return Arbitraries.of("neg", "pos", "unsure").list().ofMinSize(30).ofMaxSize(300)
                .filter(l -> l.stream().distinct().count() >= 2
                        && l.stream().collect(java.util.stream.Collectors.groupingBy(x -> x, java.util.stream.Collectors.counting()))
                                .values().stream().allMatch(c -> c >= 10));
    }

    private static Table tableOf(List<String> labels, long seed) {
        java.util.Random random = new java.util.Random(seed);
        double[] a = new double[labels.size()];
        double[] b = new double[labels.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian() + labels.get(i).length();
            b[i] = random.nextGaussian() * 3;
        }
        return Table.of(NumericColumn.of("a", a), NumericColumn.of("b", b),
                CategoricalColumn.of("outcome", labels.toArray(String[]::new)));
    }

    @Property(tries = 200)
    void stratifiedFoldsKeepClassSharesWithinOneRow(@ForAll("labels") List<String> labels,
            @ForAll @IntRange(min = 2, max = 10) int k, @ForAll long seed) {
        Table table = tableOf(labels, seed);
        List<Fold> folds = new StratifiedKFold(k, seed).folds(table, "outcome");
        ClassLabels all = ClassLabels.of(table, "outcome");
        int total = 0;
        for (Fold fold : folds) {
            int[] counts = new int[all.classCount()];
            CategoricalColumn y = fold.test().table().categorical("outcome");
            for (int i = 0; i < y.size(); i++) {
                counts[all.classes().indexOf(y.label(i))]++;
            }
            for (int c = 0; c < counts.length; c++) {
                double expected = all.counts()[c] / (double) k;
                assertThat((double) counts[c]).isBetween(Math.floor(expected), Math.ceil(expected));
            }
            total += fold.test().rowCount();
            assertThat(fold.train().rowCount() + fold.test().rowCount()).isEqualTo(table.rowCount());
        }
        assertThat(total).isEqualTo(table.rowCount());
    }

    @Property(tries = 100)
    void smoteBalancesClassesWithPointsBetweenSameClassRows(@ForAll("labels") List<String> labels, @ForAll long seed) {
        Table table = tableOf(labels, seed);
        TrainingSet train = new StratifiedSplit(0, 0.2, seed).split(table, "outcome").train();
        TrainingSet balanced = new Smote(5, seed).resample(train);
        int[] counts = balanced.labels().counts();
        assertThat(counts).containsOnly(counts[0]);

        // Every synthetic row must lie on a segment between two original rows of its class,
        // hence inside the convex hull of that class.
        Table original = train.table();
        Table out = balanced.table();
        for (int i = original.rowCount(); i < out.rowCount(); i++) {
            String cls = out.categorical("outcome").label(i);
            double[] p = {out.numeric("a").get(i), out.numeric("b").get(i)};
            assertThat(onSomeSegment(p, original, cls)).as("synthetic row %d of class %s", i, cls).isTrue();
        }
    }

    private static boolean onSomeSegment(double[] p, Table t, String cls) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            if (t.categorical("outcome").label(i).equals(cls)) {
                pts.add(new double[] {t.numeric("a").get(i), t.numeric("b").get(i)});
            }
        }
        for (double[] u : pts) {
            for (double[] v : pts) {
                double dx = v[0] - u[0];
                double dy = v[1] - u[1];
                double len2 = dx * dx + dy * dy;
                double s = len2 == 0 ? 0 : ((p[0] - u[0]) * dx + (p[1] - u[1]) * dy) / len2;
                if (s < -1e-9 || s > 1 + 1e-9) {
                    continue;
                }
                double ex = u[0] + s * dx - p[0];
                double ey = u[1] + s * dy - p[1];
                if (ex * ex + ey * ey < 1e-12) {
                    return true;
                }
            }
        }
        return false;
    }

    @Property(tries = 100)
    void stratifiedSplitIsDisjointAndComplete(@ForAll("labels") List<String> labels, @ForAll long seed) {
        Table table = tableOf(labels, seed);
        Split split = new StratifiedSplit(0.15, 0.15, seed).split(table, "outcome");
        assertThat(split.train().rowCount() + split.validation().rowCount() + split.test().rowCount())
                .isEqualTo(table.rowCount());
    }

    @Property(tries = 50)
    void samplersBalanceClasses(@ForAll("labels") List<String> labels, @ForAll long seed) {
        TrainingSet train = TrainingSet.wholeDataset(tableOf(labels, seed), "outcome");
        int[] over = new RandomOverSampler(seed).resample(train).labels().counts();
        int[] under = new RandomUnderSampler(seed).resample(train).labels().counts();
        assertThat(over).containsOnly(java.util.Arrays.stream(train.labels().counts()).max().orElseThrow());
        assertThat(under).containsOnly(java.util.Arrays.stream(train.labels().counts()).min().orElseThrow());
        assertThat(ClassWeights.balanced(train).values()).allSatisfy(w -> assertThat(w).isPositive());
    }

    @net.jqwik.api.Example
    void refusesFoldsLargerThanAClass() {
        Table t = tableOf(List.of("a", "a", "a", "b", "b", "b", "b", "b"), 1);
        assertThatThrownBy(() -> new StratifiedKFold(5, 1).folds(t, "outcome"))
                .hasMessageContaining("Class 'a'").hasMessageContaining("fewer than the 5 folds");
    }
}
