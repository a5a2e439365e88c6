package org.medmaas.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.Table;
import org.medmaas.ml.calibration.CalibrationMethod;
import org.medmaas.ml.metrics.ClassificationMetrics;

class RecalibrationTest {

    /**
     * Another site: the same patients' kind of records, but twice the odds of the outcome at any
     * glucose, BMI and smoking (another referral pattern): the model still ranks well there, and its
     * probabilities are too low.
     */
    static Table site(int n, long seed) {
        Table t = DiagnosisTrainerTest.cohort(n, seed);
        Random random = new Random(seed + 99);
        String[] outcome = new String[n];
        for (int i = 0; i < n; i++) {
            double glucose = t.numeric("glucose").get(i);
            double bmi = t.numeric("bmi").isMissing(i) ? 28 : t.numeric("bmi").get(i);
            boolean current = t.column("smoker").format(i).equals("current");
            double logit = (glucose - 110) / 15 + (bmi - 28) / 6 + (current ? 0.8 : 0) - 0.7 + 1.6;
            outcome[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? "yes" : "no";
        }
        return t.with(CategoricalColumn.of("diabetes", outcome));
    }

    @Test
    void aShiftedSitesCalibrationImprovesAndTheNewBundleCarriesIt(@TempDir Path dir) {
        new DiagnosisTrainer().train(DiagnosisTrainerTest.request(DiagnosisTrainerTest.cohort(600, 1), List.of("lr")),
                dir.resolve("model"), m -> { });
        Table siteData = site(400, 5);
        Recalibration.Outcome outcome = Recalibration.recalibrate(ModelBundle.read(dir.resolve("model")), "diabetes@1",
                siteData, CalibrationMethod.PLATT, 42, dir.resolve("recalibrated"));

        assertThat(outcome.rows()).isEqualTo(400);
        assertThat(outcome.before().meanPredicted()).isLessThan(outcome.before().observedRate() - 0.1);
        assertThat(outcome.after().ece()).isLessThan(outcome.before().ece() / 2);
        assertThat(outcome.after().brier()).isLessThan(outcome.before().brier());
        assertThat(outcome.after().meanPredicted()).isCloseTo(outcome.after().observedRate(), org.assertj.core.data.Offset.offset(0.03));

        // The written bundle verifies, predicts with the new calibration, and says where it came from.
        DiagnosisModel recalibrated = DiagnosisModel.load(dir.resolve("recalibrated"));
        Table further = site(600, 6); // further patients of the same site
        int[] y = java.util.stream.IntStream.range(0, further.rowCount())
                .map(i -> further.column("diabetes").format(i).equals("yes") ? 1 : 0).toArray();
        double eceOld = ClassificationMetrics.expectedCalibrationError(y,
                positive(DiagnosisModel.load(dir.resolve("model")).probabilities(further)), 10);
        double eceNew = ClassificationMetrics.expectedCalibrationError(y, positive(recalibrated.probabilities(further)), 10);
        assertThat(eceNew).isLessThan(eceOld / 2);
        assertThat(outcome.manifest().provenance().trainingData()).containsKey("recalibration");
        assertThat(outcome.manifest().provenance().trainingData().get("recalibration").toString())
                .contains("from=diabetes@1", "method=platt", "rows=400");
        assertThat(outcome.manifest().metrics()).containsKeys("site_ece_before", "site_ece_after");
    }

    @Test
    void refusesDataWithoutUsableLabelsNamingTheColumn(@TempDir Path dir) {
        new DiagnosisTrainer().train(DiagnosisTrainerTest.request(DiagnosisTrainerTest.cohort(300, 1), List.of("lr")),
                dir.resolve("model"), m -> { });
        ModelBundle bundle = ModelBundle.read(dir.resolve("model"));
        Table unlabeled = site(100, 2).drop(List.of("diabetes"));
        assertThatThrownBy(() -> Recalibration.recalibrate(bundle, "m", unlabeled, CalibrationMethod.PLATT, 1, dir.resolve("a")))
                .hasMessageContaining("no column 'diabetes'");
        Table tiny = site(10, 3);
        assertThatThrownBy(() -> Recalibration.recalibrate(bundle, "m", tiny, CalibrationMethod.ISOTONIC, 1, dir.resolve("b")))
                .hasMessageContaining("at least 20 labeled rows");
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }

    private static double[] positive(double[][] p) {
        return java.util.Arrays.stream(p).mapToDouble(r -> r[1]).toArray();
    }
}
