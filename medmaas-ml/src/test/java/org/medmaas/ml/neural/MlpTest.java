package org.medmaas.ml.neural;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.ml.TestData;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.Explanation;
import org.medmaas.ml.Learners;
import org.medmaas.ml.explain.KernelShapExplained;

class MlpTest {

    static LabeledMatrix data(int n, long seed) {
        return TestData.nonlinear(n, seed);
    }

    static double auc(ProbabilisticClassifier model, LabeledMatrix test) {
        return TestData.auc(model, test);
    }

    private static MlpParameters quick(long seed) {
        return new MlpParameters(List.of(32, 32), 0.0, 3e-3, 1e-4, 32, 60, 8, 0.15, false, seed);
    }

    /** As {@link #quick} without early stopping: 25 epochs, always. */
    private static MlpParameters fixedEpochs(long seed) {
        return new MlpParameters(List.of(32, 32), 0.0, 3e-3, 1e-4, 32, 25, 0, 0.15, false, seed);
    }

    @Test
    void learnsANonlinearSignalThatLogisticRegressionMisses() {
        LabeledMatrix train = data(2000, 1);
        LabeledMatrix test = data(1000, 2);
        KernelShapExplained mlp = new MlpTrainer(quick(7)).fit(train);
        ProbabilisticClassifier lr = Learners.trainer("lr", 7).fit(train);
        assertThat(auc(mlp, test)).isGreaterThan(0.8).isGreaterThan(auc(lr, test) + 0.05);
    }

