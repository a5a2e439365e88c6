package org.medmaas.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.core.table.BooleanColumn;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.CsvOptions;
import org.medmaas.data.csv.CsvTableReader;
import org.medmaas.data.csv.CsvTableWriter;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.data.preprocess.Impute;
import org.medmaas.data.preprocess.PipelineSpec;
import org.medmaas.data.preprocess.Scale;
import org.medmaas.data.split.ClassLabels;
import org.medmaas.data.split.StratifiedKFold;
import org.medmaas.ml.calibration.CrossFitting;
import org.medmaas.ml.calibration.IsotonicCalibration;
import org.medmaas.ml.calibration.PlattScaling;
import org.medmaas.ml.evaluation.CrossValidation;
import org.medmaas.ml.metrics.ClassificationMetrics;
import org.medmaas.ml.neural.MlpParameters;
import org.medmaas.ml.neural.MlpTrainer;
import org.medmaas.ml.linear.LogisticRegressionParameters;
import org.medmaas.ml.linear.LogisticRegressionTrainer;
import org.medmaas.ml.trees.GradientBoostedTreesTrainer;
import org.medmaas.ml.trees.GradientBoostingParameters;

/**
 * Model quality on the real datasets in {@code shared/datasets}: 10-fold stratified CV of our
 * learners. It writes each prepared dataset and its fold assignment to {@code OUT_DIR}, so that
 * {@code peers/sklearn_quality.py} fits scikit-learn on exactly the same folds.
 *
 * <pre>QualityBenchmark DATASETS_DIR OUT_DIR</pre>
 */
public final class QualityBenchmark {

    private static final int FOLDS = 10;
    private static final long SEED = 42;

    private QualityBenchmark() {
    }

    record Dataset(String name, Table table, String target) {
    }

    public static void main(String[] args) throws Exception {
        Path datasets = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        System.out.println("| dataset | learner | ROC-AUC | accuracy | F1 | Brier | ECE | ECE after Platt | ECE after isotonic | 10-fold CV time |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Dataset d : load(datasets)) {
            new CsvTableWriter().write(d.table(), out.resolve(d.name() + ".csv"));
            int[] folds = new StratifiedKFold(FOLDS, SEED).assign(ClassLabels.of(d.table(), d.target()));
            StringBuilder foldCsv = new StringBuilder("fold\n");
            for (int f : folds) {
                foldCsv.append(f).append('\n');
            }
            Files.writeString(out.resolve(d.name() + "-folds.csv"), foldCsv);
            PipelineSpec preprocessing = PipelineSpec.of(Impute.of(Impute.Strategy.MEDIAN), Scale.of(Scale.Method.STANDARD));
            List<Map.Entry<String, ClassifierTrainer>> learners = List.of(
                    Map.entry("MedMaaS LR (LIBLINEAR, L2, C=1)",
                            new LogisticRegressionTrainer(LogisticRegressionParameters.defaults())),
                    Map.entry("MedMaaS MLP (DJL/PyTorch, 64-64, Adam, batch 32, early stopping)",
                            new MlpTrainer(MlpParameters.defaults(SEED))),
                    Map.entry("MedMaaS GBT (XGBoost4J, 100 rounds, depth 3, eta 0.1)",
                            new GradientBoostedTreesTrainer(GradientBoostingParameters.defaults().withDepthAndEta(3, 0.1))));
            for (Map.Entry<String, ClassifierTrainer> learner : learners) {
                long t0 = System.nanoTime();
                CrossValidation.Result r = new CrossValidation(FOLDS, SEED).run(d.table(), d.target(), preprocessing,
                        Optional.empty(), learner.getValue());
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.3f | %.3f | %.2f s |%n", d.name(),
                        learner.getKey(), r.summary("roc_auc"), r.summary("accuracy"), r.summary("f1"), r.summary("brier"),
                        r.summary("ece"), calibratedEce(r, PlattScaling::fit), calibratedEce(r, IsotonicCalibration::fit), seconds);
            }
        }
    }

    /**
     * ECE (10 bins) of the out-of-fold probabilities after calibration, cross-fitted as
     * {@code medmaas train} reports it: each row calibrated by a calibrator fitted without it.
     */
    private static double calibratedEce(CrossValidation.Result r,
            java.util.function.BiFunction<double[], int[], org.medmaas.ml.calibration.Calibrator> fit) {
        double[] p = new double[r.labels().length];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.outOfFoldProbabilities()[i][1];
        }
        double[] calibrated = CrossFitting.calibrate(p, r.labels(), fit, SEED);
        return ClassificationMetrics.expectedCalibrationError(r.labels(), calibrated, 10);
    }

    static List<Dataset> load(Path root) {
        List<Dataset> out = new ArrayList<>();
        CsvTableReader reader = new CsvTableReader();
        Table wdbc = reader.read(root.resolve("breast-cancer-wdbc/wdbc.csv"));
        out.add(new Dataset("wdbc", binaryTarget(wdbc, "target", v -> v > 0), "target"));
        Table pima = reader.read(root.resolve("pima-indians-diabetes/PimaIndiansDiabetes2.csv"));
        out.add(new Dataset("pima", pima.with(BooleanColumn.of("diabetes", positives(pima, "diabetes", "pos")))
                .drop(List.of()), "diabetes"));
        List<String> names = List.of("age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang",
                "oldpeak", "slope", "ca", "thal", "num");
        Table heart = new CsvTableReader(CsvOptions.defaults().withColumnNames(names), SchemaFile.empty())
                .read(root.resolve("heart-disease-uci/processed.cleveland.data"));
        Table binary = binaryTarget(heart, "num", v -> v > 0);
        out.add(new Dataset("heart", binary, "num"));
        return out;
    }

    /** A numeric target turned into true/false by a rule (e.g. num > 0 for heart disease). */
    private static Table binaryTarget(Table t, String column, java.util.function.DoublePredicate positive) {
        NumericColumn c = t.numeric(column);
        boolean[] y = new boolean[c.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = positive.test(c.get(i));
        }
        return t.with(BooleanColumn.of(column, y));
    }

    private static boolean[] positives(Table t, String column, String positiveLabel) {
        Column c = t.column(column);
        boolean[] y = new boolean[c.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = c.format(i).equals(positiveLabel);
        }
        return y;
    }
}
