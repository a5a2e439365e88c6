package org.medmaas.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.data.csv.CsvTableWriter;
import org.medmaas.data.preprocess.Impute;
import org.medmaas.data.preprocess.PipelineSpec;
import org.medmaas.data.preprocess.Scale;
import org.medmaas.data.split.ClassLabels;
import org.medmaas.data.split.FoldStrategy;
import org.medmaas.data.split.StratifiedKFold;
import org.medmaas.ml.LearnerSettings;
import org.medmaas.ml.Learners;
import org.medmaas.ml.evaluation.CrossValidation;
import org.medmaas.ml.search.ModelSearch;
import org.medmaas.ml.search.SearchSpace;

/**
 * {@code --model auto} (lr, gbt and rf searched, compared and ensembled, as {@code medmaas train}
 * runs it) against scikit-learn's learners at their defaults, under repeated stratified 10-fold
 * cross-validation whose fold of every row is written to {@code OUT_DIR/<name>-folds.csv} (one
 * column per repeat) for {@code peers/sklearn_search_quality.py}. The search runs inside each
 * training part only; the held-out part scores it. Besides the shared datasets, every
 * {@code OUT_DIR/extra/<name>.csv} (a true/false column {@code outcome}, the rest inputs) is a dataset
 * too: {@code run-search-quality.sh} writes two there from R packages (see {@code peers/r_tables.R}).
 *
 * <pre>SearchQualityBenchmark DATASETS_DIR OUT_DIR [REPEATS [TRIALS [DATASET...]]]</pre>
 */
public final class SearchQualityBenchmark {

    private static final int FOLDS = 10;

    private SearchQualityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path datasets = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int trials = args.length > 3 ? Integer.parseInt(args[3]) : ModelSearch.Budget.DEFAULT.trials();
        List<String> only = args.length > 4 ? List.of(args).subList(4, args.length) : List.of();
        Files.createDirectories(out);
        System.out.printf(Locale.ROOT, "Repeated stratified 10-fold CV, %d repeat(s); ROC-AUC mean ± sd over the %d folds%n",
                repeats, repeats * FOLDS);
        System.out.println("| dataset | learner | ROC-AUC | time |");
        System.out.println("|---|---|---|---|");
        PipelineSpec preprocessing = PipelineSpec.of(Impute.of(Impute.Strategy.MEDIAN), Scale.of(Scale.Method.STANDARD));
        List<QualityBenchmark.Dataset> tables = new ArrayList<>(QualityBenchmark.load(datasets));
        Path extra = out.resolve("extra");
        if (Files.isDirectory(extra)) {
            try (var files = Files.list(extra)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                    String name = f.getFileName().toString().replaceFirst("\\.csv$", "");
                    tables.add(new QualityBenchmark.Dataset(name, new org.medmaas.data.csv.CsvTableReader().read(f), "outcome"));
                }
            }
        }
        for (QualityBenchmark.Dataset d : tables) {
            if (!only.isEmpty() && !only.contains(d.name())) {
                continue;
            }
            new CsvTableWriter().write(d.table(), out.resolve(d.name() + ".csv"));
            ClassLabels labels = ClassLabels.of(d.table(), d.target());
            List<int[]> assignments = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                assignments.add(new StratifiedKFold(FOLDS, 1000 + r).assign(labels));
            }
            StringBuilder csv = new StringBuilder();
            for (int r = 0; r < repeats; r++) {
                csv.append(r == 0 ? "" : ",").append("r").append(r);
            }
            csv.append('\n');
            for (int i = 0; i < labels.index().length; i++) {
                for (int r = 0; r < repeats; r++) {
                    csv.append(r == 0 ? "" : ",").append(assignments.get(r)[i]);
                }
                csv.append('\n');
            }
            Files.writeString(out.resolve(d.name() + "-folds.csv"), csv);
            // Keys name each learner's per-fold ROC-AUC file, OUT_DIR/<dataset>-<key>.aucs, for paired comparisons.
            List<Map.Entry<String, ClassifierTrainer>> learners = List.of(
                    Map.entry("MedMaaS auto (lr, gbt, rf searched, trials=" + trials + ", 5-fold inner CV; ensembled when better)",
                            new ModelSearch(Learners.AUTO, LearnerSettings.none(), SearchSpace.defaults(),
                                    new ModelSearch.Budget(trials, Optional.empty()), ModelSearch.DEFAULT_INNER_FOLDS,
                                    "roc_auc", true, 42)),
                    Map.entry("MedMaaS lr at defaults", Learners.trainer("lr", 42)),
                    Map.entry("MedMaaS gbt at defaults", Learners.trainer("gbt", 42)),
                    Map.entry("MedMaaS rf at defaults", Learners.trainer("rf", 42)));
            for (Map.Entry<String, ClassifierTrainer> learner : learners) {
                long t0 = System.nanoTime();
                List<Double> aucs = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    int[] fold = assignments.get(r);
                    List<FoldStrategy.Split> splits = new ArrayList<>();
                    for (int f = 0; f < FOLDS; f++) {
                        final int k = f;
                        splits.add(new FoldStrategy.Split(f, java.util.stream.IntStream.range(0, fold.length)
                                .filter(i -> fold[i] != k).toArray(), java.util.stream.IntStream.range(0, fold.length)
                                .filter(i -> fold[i] == k).toArray()));
                    }
                    CrossValidation.Result result = new CrossValidation(FoldStrategy.fixed(splits, "repeat " + r))
                            .run(d.table(), d.target(), preprocessing, Optional.empty(), learner.getValue());
                    result.folds().forEach(m -> aucs.add(m.get("roc_auc")));
                }
                String key = learner.getValue().name();
                Files.writeString(out.resolve(d.name() + "-" + key + ".aucs"), aucs.stream()
                        .map(v -> String.format(Locale.ROOT, "%.6f", v)).collect(java.util.stream.Collectors.joining("\n", "", "\n")));
                double mean = aucs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                double ss = aucs.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
                System.out.printf(Locale.ROOT, "| %s | %s | %.4f ± %.4f | %.0f s |%n", d.name(), learner.getKey(), mean,
                        Math.sqrt(ss / (aucs.size() - 1)), (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
