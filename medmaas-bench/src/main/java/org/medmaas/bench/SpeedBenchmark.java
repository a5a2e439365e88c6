package org.medmaas.bench;

import org.medmaas.ml.calibration.CalibrationMethod;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.CsvTableReader;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.data.preprocess.FittedPipeline;
import org.medmaas.data.preprocess.Impute;
import org.medmaas.data.preprocess.PipelineSpec;
import org.medmaas.data.preprocess.Scale;
import org.medmaas.diagnosis.DiagnosisTrainer;
import org.medmaas.diagnosis.DiagnosisTrainingRequest;
import org.medmaas.ml.calibration.ThresholdRule;
import org.medmaas.ml.FeatureMatrix;
import org.medmaas.ml.LearnerSettings;
import org.medmaas.ml.Learners;

/**
 * Training time and batch scoring rate of each learner on the real datasets and a synthetic
 * 20,000 × 30 set, best of {@code REPEATS} after a warm-up (fits for at least 3 s, the same rule on both sides); {@code peers/python_speed.py} measures
 * scikit-learn and xgboost on the same files in the same run. Also writes the model bundles the
 * JMH latency benchmark loads.
 *
 * <pre>SpeedBenchmark QUALITY_DIR OUT_DIR REPEATS</pre>
 */
public final class SpeedBenchmark {

    /**
     * Warm-up rule shared with peers/python_speed.py: fit (and score) for at least this long, and
     * at least once, before measuring. The JVM compiles hot code only after thousands of calls,
     * so on the small sets a handful of warm-up fits measured the interpreter, not the service a
     * hospital would run; CPython has no such phase, and the same rule costs it nothing.
     */
    static final double WARMUP_SECONDS = 3.0;

    private SpeedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("memory")) {
            memory(Path.of(args[1]), args[2]);
            return;
        }
        Path quality = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int repeats = Integer.parseInt(args[2]);
        Files.createDirectories(out);
        Path synthetic = out.resolve("synthetic-20000x30.csv");
        if (!Files.exists(synthetic)) {
            writeSynthetic(synthetic, 20_000, 30, 13);
        }
        record Set(String name, Path file, String target) {
        }
        List<Set> sets = List.of(new Set("wdbc", quality.resolve("wdbc.csv"), "target"),
                new Set("pima", quality.resolve("pima.csv"), "diabetes"),
                new Set("heart", quality.resolve("heart.csv"), "num"),
                new Set("synthetic-20000x30", synthetic, "outcome"));
        for (Set set : sets) {
            if (!Files.exists(set.file())) {
                System.out.println("# skipped " + set.name() + ": " + set.file() + " absent (run run-quality.sh first)");
                continue;
            }
            Table table = new CsvTableReader().read(set.file());
            Table features = table.drop(List.of(set.target()));
            PipelineSpec spec = PipelineSpec.of(Impute.of(Impute.Strategy.MEDIAN), Scale.of(Scale.Method.STANDARD));
            for (String learner : Learners.NAMES) {
                ClassifierTrainer trainer = Learners.trainer(learner, 42);
                double bestTrain = Double.MAX_VALUE;
                double bestScore = Double.MAX_VALUE;
                // Warm-up, the same rule as the Python script (see WARMUP_SECONDS).
                long warmupStart = System.nanoTime();
                int warmups = 0;
                int measured = 0;
                while (measured < repeats) {
                    long t0 = System.nanoTime();
                    FittedPipeline pipeline = spec.fit(features);
                    Table prepared = pipeline.apply(features).with(table.column(set.target()));
                    LabeledMatrix m = FeatureMatrix.labeled(prepared, set.target(),
                            org.medmaas.data.split.ClassLabels.of(table, set.target()).classes());
                    ProbabilisticClassifier model = trainer.fit(m);
                    long t1 = System.nanoTime();
                    model.predictProbabilities(FeatureMatrix.matrix(pipeline.apply(features), model.featureNames()));
                    long t2 = System.nanoTime();
                    boolean warming = measured == 0 && (warmups == 0 || (t2 - warmupStart) / 1e9 < WARMUP_SECONDS);
                    if (warming) {
                        warmups++;
                        continue;
                    }
                    measured++;
                    bestTrain = Math.min(bestTrain, (t1 - t0) / 1e9);
                    bestScore = Math.min(bestScore, (t2 - t1) / 1e9);
                }
                System.out.printf(Locale.ROOT, "medmaas %s %s train_s=%.4f score_rows_per_s=%.0f rows=%d%n", set.name(),
                        learner, bestTrain, table.rowCount() / bestScore, table.rowCount());
                if (set.name().startsWith("synthetic") && !Files.exists(out.resolve("model-synthetic-" + learner))) {
                    new DiagnosisTrainer().train(new DiagnosisTrainingRequest(table, set.target(), List.of(learner), 3, 42,
                            CalibrationMethod.PLATT, ThresholdRule.parse("youden"), "roc_auc",
                            SchemaFile.empty()), out.resolve("model-synthetic-" + learner), message -> { });
                }
            }
        }
    }

    /**
     * Trains one learner on a generated 100,000 × 100 set (read from CSV, preprocessed, fitted):
     * run under {@code /usr/bin/time} for the peak RSS the memory goal is about.
     */
    static void memory(Path dir, String learner) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("synthetic-100000x100.csv");
        if (!Files.exists(file)) {
            writeSynthetic(file, 100_000, 100, 17);
        }
        long t0 = System.nanoTime();
        Table table = new CsvTableReader().read(file);
        Table features = table.drop(List.of("outcome"));
        FittedPipeline pipeline = PipelineSpec.of(Impute.of(Impute.Strategy.MEDIAN), Scale.of(Scale.Method.STANDARD))
                .fit(features);
        Table prepared = pipeline.apply(features).with(table.column("outcome"));
        LabeledMatrix m = FeatureMatrix.labeled(prepared, "outcome",
                org.medmaas.data.split.ClassLabels.of(table, "outcome").classes());
        LearnerSettings settings = new LearnerSettings(java.util.Map.of("mlp", java.util.Map.of("epochs", 5)));
        Learners.trainer(learner, 42, settings).fit(m);
        System.out.printf(Locale.ROOT, "medmaas memory %s rows=%d cols=%d total_s=%.1f%n", learner, table.rowCount(),
                features.columnCount(), (System.nanoTime() - t0) / 1e9);
    }

    /** Lab-like features with a nonlinear logit (as in the library trial), 2 % missing. */
    static void writeSynthetic(Path file, int rows, int features, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            StringBuilder header = new StringBuilder();
            for (int j = 0; j < features; j++) {
                header.append("x").append(j).append(',');
            }
            w.write(header.append("outcome\n").toString());
            double[] x = new double[features];
            StringBuilder line = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                for (int j = 0; j < features; j++) {
                    x[j] = gaussian(random);
                }
                double logit = 0.5 * x[0] - 0.4 * x[1] + 0.3 * x[4] + x[0] * x[1] + Math.abs(x[2]) - 0.8 + Math.sin(3 * x[3]);
                for (int j = 0; j < features; j++) {
                    if (random.nextDouble() >= 0.02) {
                        line.append(String.format(Locale.ROOT, "%.4f", x[j]));
                    }
                    line.append(',');
                }
                line.append(random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? "1" : "0").append('\n');
                w.write(line.toString());
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
