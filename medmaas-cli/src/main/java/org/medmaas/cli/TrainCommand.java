package org.medmaas.cli;

import org.medmaas.ml.evaluation.TrainingRecipe;
import org.medmaas.ml.calibration.CalibrationMethod;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.CsvOptions;
import org.medmaas.data.csv.CsvTableReader;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.diagnosis.DiagnosisTrainer;
import org.medmaas.diagnosis.DiagnosisTrainingRequest;
import org.medmaas.ml.calibration.ThresholdRule;
import org.medmaas.ml.LearnerSettings;
import org.medmaas.ml.Learners;
import org.medmaas.ml.search.ModelSearch;
import org.medmaas.ml.search.SearchSpace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medmaas train}: train models for a service (each service's command is registered in {@link CliServices}). */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model for a service.")
final class TrainCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "diagnosis", mixinStandardHelpOptions = true,
            description = {"Train a diagnosis model on a CSV file: stratified cross-validation of each candidate",
                    "(preprocessing fitted inside each training fold), the best kept by --metric, probabilities",
                    "calibrated and the threshold chosen on out-of-fold predictions, then a refit on all rows",
                    "written as a verified model bundle."})
    static final class Diagnosis implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training data (CSV).")
        Path data;

        @Option(names = "--target", required = true, paramLabel = "COL", description = "The outcome column.")
        String target;

        @Option(names = "--model", defaultValue = "auto", paramLabel = "NAME[,NAME...]",
                description = {"lr, mlp, gbt, rf (random forest), several of them (lr,gbt), or auto: lr, gbt and rf, each",
                        "tuned by --search, compared with each other and with their equal-weight ensembles; the first",
                        "named at its defaults (lr for auto) is kept unless another beats it by more than two standard",
                        "errors of the fold differences, then the best of those (default: ${DEFAULT-VALUE});",
                        "lstm or gru: a sequence model over a visit table (patient_id, visit, per-visit inputs,",
                        "target), as medmaas data cohort --sequences writes it."})
        String model;

        @Option(names = "--search", paramLabel = "BUDGET|off",
                description = {"Hyperparameter search inside cross-validation: trials=N settings per learner (its defaults",
                        "first, then random draws from the spaces in the search section of --config, or the built-in",
                        "ones), time=DURATION (90s, 5m: no new trial after it), both (trials=50,time=5m), or off.",
                        "The search is rerun inside each cross-validation fold, so the figure reported is not the",
                        "one it chose on (both are printed). Default: trials=" + 10 + " for auto and for several",
                        "models, off for one."})
        Optional<String> search;

        @Option(names = "--config", paramLabel = "FILE",
                description = {"Hyperparameters over the defaults, per learner (YAML or JSON), e.g.",
                        "  mlp: {hidden: [128, 64], dropout: 0.2}",
                        "  gbt: {rounds: 300, max_depth: 4}",
                        "Keys: lr penalty C balanced regularize_bias tolerance max_iterations multiclass (softmax or ovr);",
                        "mlp hidden dropout learning_rate weight_decay batch_size epochs patience validation_share balanced;",
                        "gbt rounds max_depth eta subsample colsample_bytree min_child_weight lambda",
                        "early_stopping_rounds validation_share balanced threads;",
                        "rf trees max_depth max_features sample_share min_child_weight balanced threads;",
                        "lstm/gru hidden layers dropout learning_rate weight_decay batch_size epochs patience",
                        "validation_share max_visits balanced.",
                        "A search section gives --search its spaces per learner (see examples/learners.yaml)."})
        Optional<Path> config;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the bundle (must not exist).")
        Path out;

        @Option(names = "--schema", paramLabel = "FILE", description = "Schema file: column types and allowed ranges.")
        Optional<Path> schema;

        @Option(names = "--columns", split = ",", paramLabel = "NAMES",
                description = "Column names for a file without a header row (e.g. the UCI heart-disease files).")
        List<String> columns = new java.util.ArrayList<>();

        @Option(names = "--subgroup", paramLabel = "COL[:EDGES]",
                description = {"Report out-of-fold metrics per group of this column in the bundle and on the model card",
                        "(repeatable): sex, or age:40,65 for the bands <40, 40–65, ≥65. Groups under "
                                + org.medmaas.diagnosis.Subgroups.MIN_REPORTED_ROWS + " rows are not reported."})
        List<String> subgroups = new java.util.ArrayList<>();

        @Option(names = "--folds", defaultValue = "10", paramLabel = "K", description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
        int folds;

        @Option(names = "--split", defaultValue = "stratified", paramLabel = "HOW",
                description = {"How cross-validation splits the rows (default: ${DEFAULT-VALUE}): stratified, random,",
                        "group:COLUMN (all rows of a patient in one fold, e.g. group:patient_id) or time:COLUMN",
                        "(train on the past, test on what follows; the first block is never held out)."})
        String split;

        @Option(names = "--input-tolerance", defaultValue = "1", paramLabel = "WIDTHS|off",
                description = {"How far beyond the training range a number is still scored (with a warning), in widths of",
                        "that range; further out, or negative where training never was, it is refused as implausible",
                        "(default: ${DEFAULT-VALUE}; off: never refused)."})
        String inputTolerance;

        @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--metric", defaultValue = "roc_auc", paramLabel = "NAME",
                description = "Selection metric for auto (default: ${DEFAULT-VALUE}).")
        String metric;

        @Option(names = "--calibration", defaultValue = "platt", paramLabel = "METHOD",
                description = "platt, isotonic or none (default: ${DEFAULT-VALUE}).")
        String calibration;

        @Option(names = "--threshold", defaultValue = "youden", paramLabel = "RULE",
                description = "youden, fixed:P, sensitivity:S or cost:R (default: ${DEFAULT-VALUE}).")
        String threshold;

        /** The cross-validated comparison of the candidates, the kept one marked (also used by quickstart). */
        static void printCandidates(PrintWriter stdout, DiagnosisTrainer.Outcome outcome) {
            stdout.printf(Locale.ROOT, "  %-6s %-15s %-15s %-15s %-15s %-15s%n", "model", "roc_auc", "pr_auc", "accuracy", "f1", "brier");
            for (TrainingRecipe.CandidateResult r : outcome.candidates()) {
                boolean binary = r.cv().mean().containsKey("pr_auc");
                stdout.printf(Locale.ROOT, "  %-6s %-15s %-15s %-15s %-15s %-15s%s%n", r.learner(), r.cv().summary("roc_auc"),
                        binary ? r.cv().summary("pr_auc") : "-", r.cv().summary("accuracy"),
                        binary ? r.cv().summary("f1") : r.cv().summary("f1_macro"), binary ? r.cv().summary("brier") : "-",
                        r.learner().equals(outcome.chosen()) || outcome.search().isPresent() ? "  ← kept" : "");
            }
            outcome.search().ifPresent(found -> printSearch(stdout, found, outcome.candidates().get(0).learner()));
        }

        /** What the final search on all rows tried and chose, beside the nested figure printed above it. */
        static void printSearch(PrintWriter stdout, ModelSearch.Outcome found, String nestedRow) {
            stdout.printf(Locale.ROOT, "%nSearch on all rows (%d-fold CV, %s; optimistic, as the choice was made on it):%n",
                    found.innerFolds(), found.metric());
            for (ModelSearch.LearnerResult r : found.learners()) {
                stdout.printf(Locale.ROOT, "  %-8s %.4f  best of %d trial%s%s%n", r.learner(), r.bestTrial().score(),
                        r.trials().size(), r.trials().size() == 1 ? "" : "s",
                        r.best() == 0 ? " (its defaults)" : " " + r.bestTrial().settings());
            }
            if (found.candidates().size() > 1) {
                List<ModelSearch.Candidate> ranked = new java.util.ArrayList<>(found.candidates());
                boolean lower = ModelSearch.lowerIsBetter(found.metric());
                ranked.sort(java.util.Comparator.comparingDouble(c -> lower ? c.score() : -c.score()));
                stdout.println("Candidates (ensembles: equal-weight averages of log-odds), best first:");
                int shown = 0;
                for (ModelSearch.Candidate c : ranked) {
                    boolean marked = c == found.chosen() || c == found.reference();
                    if (shown++ < 6 || marked) {
                        stdout.printf(Locale.ROOT, "  %.4f  %-28s%s%n", c.score(), c.name(),
                                (c == found.chosen() ? "  ← kept" : "") + (c == found.reference() ? "  (reference)" : ""));
                    }
                }
            }
            stdout.println("Choice: " + found.reason() + ".");
            stdout.printf(Locale.ROOT, "The %s row above is nested cross-validation: the whole search rerun in each training"
                    + " fold and scored on rows it never saw.%n", nestedRow);
        }

        private static CalibrationMethod calibrationMethod(String name) {
            try {
                return CalibrationMethod.valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw org.medmaas.core.error.MedmaasException.invalid("--calibration must be platt, isotonic or none, not '"
                        + name + "'.");
            }
        }

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            SchemaFile schemaFile = schema.map(SchemaFile::read).orElse(SchemaFile.empty());
            CsvOptions options = columns.isEmpty() ? CsvOptions.defaults() : CsvOptions.defaults().withColumnNames(columns);
            Table table = new CsvTableReader(options, schemaFile).read(data);
            List<String> candidates = model.equals("auto") ? Learners.AUTO
                    : java.util.Arrays.stream(model.split(",")).map(String::trim).distinct().toList();
            LearnerSettings settings = config.map(LearnerSettings::read).orElse(LearnerSettings.none());
            String budget = search.orElse(candidates.size() > 1 && !Learners.SEQUENCE_NAMES.contains(candidates.get(0))
                    ? "trials=" + ModelSearch.Budget.DEFAULT.trials() : "off");
            Optional<DiagnosisTrainingRequest.Search> searching = budget.equalsIgnoreCase("off") ? Optional.empty()
                    : Optional.of(new DiagnosisTrainingRequest.Search(ModelSearch.Budget.parse(budget),
                            config.map(SearchSpace::read).orElseGet(SearchSpace::defaults)));
            candidates.forEach(name -> {
                if (Learners.SEQUENCE_NAMES.contains(name)) {
                    Learners.sequenceTrainer(name, seed, settings);
                } else {
                    Learners.trainer(name, seed, settings);
                }
            });
            DiagnosisTrainingRequest request = new DiagnosisTrainingRequest(table, target, candidates, folds, seed,
                    calibrationMethod(calibration), ThresholdRule.parse(threshold), metric, schemaFile, settings,
                    subgroups.stream().map(org.medmaas.diagnosis.Subgroups.Spec::parse).toList(), split,
                    java.util.Optional.of(tolerance(inputTolerance)), searching);
            DiagnosisTrainer.Outcome outcome;
            try (me.tongfei.progressbar.ProgressBar bar = new me.tongfei.progressbar.ProgressBarBuilder()
                    .setTaskName("Training").setInitialMax(searching.isPresent()
                            ? (long) (folds + 1) * candidates.size() * searching.get().budget().trials()
                            : (long) candidates.size() * folds)
                    .setStyle(me.tongfei.progressbar.ProgressBarStyle.ASCII).setUnit(searching.isPresent() ? " trials" : " folds", 1)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build()) {
                outcome = new DiagnosisTrainer().train(request, out, new DiagnosisTrainer.Progress() {
                    @Override
                    public void stage(String message) {
                        bar.setExtraMessage(message);
                    }

                    @Override
                    public void foldDone() {
                        if (searching.isEmpty()) {
                            bar.step();
                        }
                    }

                    @Override
                    public void trialDone() {
                        bar.step(); // a search's trials, in each outer fold and once more on all rows
                    }
                });
            }
            if (!outcome.droppedColumns().isEmpty()) {
                stdout.println("Left out (identifier, free text, date or empty): " + String.join(", ", outcome.droppedColumns()));
            }
            Object patients = outcome.manifest().provenance().trainingData().get("patients");
            stdout.printf(Locale.ROOT, "%n%d-fold cross-validation on %s (mean ± sd):%n", folds, patients != null
                    ? patients + " patients' visit sequences (" + table.rowCount() + " visits)" : table.rowCount() + " rows");
            printCandidates(stdout, outcome);
            if (!Double.isNaN(outcome.eceBefore())) {
                stdout.printf(Locale.ROOT, "%nCalibration (out-of-fold, 10 bins): ECE %.3f before", outcome.eceBefore());
                if (!Double.isNaN(outcome.eceAfter())) {
                    stdout.printf(Locale.ROOT, ", %.3f after %s (cross-fitted)", outcome.eceAfter(), calibration);
                }
                stdout.printf(Locale.ROOT, "%nDecision threshold: %.3f (%s)%n", outcome.threshold(), threshold);
            }
            outcome.section().subgroupMetrics().forEach((grouping, groups) -> {
                stdout.printf(Locale.ROOT, "%nBy %s (out-of-fold, at the threshold):%n", grouping);
                groups.forEach((group, m) -> stdout.printf(Locale.ROOT, "  %-16s %s%n", group, ModelsCommand.subgroupLine(m)));
            });
            stdout.println("\nModel bundle written to " + outcome.bundle());
            stdout.println("Next: ./medmaas predict " + outcome.bundle() + " --data " + data);
            return 0;
        }
    }

    /** The --input-tolerance value: a number of training ranges, or off (stored as -1: never refuse). */
    static double tolerance(String text) {
        if (text.equalsIgnoreCase("off")) {
            return -1;
        }
        try {
            double widths = Double.parseDouble(text);
            if (widths >= 0 && Double.isFinite(widths)) {
                return widths;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw org.medmaas.core.error.MedmaasException.invalid("--input-tolerance must be 0 or more training ranges (e.g. 1),"
                + " or 'off'.");
    }
}
