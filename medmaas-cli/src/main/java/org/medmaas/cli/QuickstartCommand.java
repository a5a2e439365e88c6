package org.medmaas.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.medmaas.core.table.Table;
import org.medmaas.data.clinical.SyntheaRecords;
import org.medmaas.data.cohort.CohortBuilder;
import org.medmaas.data.cohort.CohortSpec;
import org.medmaas.data.profile.DataProfile;
import org.medmaas.data.profile.DataProfiler;
import org.medmaas.data.profile.ProfileRenderer;
import org.medmaas.data.synthea.SyntheaGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medmaas quickstart}: the main job, end to end on synthetic data. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"The tour on synthetic patients: cohort, features, profile, model, explanations.", "",
                "Generate (or reuse) a seeded Synthea cohort, build a",
                "feature table with a built-in cohort spec, profile it against the outcome, cross-validate",
                "logistic regression and gradient-boosted trees, keep and calibrate the best, save its bundle,",
                "and explain a few predictions."})
final class QuickstartCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--patients", defaultValue = "200", paramLabel = "N",
            description = "Living patients to generate (default: ${DEFAULT-VALUE}).")
    int patients;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--spec", defaultValue = "hypertension-diagnosis", paramLabel = "FILE|NAME",
            description = "Cohort spec (default: ${DEFAULT-VALUE}; see medmaas data specs).")
    String specName;

    @Option(names = "--dir", defaultValue = ".medmaas/quickstart", paramLabel = "DIR",
            description = "Where cohorts are cached and results written (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CohortSpec cohort = CohortSpec.resolve(specName);
        Path synthea = dir.resolve("synthea-" + patients + "-seed-" + seed);
        out.println("== 1. Synthetic patients");
        if (Files.isDirectory(synthea.resolve("csv"))) {
            out.println("Reusing the cohort generated earlier in " + synthea + " (delete it to regenerate).");
        } else {
            SyntheaCommand.generate(new SyntheaGenerator.Request(patients, seed, synthea, false), out);
        }
        out.println();
        out.println("== 2. Feature table: " + cohort.description().orElse(cohort.name()));
        Path table = dir.resolve(cohort.name() + "-" + patients + "-seed-" + seed + ".csv");
        CohortBuilder.Result result = CohortCommand.build(SyntheaRecords.read(synthea), cohort, table, out);
        out.println();
        out.println("== 3. Profile");
        DataProfile profile = new DataProfiler().profile(result.table(), Optional.of(cohort.target().name()),
                table.toString());
        out.print(new ProfileRenderer().toText(profile));
        out.println();
        out.println("== 4. Diagnosis model");
        Optional<Path> model = trainModel(result, cohort, table, out);
        out.println();
        out.println("Try next:");
        model.ifPresent(m -> {
            out.println("  ./medmaas predict " + m + " --data " + table + "        # every patient, with explanations");
            out.println("  ./medmaas evaluate " + m + " --data " + table);
        });
        out.println("  ./medmaas data profile " + table + " --target " + cohort.target().name() + " --json profile.json");
        out.println("  ./medmaas data specs type2-diabetes > my-spec.yaml   # edit, then:");
        out.println("  ./medmaas data cohort --source synthea " + synthea + " --spec my-spec.yaml --out my-cohort.csv");
        out.println("  ./medmaas data cohort --source mimic ../shared/datasets/mimic-iii-demo --spec mimic-acute-kidney-injury --out aki.csv");
        out.println("  ./medmaas data profile ../shared/datasets/pima-indians-diabetes/PimaIndiansDiabetes2.csv --target diabetes");
        return 0;
    }

    /**
     * Cross-validates LR, MLP and GBT on the feature table, keeps the best, and shows predictions with
     * explanations for a few patients. Small cohorts may have too few cases: then it says so.
     */
    private Optional<Path> trainModel(CohortBuilder.Result cohortResult, CohortSpec cohort, Path table, PrintWriter out) {
        int positives = cohortResult.summary().positives();
        int negatives = cohortResult.summary().included() - positives;
        int folds = Math.min(5, Math.min(positives, negatives));
        if (folds < 2) {
            out.println("Only " + positives + " of " + cohortResult.summary().included() + " patients develop "
                    + cohort.target().name() + ": too few to train on. Try --patients 500.");
            return Optional.empty();
        }
        Path model = dir.resolve("model-" + cohort.name() + "-" + patients + "-seed-" + seed);
        if (Files.exists(model)) {
            out.println("Reusing the model trained earlier in " + model + " (delete it to retrain).");
        } else {
            org.medmaas.diagnosis.DiagnosisTrainingRequest request = new org.medmaas.diagnosis.DiagnosisTrainingRequest(
                    cohortResult.table(), cohort.target().name(), org.medmaas.ml.Learners.NAMES, folds, seed,
                    org.medmaas.diagnosis.DiagnosisTrainingRequest.Calibration.PLATT,
                    org.medmaas.diagnosis.ThresholdRule.parse("youden"), "roc_auc",
                    org.medmaas.data.csv.SchemaFile.empty());
            org.medmaas.diagnosis.DiagnosisTrainer.Outcome outcome = new org.medmaas.diagnosis.DiagnosisTrainer()
                    .train(request, model, message -> spec.commandLine().getErr().println(message + "…"));
            out.printf(java.util.Locale.ROOT, "%d-fold cross-validation (mean ± sd):%n", folds);
            TrainCommand.Diagnosis.printCandidates(out, outcome);
            out.printf(java.util.Locale.ROOT, "Calibration: ECE %.3f before, %.3f after Platt scaling; threshold %.3f (Youden)%n",
                    outcome.eceBefore(), outcome.eceAfter(), outcome.threshold());
            out.println("Model bundle: " + model);
        }
        org.medmaas.diagnosis.DiagnosisModel loaded = org.medmaas.diagnosis.DiagnosisModel.load(model);
        Table sample = cohortResult.table().head(3);
        out.println("Predictions for the first three patients (their rows in the table; identifiers are not shown):");
        for (org.medmaas.diagnosis.DiagnosisPrediction p : loaded.predict(sample, 3)) {
            String positive = loaded.manifest().classes().get(loaded.manifest().classes().size() - 1);
            out.printf(java.util.Locale.ROOT, "  row %d: P(%s) = %.2f → %s; drivers: %s%n", p.row(), positive,
                    p.probabilities().get(positive), p.label(), p.explanation().map(e -> e.topFeatures().stream()
                            .map(f -> String.format(java.util.Locale.ROOT, "%s %+.2f", f.feature(), f.contribution()))
                            .collect(java.util.stream.Collectors.joining(", "))).orElse("-"));
        }
        return Optional.of(model);
    }
}