    /**
     * Seeded training is repeatable up to the rounding of libtorch's CPU kernels: on one CI host
     * two fits with one seed in one JVM ended with weights about 1e-3 apart after 60 epochs (MKL's
     * GEMM does not promise bit-identical sums across calls), and in a whole module's run one fit
     * in a few (sometimes the JVM's first) scored 0.005-0.015 apart from the others on average,
     * while the rest agreed exactly. So three fits are made with the seed, and the check is that
     * some two of them agree far more closely than a fit with another seed agrees with any of them.
     */
    @Test
    void theSameSeedGivesTheSameScoresAndAnotherSeedDoesNot() {
        LabeledMatrix train = data(400, 3);
        LabeledMatrix probe = data(300, 4);
        // A fixed number of epochs: with early stopping, libtorch's last-bit rounding differences
        // between two same-seed fits can pick different best epochs, which says nothing about
        // seeding; what is tested here is that the seed decides the fit.
        List<double[][]> seeded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seeded.add(new MlpTrainer(fixedEpochs(11)).fit(train).predictProbabilities(probe.x()));
        }
        double[][] other = new MlpTrainer(fixedEpochs(12)).fit(train).predictProbabilities(probe.x());
        double closestSameSeed = Double.MAX_VALUE;
        double closestOtherSeed = Double.MAX_VALUE;
        for (int i = 0; i < seeded.size(); i++) {
            closestOtherSeed = Math.min(closestOtherSeed, meanGap(seeded.get(i), other));
            for (int j = i + 1; j < seeded.size(); j++) {
                closestSameSeed = Math.min(closestSameSeed, meanGap(seeded.get(i), seeded.get(j)));
            }
        }
        assertThat(closestSameSeed).isLessThan(0.01);
        assertThat(closestOtherSeed).isGreaterThan(5 * closestSameSeed).isGreaterThan(0.02);
    }

    private static double meanGap(double[][] a, double[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i][1] - b[i][1]);
        }
        return sum / a.length;
    }

    @Test
    void javaScoringEqualsDjlsForwardPass() throws Exception {
        LabeledMatrix train = data(500, 4);
        MlpModel model = (MlpModel) new MlpTrainer(quick(5)).fit(train).model();
        LabeledMatrix test = data(200, 6);
        double[][] ours = model.predictProbabilities(test.x());
        Map<String, byte[]> files = model.files();
        MlpArchitecture architecture = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(files.get(MlpModel.ARCHITECTURE_FILE), MlpArchitecture.class);
        SequentialBlock block = architecture.block();
        try (NDManager manager = Torch.engine().newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(files.get(MlpModel.PARAMETERS_FILE))));
            float[] flat = org.medmaas.ml.FeatureMatrix.toFloatRowMajor(test.x(), 4);
            NDArray logits = block.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(flat, new Shape(test.rows(), 4))), false).singletonOrThrow();
            float[] z = logits.toFloatArray();
            for (int i = 0; i < test.rows(); i++) {
                assertThat(ours[i][1]).isCloseTo(1 / (1 + Math.exp(-z[i])), within(1e-5));
            }
        }
    }

    @Test
    void largeBatchesScoredByLibtorchEqualTheJavaPath() {
        MlpModel model = (MlpModel) new MlpTrainer(quick(5)).fit(data(500, 4)).model();
        LabeledMatrix test = data(5000, 7);  // two native chunks, in parallel
        assertThat(test.rows()).isGreaterThan(MlpModel.NATIVE_BATCH);
        double[][] nativePath = model.predictProbabilities(test.x());
        double[][] javaPath = model.predictJava(test.x());
        for (int i = 0; i < test.rows(); i++) {
            assertThat(nativePath[i][1]).isCloseTo(javaPath[i][1], within(1e-6));
        }
    }

    @Test
    void reloadsFromItsBundleFilesWithTheSameScoresAndExplanations() {
        LabeledMatrix train = data(400, 8);
        KernelShapExplained trained = new MlpTrainer(quick(9)).fit(train);
        ProbabilisticClassifier loaded = Learners.load("mlp", trained.nativeFiles(), train.featureNames(), train.classes());
        LabeledMatrix test = data(20, 10);
        double[][] expected = trained.predictProbabilities(test.x());
        assertThat(loaded.predictProbabilities(test.x())).isDeepEqualTo(expected);
        Explanation e = ((KernelShapExplained) loaded).explain(test.x()[0]);
        assertThat(e.contributions()).containsExactly(trained.explain(test.x()[0]).contributions());
    }

    @Test
    void explanationsAddUpToTheLogOdds() {
        LabeledMatrix train = data(400, 12);
        KernelShapExplained model = new MlpTrainer(quick(13)).fit(train);
        for (double[] row : data(10, 14).x()) {
            Explanation e = model.explain(row);
            double p = model.predictProbabilities(new double[][] {row})[0][1];
            assertThat(e.logOdds()).isCloseTo(Math.log(p / (1 - p)), within(1e-9));
        }
    }

    @Test
    void multiClassTargetsUseSoftmax() {
        Random random = new Random(3);
        int n = 900;
        double[][] x = new double[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            x[i][0] = y[i] + 0.4 * random.nextGaussian();
            x[i][1] = (y[i] == 1 ? 1 : 0) + 0.4 * random.nextGaussian();
        }
        LabeledMatrix data = LabeledMatrix.unweighted(x, y, List.of("u", "v"), List.of("a", "b", "c"));
        ProbabilisticClassifier model = new MlpTrainer(quick(1)).fit(data);
        double[][] p = model.predictProbabilities(x);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            assertThat(p[i][0] + p[i][1] + p[i][2]).isCloseTo(1.0, within(1e-9));
            int best = p[i][0] >= p[i][1] && p[i][0] >= p[i][2] ? 0 : p[i][1] >= p[i][2] ? 1 : 2;
            correct += best == y[i] ? 1 : 0;
        }
        assertThat(correct / (double) n).isGreaterThan(0.85);
    }

    @Test
    void refusesTamperedOrMismatchedFiles() {
        LabeledMatrix train = data(200, 15);
        Map<String, byte[]> files = new HashMap<>(new MlpTrainer(quick(1)).fit(train).nativeFiles());
        assertThatThrownBy(() -> Learners.load("mlp", files, List.of("a", "b", "c"), train.classes()))
                .isInstanceOf(MedmaasException.class).hasMessageContaining("does not match");
        files.put(MlpModel.PARAMETERS_FILE, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Learners.load("mlp", files, train.featureNames(), train.classes()))
                .isInstanceOf(MedmaasException.class).hasMessageContaining("does not load");
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThatThrownBy(() -> new MlpParameters(List.of(0), 0, 1e-3, 0, 32, 10, 0, 0.1, false, 1))
                .isInstanceOf(MedmaasException.class).hasMessageContaining("'hidden'");
        assertThatThrownBy(() -> new MlpParameters(List.of(8), 1.0, 1e-3, 0, 32, 10, 0, 0.1, false, 1))
                .isInstanceOf(MedmaasException.class).hasMessageContaining("'dropout'");
    }
}
