package org.medmaas.data.stats;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a statistical test.
 *
 * @param test              the test's name (e.g. "one-way ANOVA")
 * @param statistic         the test statistic (F, H, χ², t, U, r or ρ)
 * @param degreesOfFreedom  the degrees of freedom, where defined (two for F: between, within)
 * @param pValue            two-sided p-value
 * @param effectSize        the effect size
 * @param effectSizeName    what the effect size is (η², ε², Cramér's V, Cohen's d, rank-biserial r, r, ρ)
 */
public record TestResult(String test, double statistic, List<Double> degreesOfFreedom, double pValue,
        double effectSize, String effectSizeName) {
    public TestResult {
        Objects.requireNonNull(test, "test");
        degreesOfFreedom = List.copyOf(degreesOfFreedom);
        Objects.requireNonNull(effectSizeName, "effectSizeName");
    }
}
