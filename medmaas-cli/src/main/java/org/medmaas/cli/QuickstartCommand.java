package org.medmaas.cli;

import org.medmaas.ml.calibration.ThresholdRule;

import org.medmaas.ml.calibration.CalibrationMethod;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.ModelVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medmaas quickstart}: the main job, end to end on synthetic data. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"The tour on synthetic patients: cohort, features, profile, model, explanations.", "",
                "Generate (or reuse) a seeded Synthea cohort, build a",
                "feature table with a built-in cohort spec, profile it against the outcome, cross-validate",
                "logistic regression, an MLP and gradient-boosted trees, keep and calibrate the best, save its",
                "bundle, and explain a few predictions. Then register the model, create an API key, start the",
                "server on localhost and print curl commands to try (Ctrl-C stops it; --no-serve skips it)."})
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

    @CommandLine.Mixin
    RegistryOption registry;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port to serve the model on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--no-serve", description = "Register the model and create a key, but do not start the server.")
    boolean noServe;

    @Option(names = "--stop-after", hidden = true, paramLabel = "SECONDS")
    Integer stopAfterSeconds;

    @Override
    public Integer call() throws InterruptedException {
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
        if (model.isPresent()) {
            out.println();
            out.println("== 5. Serve");
            serve(model.get(), cohort, out);
        }
        return 0;
    }

    /**
     * Registers the bundle (unless the registry's latest version already is it), points
     * {@code champion} at it, replaces the quickstart's API key, starts the server and prints
     * commands to try. The example record is made from the model's input ranges, not a patient.
     */
    private void serve(Path bundle, CohortSpec cohort, PrintWriter out) throws InterruptedException {
        String name = cohort.target().name().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        ModelRegistry r = registry.open();
        try {
            org.medmaas.core.bundle.BundleManifest manifest = org.medmaas.core.bundle.ModelBundle.read(bundle).manifest();
            java.util.List<org.medmaas.core.serving.InputField> inputs = manifest.section(
                    org.medmaas.diagnosis.DiagnosisSection.class).inputs();
            java.util.List<ModelVersion> versions = r.versions(name);
            ModelVersion version = !versions.isEmpty() && org.medmaas.core.bundle.ModelBundle.read(
                    r.bundle(versions.get(versions.size() - 1))).manifest().equals(manifest)
                    ? versions.get(versions.size() - 1) : r.register(name, bundle, RegistryOption.actor());
            r.setAlias(name, "champion", version.version(), RegistryOption.actor());
            out.printf(java.util.Locale.ROOT, "Registered '%s' v%d (%s) in %s; champion → v%d.%n", name, version.version(),
                    version.learner(), registry.home, version.version());
            for (org.medmaas.registry.ApiKey k : r.apiKeys().list()) {
                if (k.owner().equals("quickstart") && k.activeAt(java.time.Instant.now())) {
                    r.apiKeys().revoke(k.id(), RegistryOption.actor());
                }
            }
            String token = r.apiKeys().create("quickstart", org.medmaas.registry.Role.PREDICTOR, name, Optional.empty(),
                    RegistryOption.actor()).token();
            out.println("API key (predictor, model " + name + "; shown once): " + token);
            org.medmaas.server.MedmaasServer server = null;
            String base = "http://127.0.0.1:" + port;
            if (!noServe) {
                server = new org.medmaas.server.MedmaasServer(r, org.medmaas.server.ServerSettings.defaults().withPort(port),
                        registry.home).start();
                base = server.baseUrl();
            }
            Map<String, Object> record = exampleRecord(inputs);
            String json = new String(org.medmaas.core.json.Json.bytes(Map.of("record", record, "explain", 3)),
                    java.nio.charset.StandardCharsets.UTF_8);
            out.println();
            out.println("Try (in another terminal):");
            out.println("  export MEDMAAS_KEY=" + token);
            out.println("  curl -s " + base + "/v2/health/ready");
            out.println("  curl -s -H \"Authorization: Bearer $MEDMAAS_KEY\" -H 'Content-Type: application/json' \\");
            out.println("       -d '" + json + "' \\");
            out.println("       " + base + "/api/v1/diagnosis/" + name + "/predict");
            out.println("  curl -s -H \"Authorization: Bearer $MEDMAAS_KEY\" -H 'Content-Type: application/json' \\");
            out.println("       -d '" + protocolRequest(inputs, record) + "' \\");
            out.println("       " + base + "/v2/models/" + name + "/infer");
            out.println("  curl -s -H \"Authorization: Bearer $MEDMAAS_KEY\" " + base + "/v2/models/" + name);
            out.println("  ./medmaas audit verify        # every call above is in the hash-chained audit log");
            if (server == null) {
                out.println("Start the server with: ./medmaas serve --port " + port);
                r.close();
                return;
            }
            ServeCommand.serveUntilStopped(server, r, out, registry.home, stopAfterSeconds);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** A plausible record: the middle of each numeric input's training range, the first category, false, a date. */
    static Map<String, Object> exampleRecord(java.util.List<org.medmaas.core.serving.InputField> inputs) {
        Map<String, Object> record = new java.util.LinkedHashMap<>();
        for (org.medmaas.core.serving.InputField f : inputs) {
            switch (org.medmaas.core.table.ColumnType.fromLabel(f.type())) {
                case NUMERIC -> record.put(f.name(), Math.round((f.observedMin().orElse(0.0) + f.observedMax().orElse(0.0)) / 2 * 10) / 10.0);
                case BOOLEAN -> record.put(f.name(), false);
                case CATEGORICAL -> record.put(f.name(), f.levels().isEmpty() ? null : f.levels().get(0));
                default -> record.put(f.name(), "2020-01-01");
            }
        }
        return record;
    }

    /** The same record as Open Inference Protocol tensors (one per input, batch of one). */
    static String protocolRequest(java.util.List<org.medmaas.core.serving.InputField> inputs, Map<String, Object> record) {
        Map<String, Object> request = org.medmaas.server.protocol.ProtocolTensors.inferRequest(inputs, record);
        return new String(org.medmaas.core.json.Json.bytes(request), java.nio.charset.StandardCharsets.UTF_8);
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
                    cohortResult.table(), cohort.target().name(), java.util.List.of("lr", "mlp", "gbt"), folds, seed,
                    org.medmaas.ml.calibration.CalibrationMethod.PLATT,
                    org.medmaas.ml.calibration.ThresholdRule.parse("youden"), "roc_auc",
                    org.medmaas.data.csv.SchemaFile.empty(), org.medmaas.ml.LearnerSettings.none(),
                    java.util.stream.Stream.of("sex", "age:40,65").map(org.medmaas.diagnosis.Subgroups.Spec::parse)
                            .filter(g -> cohortResult.table().has(g.column())).toList());
            org.medmaas.diagnosis.DiagnosisTrainer.Outcome outcome = new org.medmaas.diagnosis.DiagnosisTrainer()
                    .train(request, model, message -> spec.commandLine().getErr().println(message + "…"));
            out.printf(java.util.Locale.ROOT, "%d-fold cross-validation (mean ± sd):%n", folds);
            TrainCommand.Diagnosis.printCandidates(out, outcome);
            out.printf(java.util.Locale.ROOT, "Calibration: ECE %.3f before, %.3f after Platt scaling; threshold %.3f (Youden)%n",
                    outcome.eceBefore(), outcome.eceAfter(), outcome.threshold());
            outcome.section().subgroupMetrics().forEach((grouping, groups) -> out.printf(java.util.Locale.ROOT,
                    "ROC AUC by %s (out-of-fold): %s%n", grouping, groups.entrySet().stream()
                            .map(g -> g.getKey() + " " + (g.getValue().containsKey("suppressed") ? "(too few to report)"
                                    : ModelsCommand.metric(g.getValue(), "roc_auc") + " (" + g.getValue().get("rows").intValue()
                                            + ")")).collect(java.util.stream.Collectors.joining(", "))));
            out.println("Model bundle: " + model);
        }
        org.medmaas.diagnosis.DiagnosisModel loaded = org.medmaas.diagnosis.DiagnosisModel.load(model);
        Table sample = cohortResult.table().head(3);
        out.println("Predictions for the first three patients (their rows in the table; identifiers are not shown):");
        for (org.medmaas.diagnosis.DiagnosisPrediction p : loaded.predict(sample, 3)) {
            String positive = loaded.section().classes().get(loaded.section().classes().size() - 1);
            out.printf(java.util.Locale.ROOT, "  row %d: P(%s) = %.2f → %s; drivers: %s%n", p.row(), positive,
                    p.probabilities().get(positive), p.label(), p.explanation().map(e -> e.topFeatures().stream()
                            .map(f -> String.format(java.util.Locale.ROOT, "%s %+.2f", f.feature(), f.contribution()))
                            .collect(java.util.stream.Collectors.joining(", "))).orElse("-"));
        }
        return Optional.of(model);
    }
}
