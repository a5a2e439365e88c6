package org.medmaas.diagnosis;

import org.medmaas.ml.evaluation.TrainingRecipe;
import org.medmaas.ml.calibration.ThresholdRule;

import org.medmaas.ml.calibration.CalibrationMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.StringColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.SchemaFile;

class DiagnosisTrainerTest {

    /** A seeded cohort: risk rises with glucose and BMI and for smokers; an identifier column rides along. */
    static Table cohort(int n, long seed) {
        Random random = new Random(seed);
        String[] ids = new String[n];
        double[] glucose = new double[n];
        double[] bmi = new double[n];
        BitSet bmiMissing = new BitSet();
        String[] smoker = new String[n];
        String[] outcome = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = "P" + (10_000 + i);
            glucose[i] = 105 + 25 * random.nextGaussian();
            bmi[i] = 28 + 5 * random.nextGaussian();
            if (random.nextDouble() < 0.05) {
                bmiMissing.set(i);
            }
            smoker[i] = random.nextDouble() < 0.3 ? "current" : random.nextDouble() < 0.5 ? "former" : "never";
            double logit = (glucose[i] - 110) / 15 + (bmi[i] - 28) / 6 + (smoker[i].equals("current") ? 0.8 : 0) - 0.7;
            outcome[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? "yes" : "no";
        }
        return Table.of(StringColumn.identifiers("patient_id", ids), NumericColumn.of("glucose", glucose),
                NumericColumn.of("bmi", bmi, bmiMissing), CategoricalColumn.of("smoker", smoker),
                CategoricalColumn.of("diabetes", outcome));
    }

    static DiagnosisTrainingRequest request(Table data, List<String> models) {
        return new DiagnosisTrainingRequest(data, "diabetes", models, 5, 42, CalibrationMethod.PLATT,
                ThresholdRule.parse("youden"), "roc_auc", SchemaFile.empty());
    }

