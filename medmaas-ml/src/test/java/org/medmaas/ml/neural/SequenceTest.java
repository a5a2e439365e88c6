package org.medmaas.ml.neural;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.ml.Learners;
import org.medmaas.ml.TestData;
import org.medmaas.ml.metrics.ClassificationMetrics;

class SequenceTest {

    /**
     * Patients with 3–12 visits of one lab value that drifts up (positive) or down (negative)
     * towards a random last value, plus noise: the trend, not the last visit, tells the classes apart.
     */
    static SequenceData trends(int n, long seed) {
        Random random = new Random(seed);
        List<double[][]> sequences = new ArrayList<>();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextBoolean() ? 1 : 0;
            int visits = 3 + random.nextInt(10);
            double last = 2 * random.nextGaussian();
            double slope = (y[i] == 1 ? 1 : -1) * (0.2 + 0.3 * random.nextDouble());
            double[][] s = new double[visits][];
            for (int t = 0; t < visits; t++) {
                s[t] = new double[] {last + slope * (t - visits + 1) + 0.3 * random.nextGaussian(), random.nextGaussian()};
            }
            sequences.add(s);
        }
        return SequenceData.unweighted(sequences, y, List.of("lab", "noise"), List.of("no", "yes"));
    }

    private static SequenceParameters quick(SequenceParameters.Cell cell, long seed) {
        return new SequenceParameters(cell, 16, 1, 0.0, 1e-2, 0.0, 32, 40, 8, 0.15, 12, false, seed);
    }

    private static double auc(SequenceModel model, SequenceData test) {
        double[][] p = model.predictProbabilities(test.sequences());
        double[] p1 = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            p1[i] = p[i][1];
        }
        return ClassificationMetrics.rocAuc(test.y(), p1);
    }

    @Test
    void lstmAndGruLearnATrendThatTheLastVisitAloneDoesNotShow() {
        SequenceData train = trends(800, 1);
        SequenceData test = trends(400, 2);
        try (SequenceModel lstm = new SequenceTrainer(quick(SequenceParameters.Cell.LSTM, 3)).fit(train);
                SequenceModel gru = new SequenceTrainer(quick(SequenceParameters.Cell.GRU, 3)).fit(train)) {
            double lstmAuc = auc(lstm, test);
            double gruAuc = auc(gru, test);
            // The tabular view a feature table would give: the last visit's values, by logistic regression.
            double[][] last = train.sequences().stream().map(s -> s[s.length - 1]).toArray(double[][]::new);
            var lr = Learners.trainer("lr", 1).fit(LabeledMatrix.unweighted(last, train.y(), train.featureNames(),
                    train.classes()));
            double[][] testLast = test.sequences().stream().map(s -> s[s.length - 1]).toArray(double[][]::new);
            double lastVisitAuc = TestData.auc(lr, LabeledMatrix.unweighted(testLast, test.y(), test.featureNames(),
                    test.classes()));
            assertThat(lstmAuc).isGreaterThan(0.9).isGreaterThan(lastVisitAuc + 0.1);
            assertThat(gruAuc).isGreaterThan(0.9);
        }
    }

    /** Same-seed fits are compared by score, as in MlpTest: libtorch's CPU sums may round differently. */
    @Test
    void reloadsFromItsFilesAndTheSameSeedGivesTheSameScores() {
        SequenceData train = trends(200, 4);
        try (SequenceModel a = new SequenceTrainer(quick(SequenceParameters.Cell.GRU, 5)).fit(train);
                SequenceModel b = new SequenceTrainer(quick(SequenceParameters.Cell.GRU, 5)).fit(train);
                SequenceModel loaded = SequenceModel.fromFiles(a.files(), train.featureNames(), train.classes())) {
            double[][] expected = a.predictProbabilities(train.sequences());
            double[][] sameSeed = b.predictProbabilities(train.sequences());
            double[][] actual = loaded.predictProbabilities(train.sequences());
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i][1]).isCloseTo(expected[i][1], within(1e-7));
                assertThat(sameSeed[i][1]).isCloseTo(expected[i][1], within(5e-3));
                assertThat(actual[i][0] + actual[i][1]).isCloseTo(1.0, within(1e-9));
            }
            assertThat(loaded.cell()).isEqualTo(SequenceParameters.Cell.GRU);
        }
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        SequenceData train = trends(100, 6);
        try (SequenceModel model = new SequenceTrainer(quick(SequenceParameters.Cell.LSTM, 1)).fit(train)) {
            assertThatThrownBy(() -> model.predictProbabilities(List.<double[][]>of(new double[][] {{1, 2, 3}})))
                    .isInstanceOf(MedmaasException.class).hasMessageContaining("not 2");
            Map<String, byte[]> files = new HashMap<>(model.files());
            assertThatThrownBy(() -> SequenceModel.fromFiles(files, List.of("lab"), train.classes()))
                    .hasMessageContaining("does not match");
            files.put(SequenceModel.PARAMETERS_FILE, new byte[] {9, 9});
            assertThatThrownBy(() -> SequenceModel.fromFiles(files, train.featureNames(), train.classes()))
                    .hasMessageContaining("does not load");
        }
        assertThatThrownBy(() -> SequenceData.unweighted(List.<double[][]>of(new double[0][]), new int[] {0}, List.of("a"),
                List.of("n", "y"))).hasMessageContaining("no visits");
        assertThatThrownBy(() -> SequenceParameters.Cell.parse("rnn")).hasMessageContaining("lstm or gru");
    }
}
