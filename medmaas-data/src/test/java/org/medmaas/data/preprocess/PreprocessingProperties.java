package org.medmaas.data.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.stats.Descriptive;

/** Invariants of the fit/apply steps over generated tables. */
class PreprocessingProperties {

    static final PipelineSpec FULL = PipelineSpec.of(
            new Impute(List.of("x", "y"), Impute.Strategy.MEDIAN, Optional.empty(), true),
            new Impute(List.of("group"), Impute.Strategy.MOST_FREQUENT, Optional.empty(), false),
            Outliers.iqr(1.5, Outliers.Action.CLIP, "x"),
            Scale.of(Scale.Method.STANDARD, "x"),
            Scale.of(Scale.Method.ROBUST, "y"),
            OneHot.of(OneHot.UnknownPolicy.IGNORE, "group"));

    @Provide
    Arbitrary<Table> tables() {
        Arbitrary<Double> cell = Arbitraries.doubles().between(-1e4, 1e4).injectNull(0.15);
        Arbitrary<String> label = Arbitraries.of("a", "b", "c").injectNull(0.1);
        return Arbitraries.integers().between(3, 60).flatMap(n -> Combinators.combine(
                cell.list().ofSize(n), cell.list().ofSize(n), label.list().ofSize(n))
                .as((x, y, g) -> Table.of(numeric("x", x), numeric("y", y), categorical("group", g))))
                .filter(t -> t.numeric("x").missingCount() < t.rowCount() && t.numeric("y").missingCount() < t.rowCount()
                        && t.categorical("group").missingCount() < t.rowCount());
    }

    @Property(tries = 200)
    void fitThenApplyEqualsApplyOfSameFitAfterSaveAndLoad(@ForAll("tables") Table table) {
        FittedPipeline fitted = FULL.fit(table);
        Table direct = fitted.apply(table);
        FittedPipeline reloaded = FittedPipeline.fromJson(fitted.toJson(), "memory");
        assertThat(reloaded).isEqualTo(fitted);
        assertThat(reloaded.apply(table)).isEqualTo(direct);
    }

    @Property(tries = 200)
    void rowLocalPipelinesCommuteWithRowSelection(@ForAll("tables") Table table, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        FittedPipeline fitted = FULL.fit(table);
        assertThat(fitted.rowLocal()).isTrue();
        java.util.Random random = new java.util.Random(seed);
        int[] rows = random.ints(Math.max(1, table.rowCount() / 2), 0, table.rowCount()).toArray();
        assertThat(fitted.apply(table.take(rows))).isEqualTo(fitted.apply(table).take(rows));
    }

    @Property(tries = 200)
    void standardScalingCentersAndScalesTrainingData(@ForAll("tables") Table table) {
        Table out = Scale.of(Scale.Method.STANDARD, "x").fit(table).apply(table);
        double[] v = out.numeric("x").presentValues();
        assertThat(Descriptive.mean(v)).isCloseTo(0.0, within(1e-9));
        double sd = Descriptive.standardDeviation(v, 0);
        assertThat(sd).satisfiesAnyOf(s -> assertThat(s).isCloseTo(1.0, within(1e-9)),
                s -> assertThat(s).isCloseTo(0.0, within(1e-9)));
        assertThat(out.numeric("x").missingMask()).isEqualTo(table.numeric("x").missingMask());
    }

    @net.jqwik.api.Example
    void constantColumnIsCentredNotBlownUp() {
        // Found by standardScalingCentersAndScalesTrainingData: a constant 0.01 column has a
        // rounding-sized sd, and dividing by it gave -1.0 everywhere instead of 0.
        double[] constant = new double[57];
        java.util.Arrays.fill(constant, 0.01);
        Table t = Table.of(NumericColumn.of("x", constant));
        assertThat(Scale.of(Scale.Method.STANDARD, "x").fit(t).apply(t).numeric("x").presentValues()).containsOnly(0.0);
        assertThat(Descriptive.mean(constant)).isEqualTo(0.01);
    }

    @Property(tries = 200)
    void minMaxScalingMapsTrainingDataIntoUnitInterval(@ForAll("tables") Table table) {
        Table out = Scale.of(Scale.Method.MIN_MAX, "y").fit(table).apply(table);
        assertThat(java.util.Arrays.stream(out.numeric("y").presentValues()).boxed().toList()).allSatisfy(v -> assertThat(v).isBetween(-1e-12, 1 + 1e-12));
    }

    @Property(tries = 200)
    void imputationLeavesNoMissingValuesAndKeepsPresentOnes(@ForAll("tables") Table table) {
        Table out = Impute.of(Impute.Strategy.MEAN, "x").fit(table).apply(table);
        NumericColumn before = table.numeric("x");
        NumericColumn after = out.numeric("x");
        assertThat(after.missingCount()).isZero();
        for (int i = 0; i < before.size(); i++) {
            if (!before.isMissing(i)) {
                assertThat(after.get(i)).isEqualTo(before.get(i));
            }
        }
    }

    @Property(tries = 200)
    void clippingKeepsValuesInsideTheFences(@ForAll("tables") Table table) {
        Outliers.Fitted fitted = Outliers.zScore(2.0, Outliers.Action.CLIP, "x").fit(table);
        Outliers.Fences f = fitted.fences().get("x");
        Table out = fitted.apply(table);
        assertThat(java.util.Arrays.stream(out.numeric("x").presentValues()).boxed().toList()).allSatisfy(v -> assertThat(f.outside(v)).isFalse());
        assertThat(fitted.report(out).get(0).total()).isZero();
    }

    @Property(tries = 100)
    void knnImputationFillsEveryCellThatHasDonors(@ForAll("tables") Table table) {
        Table numericOnly = table.select(List.of("x", "y"));
        Table out = new KnnImpute(List.of(), 3).fit(numericOnly).apply(numericOnly);
        assertThat(out.numeric("x").missingCount() + out.numeric("y").missingCount()).isZero();
    }

    private static NumericColumn numeric(String name, List<Double> values) {
        double[] v = new double[values.size()];
        BitSet missing = new BitSet();
        for (int i = 0; i < v.length; i++) {
            if (values.get(i) == null) {
                missing.set(i);
            } else {
                v[i] = values.get(i);
            }
        }
        return NumericColumn.of(name, v, missing);
    }

    private static CategoricalColumn categorical(String name, List<String> labels) {
        BitSet missing = new BitSet();
        List<String> copy = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == null) {
                missing.set(i);
                copy.add("");
            } else {
                copy.add(labels.get(i));
            }
        }
        return CategoricalColumn.fromLabels(name, copy, missing);
    }
}