    @Test
    void trainsComparesCalibratesAndWritesABundleThatPredictsAndExplains(@TempDir Path dir) {
        Table data = cohort(800, 1);
        DiagnosisTrainer.Outcome outcome = new DiagnosisTrainer().train(request(data, List.of("lr", "mlp", "gbt")),
                dir.resolve("model"), m -> { });
        assertThat(outcome.candidates()).extracting(TrainingRecipe.CandidateResult::learner)
                .containsExactly("lr", "mlp", "gbt");
        assertThat(outcome.candidates().get(1).cv().mean().get("roc_auc")).isGreaterThan(0.75);
        assertThat(outcome.droppedColumns()).containsExactly("patient_id");
        assertThat(outcome.candidates().get(0).cv().mean().get("roc_auc")).isGreaterThan(0.75);
        assertThat(outcome.eceAfter()).isLessThan(0.1);
        assertThat(outcome.manifest().provenance().trainingData().get("sha256")).asString().hasSize(64);

        DiagnosisModel model = DiagnosisModel.load(dir.resolve("model"));
        Table fresh = cohort(50, 2);
        List<DiagnosisPrediction> predictions = model.predict(fresh, 3);
        assertThat(predictions).hasSize(50);
        for (DiagnosisPrediction p : predictions) {
            assertThat(p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
            assertThat(p.label()).isIn("yes", "no");
            assertThat(p.explanation()).isPresent();
            assertThat(p.explanation().get().topFeatures()).hasSize(3);
        }
        assertThat(model.evaluate(fresh).get("roc_auc")).isGreaterThan(0.6);

        Table larger = cohort(300, 5);
        var bySmoking = model.evaluateBySubgroup(larger, "smoker", List.of());
        assertThat(bySmoking.keySet()).containsExactly("current", "former", "never");
        assertThat(bySmoking.values().stream().mapToDouble(m -> m.get("rows")).sum()).isEqualTo(300.0);
        var byGlucose = model.evaluateBySubgroup(larger, "glucose", List.of(100.0, 130.0));
        assertThat(byGlucose.keySet()).containsSubsequence("<100", "100–130");
        // Fewer than 11 rows: no metrics and no count.
        var small = model.evaluateBySubgroup(fresh.head(8), "smoker", List.of());
        assertThat(small.values()).allSatisfy(m -> assertThat(m).containsOnlyKeys("suppressed"));

        var importance = model.globalImportance(fresh);
        assertThat(importance.get(0).feature()).isIn("glucose", "bmi");
        assertThat(importance).extracting(DiagnosisPrediction.FeatureContribution::contribution)
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void subgroupMetricsFromHeldOutPredictionsGoIntoTheBundle(@TempDir Path dir) {
        Table data = cohort(600, 7);
        DiagnosisTrainingRequest plain = request(data, List.of("lr"));
        DiagnosisTrainingRequest request = new DiagnosisTrainingRequest(data, "diabetes", List.of("lr"), 5, 42,
                CalibrationMethod.PLATT, ThresholdRule.parse("youden"), "roc_auc", SchemaFile.empty(),
                plain.settings(), List.of(Subgroups.Spec.parse("smoker"), Subgroups.Spec.parse("glucose:80,150")));
        DiagnosisTrainer.Outcome outcome = new DiagnosisTrainer().train(request, dir.resolve("model"), m -> { });
        var bySmoking = outcome.section().subgroupMetrics().get("smoker");
        assertThat(bySmoking.keySet()).containsExactly("current", "former", "never");
        assertThat(bySmoking.values().stream().mapToDouble(m -> m.get("rows")).sum()).isEqualTo(600.0);
        assertThat(bySmoking.values()).allSatisfy(m -> assertThat(m.get("roc_auc")).isBetween(0.6, 1.0));
        // Out-of-fold: a group's AUC is near the cross-validated AUC, not the (higher) training fit.
        double overall = outcome.manifest().metrics().get("roc_auc").get("mean");
        assertThat(bySmoking.get("never").get("roc_auc")).isCloseTo(overall, within(0.1));
        var byGlucose = outcome.section().subgroupMetrics().get("glucose:80,150");
        assertThat(byGlucose.keySet()).containsExactly("<80", "80–150", "≥150");
        // The bundle keeps them: a reloaded model's manifest holds the same numbers.
        assertThat(DiagnosisModel.load(dir.resolve("model")).section().subgroupMetrics())
                .isEqualTo(outcome.section().subgroupMetrics());

        assertThatThrownBy(() -> new DiagnosisTrainingRequest(data, "diabetes", List.of("lr"), 5, 42,
                CalibrationMethod.PLATT, ThresholdRule.parse("youden"), "roc_auc", SchemaFile.empty(),
                plain.settings(), List.of(Subgroups.Spec.parse("sex")))).hasMessageContaining("'sex' is not in the data");
        assertThatThrownBy(() -> Subgroups.Spec.parse("glucose:80,high")).hasMessageContaining("band edges must be numbers");
    }

    @Test
    void sameDataAndSeedGiveTheSameModelFiles(@TempDir Path dir) throws Exception {
        Table data = cohort(300, 3);
        new DiagnosisTrainer().train(request(data, List.of("gbt")), dir.resolve("a"), m -> { });
        new DiagnosisTrainer().train(request(data, List.of("gbt")), dir.resolve("b"), m -> { });
        assertThat(Files.readAllBytes(dir.resolve("a/model.xgb.json"))).isEqualTo(Files.readAllBytes(dir.resolve("b/model.xgb.json")));
        String a = Files.readString(dir.resolve("a/manifest.json")).replaceAll("\"createdAt\" : \"[^\"]*\"", "");
        String b = Files.readString(dir.resolve("b/manifest.json")).replaceAll("\"createdAt\" : \"[^\"]*\"", "");
        assertThat(a).isEqualTo(b);
    }

    @Test
    void anMlpBundleIsReproducibleAndExplainsEveryPrediction(@TempDir Path dir) throws Exception {
        Table data = cohort(300, 5);
        new DiagnosisTrainer().train(request(data, List.of("mlp")), dir.resolve("a"), m -> { });
        new DiagnosisTrainer().train(request(data, List.of("mlp")), dir.resolve("b"), m -> { });
        for (String file : List.of("mlp.params", "mlp.json", "explainer.kernel-shap.json")) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(file)));
        }
        DiagnosisModel model = DiagnosisModel.load(dir.resolve("a"));
        assertThat(model.learner()).isEqualTo("mlp");
        assertThat(model.manifest().provenance().settings()).containsEntry("hidden", List.of(64, 64));
        Table fresh = cohort(20, 6);
        for (DiagnosisPrediction p : model.predict(fresh, 10)) {
            DiagnosisPrediction.Explanation e = p.explanation().orElseThrow();
            // Additivity itself is tested in medmaas-ml; here every feature is explained, strongest first.
            assertThat(e.topFeatures()).extracting(DiagnosisPrediction.FeatureContribution::feature)
                    .containsExactlyInAnyOrderElementsOf(model.section().features());
            assertThat(e.topFeatures()).extracting(f -> Math.abs(f.contribution()))
                    .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        }
    }

    @Test
    void tamperedOrIncompleteBundlesAreRefused(@TempDir Path dir) throws Exception {
        new DiagnosisTrainer().train(request(cohort(200, 4), List.of("lr")), dir.resolve("m"), m -> { });
        Path model = dir.resolve("m/model.liblinear");
        Files.writeString(model, Files.readString(model).replace("w\n", "w\n0.5\n"));
        assertThatThrownBy(() -> DiagnosisModel.load(dir.resolve("m")))
                .isInstanceOfSatisfying(MedmaasException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY))
                .hasMessageContaining("model.liblinear does not match its checksum");
        Files.delete(dir.resolve("m/checksums.sha256"));
        assertThatThrownBy(() -> DiagnosisModel.load(dir.resolve("m"))).hasMessageContaining("no checksums.sha256");
    }

    @Test
    void zipBundlesWorkLikeDirectoriesAndRefuseDamage(@TempDir Path dir) throws Exception {
        Table data = cohort(300, 7);
        new DiagnosisTrainer().train(request(data, List.of("gbt")), dir.resolve("model.zip"), m -> { });
        assertThat(dir.resolve("model.zip")).isRegularFile();
        DiagnosisModel model = DiagnosisModel.load(dir.resolve("model.zip"));
        assertThat(model.predict(cohort(5, 8), 2)).hasSize(5);

        byte[] zip = Files.readAllBytes(dir.resolve("model.zip"));
        zip[zip.length / 2] ^= 0x5A;
        Files.write(dir.resolve("damaged.zip"), zip);
        assertThatThrownBy(() -> DiagnosisModel.load(dir.resolve("damaged.zip")))
                .isInstanceOfSatisfying(MedmaasException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY));
    }

    @Test
    void badInputIsRefusedWithEveryProblemNamed(@TempDir Path dir) {
        new DiagnosisTrainer().train(request(cohort(200, 5), List.of("lr")), dir.resolve("m"), m -> { });
        DiagnosisModel model = DiagnosisModel.load(dir.resolve("m"));
        Table wrong = Table.of(NumericColumn.of("glucose", 120), CategoricalColumn.of("bmi", "high"),
                NumericColumn.of("weight", 80));
        assertThatThrownBy(() -> model.predict(wrong, 3)).hasMessageContaining("missing column 'smoker'")
                .hasMessageContaining("column 'bmi' is categorical, the model expects numeric")
                .hasMessageContaining("unexpected column 'weight'");
    }

    @Test
    void refusesATargetWithOneClassAndAnUnknownModel() {
        Table data = cohort(100, 6);
        Table oneClass = data.with(CategoricalColumn.of("diabetes", java.util.Collections.nCopies(100, "no").toArray(String[]::new)));
        assertThatThrownBy(() -> new DiagnosisTrainer().train(request(oneClass, List.of("lr")), Path.of("unused"), m -> { }))
                .hasMessageContaining("only one class");
        assertThatThrownBy(() -> new DiagnosisTrainer().train(request(data, List.of("svm")), Path.of("unused"), m -> { }))
                .hasMessageContaining("Unknown model 'svm'");
    }

    /** A visit table: 3–10 visits per patient of a lab drifting up (positive) or down to a random last value. */
    static Table visits(int patients, long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<String> ids = new java.util.ArrayList<>();
        List<Double> visit = new java.util.ArrayList<>();
        List<Double> lab = new java.util.ArrayList<>();
        List<String> sex = new java.util.ArrayList<>();
        List<String> outcome = new java.util.ArrayList<>();
        for (int p = 0; p < patients; p++) {
            boolean positive = random.nextBoolean();
            int n = 3 + random.nextInt(8);
            double last = 2 * random.nextGaussian();
            double slope = (positive ? 1 : -1) * (0.3 + 0.3 * random.nextDouble());
            String s = random.nextBoolean() ? "female" : "male";
            // Visits are written newest first, to check that they are put in order.
            for (int t = n - 1; t >= 0; t--) {
                ids.add("V" + p);
                visit.add((double) (t + 1));
                lab.add(last + slope * (t - n + 1) + 0.2 * random.nextGaussian());
                sex.add(s);
                outcome.add(positive ? "yes" : "no");
            }
        }
        return Table.of(StringColumn.identifiers("patient_id", ids.toArray(String[]::new)),
                NumericColumn.of("visit", visit.stream().mapToDouble(Double::doubleValue).toArray()),
                NumericColumn.of("lab", lab.stream().mapToDouble(Double::doubleValue).toArray()),
                CategoricalColumn.of("sex", sex.toArray(String[]::new)),
                CategoricalColumn.of("diabetes", outcome.toArray(String[]::new)));
    }

    @Test
    void aSequenceModelTrainsOnVisitTablesAndPredictsOncePerPatient(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "gru: {hidden: 16, epochs: 40, learning_rate: 0.01}\n");
        DiagnosisTrainingRequest request = new DiagnosisTrainingRequest(visits(300, 1), "diabetes", List.of("gru"), 3, 42,
                CalibrationMethod.PLATT, ThresholdRule.parse("youden"), "roc_auc", SchemaFile.empty(),
                org.medmaas.ml.LearnerSettings.read(dir.resolve("config.yaml")));
        DiagnosisTrainer.Outcome outcome = new DiagnosisTrainer().train(request, dir.resolve("gru"), m -> { });
        assertThat(outcome.candidates().get(0).cv().mean().get("roc_auc")).isGreaterThan(0.85);
        assertThat(outcome.manifest().provenance().trainingData()).containsEntry("patients", 300);
        assertThat(outcome.manifest().provenance().settings()).containsEntry("order_column", "visit").containsEntry("hidden", 16);

        DiagnosisModel model = DiagnosisModel.load(dir.resolve("gru"));
        assertThat(model.readsSequences()).isTrue();
        Table fresh = visits(60, 2);
        List<DiagnosisPrediction> predictions = model.predict(fresh.drop(List.of("diabetes")), 3);
        assertThat(predictions).hasSize(60);
        assertThat(predictions.get(0).explanation()).isEmpty();
        assertThat(model.evaluate(fresh).get("roc_auc")).isGreaterThan(0.85);
        assertThatThrownBy(() -> model.predict(fresh.drop(List.of("visit")), 3)).hasMessageContaining("'visit'");
    }

    @Test
    void visitTablesNeedOneOutcomePerPatientAndDoNotMixWithTabularLearners(@TempDir Path dir) {
        Table data = visits(40, 3);
        assertThatThrownBy(() -> new DiagnosisTrainer().train(request(data, List.of("lstm", "lr")), dir.resolve("x"), m -> { }))
                .hasMessageContaining("train them separately");
        String[] flipped = new String[data.rowCount()];
        for (int i = 0; i < flipped.length; i++) {
            flipped[i] = i == 1 ? (data.column("diabetes").format(0).equals("yes") ? "no" : "yes") : data.column("diabetes").format(i);
        }
        Table inconsistent = data.with(CategoricalColumn.of("diabetes", flipped));
        assertThatThrownBy(() -> new DiagnosisTrainer().train(request(inconsistent, List.of("lstm")), dir.resolve("y"), m -> { }))
                .hasMessageContaining("differs between the visits of one patient");
        assertThat(dir.resolve("y")).doesNotExist();
    }

    @Test
    void aGroupedSplitIsUsedAndRecordedAndAnUnknownSplitIsRefused(@TempDir Path dir) {
        // Three rows per patient: the grouped split keeps them in one fold (FoldStrategyTest checks how).
        Table data = cohort(300, 4).replace("patient_id", List.of(StringColumn.identifiers("patient_id",
                java.util.stream.IntStream.range(0, 300).mapToObj(i -> "p" + i / 3).toArray(String[]::new))));
        DiagnosisTrainingRequest grouped = new DiagnosisTrainingRequest(data, "diabetes", List.of("lr"), 5, 42,
                org.medmaas.ml.calibration.CalibrationMethod.PLATT, org.medmaas.ml.calibration.ThresholdRule.parse("youden"),
                "roc_auc", SchemaFile.empty(), org.medmaas.ml.LearnerSettings.none(), List.of(), "group:patient_id");
        DiagnosisTrainer.Outcome outcome = new DiagnosisTrainer().train(grouped, dir.resolve("model"), m -> { });
        assertThat(outcome.manifest().provenance().trainingData()).containsEntry("split", "grouped 5-fold by patient_id");
        assertThat(outcome.candidates().get(0).cv().heldOut()).hasSize(300);
        assertThatThrownBy(() -> new DiagnosisTrainingRequest(data, "diabetes", List.of("lr"), 5, 42,
                org.medmaas.ml.calibration.CalibrationMethod.PLATT, org.medmaas.ml.calibration.ThresholdRule.parse("youden"),
                "roc_auc", SchemaFile.empty(), org.medmaas.ml.LearnerSettings.none(), List.of(), "group:nobody"))
                .isInstanceOf(MedmaasException.class).hasMessageContaining("group:nobody");
    }
}
