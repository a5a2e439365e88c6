package org.medmaas.data.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.medmaas.core.error.MedmaasException;

/**
 * Known answers from SciPy 1.10.1 (Debian python3-scipy), computed with:
 * {@code from scipy import stats} and the call written beside each value.
 */
class GroupTestsTest {

    static final double[] A = {5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3};
    static final double[] B = {6.5, 6.9, 7.1, 6.4, 6.8, 7.3};
    static final double[] C = {5.9, 6.1, 6.3, 5.7, 6.6, 6.0, 6.2, 5.8};
    static final double[] T1 = {1, 2, 2, 3, 3, 3, 4, 4, 5};
    static final double[] T2 = {3, 4, 4, 5, 5, 6, 6, 6, 7, 7};
    static final double[] X = {1.2, 2.4, 3.1, 4.8, 5.0, 6.7, 7.1, 8.9, 9.3, 10.5};
    static final double[] Y = {2.0, 2.9, 3.5, 5.9, 4.8, 7.2, 8.8, 8.1, 10.2, 12.0};

    private static final Percentage CLOSE = Percentage.withPercentage(1e-6);

    @Test
    void oneWayAnovaMatchesScipy() {
        TestResult r = GroupTests.oneWayAnova(List.of(A, B, C));
        assertThat(r.statistic()).isCloseTo(18.944686774942014, CLOSE);   // stats.f_oneway(A, B, C).statistic
        assertThat(r.pValue()).isCloseTo(3.728115599163957e-05, Percentage.withPercentage(1e-4)); // .pvalue
        assertThat(r.degreesOfFreedom()).containsExactly(2.0, 18.0);
        assertThat(r.effectSize()).isBetween(0.0, 1.0);
    }

    @Test
    void kruskalWallisMatchesScipy() {
        TestResult r = GroupTests.kruskalWallis(List.of(A, B, C));
        assertThat(r.statistic()).isCloseTo(13.596562567772724, CLOSE);   // stats.kruskal(A, B, C)
        assertThat(r.pValue()).isCloseTo(0.0011156910571188143, Percentage.withPercentage(1e-4));
    }

    @Test
    void kruskalWallisCorrectsForTies() {
        TestResult r = GroupTests.kruskalWallis(List.of(T1, T2));
        assertThat(r.statistic()).isCloseTo(8.628738738738743, CLOSE);    // stats.kruskal(T1, T2)
        assertThat(r.pValue()).isCloseTo(0.003309005985014165, Percentage.withPercentage(1e-4));
    }

    @Test
    void chiSquareMatchesScipyWithoutCorrectionAboveOneDegreeOfFreedom() {
        TestResult r = GroupTests.chiSquareIndependence(new long[][] {{12, 5, 9}, {7, 14, 6}});
        assertThat(r.statistic()).isCloseTo(6.162273204378467, CLOSE);    // stats.chi2_contingency([[12,5,9],[7,14,6]])[0]
        assertThat(r.pValue()).isCloseTo(0.04590704893264419, Percentage.withPercentage(1e-4)); // [1]
        assertThat(r.degreesOfFreedom()).containsExactly(2.0);
    }

    @Test
    void chiSquareAppliesYatesOnTwoByTwo() {
        TestResult r = GroupTests.chiSquareIndependence(new long[][] {{20, 15}, {10, 25}});
        assertThat(r.statistic()).isCloseTo(4.725, CLOSE);                // stats.chi2_contingency([[20,15],[10,25]])[0]
        assertThat(r.pValue()).isCloseTo(0.029727183306054526, Percentage.withPercentage(1e-4));
    }

    @Test
    void welchMatchesScipy() {
        TestResult r = GroupTests.welchT(A, B);
        assertThat(r.statistic()).isCloseTo(-5.62851515948267, CLOSE);    // stats.ttest_ind(A, B, equal_var=False)
        assertThat(r.pValue()).isCloseTo(0.00016827508761123346, Percentage.withPercentage(1e-4));
        assertThat(r.effectSize()).isNegative();
    }

    @Test
    void mannWhitneyExactForSmallSamplesWithoutTies() {
        TestResult r = GroupTests.mannWhitneyU(A, B);
        assertThat(r.statistic()).isEqualTo(0.0);                         // stats.mannwhitneyu(A, B).statistic
        assertThat(r.pValue()).isCloseTo(0.0011655011655011655, CLOSE);   // .pvalue (method="exact" chosen by "auto")
        assertThat(r.effectSize()).isEqualTo(-1.0);
    }

    @Test
    void mannWhitneyNormalApproximationWithTies() {
        TestResult r = GroupTests.mannWhitneyU(T1, T2);
        assertThat(r.statistic()).isEqualTo(9.5);                         // stats.mannwhitneyu(T1, T2)
        assertThat(r.pValue()).isCloseTo(0.003778336048936485, Percentage.withPercentage(1e-4));
    }

    @Test
    void correlationsMatchScipy() {
        TestResult p = GroupTests.pearson(X, Y);
        assertThat(p.statistic()).isCloseTo(0.9741775850671556, CLOSE);   // stats.pearsonr(X, Y)
        assertThat(p.pValue()).isCloseTo(1.885575709061912e-06, Percentage.withPercentage(1e-3));
        TestResult s = GroupTests.spearman(X, Y);
        assertThat(s.statistic()).isCloseTo(0.9757575757575757, CLOSE);  // stats.spearmanr(X, Y)
        assertThat(s.pValue()).isCloseTo(1.4675461874042197e-06, Percentage.withPercentage(1e-3));
    }

    @Test
    void refusesDegenerateInput() {
        assertThatThrownBy(() -> GroupTests.oneWayAnova(List.of(A, new double[0])))
                .isInstanceOf(MedmaasException.class).hasMessageContaining("at least 2 groups");
        assertThatThrownBy(() -> GroupTests.pearson(X, A)).hasMessageContaining("differ in length");
        assertThat(GroupTests.pearson(new double[] {1, 1, 1}, new double[] {1, 2, 3}).pValue()).isNaN();
        assertThat(Descriptive.quantile(new double[] {1, 2, 3, 4}, 0.25)).isCloseTo(1.75, within(1e-12));
    }
}
