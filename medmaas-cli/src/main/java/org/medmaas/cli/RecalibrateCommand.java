package org.medmaas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.io.Trees;
import org.medmaas.core.serving.InputField;
import org.medmaas.core.table.Table;
import org.medmaas.data.shift.ShiftMonitor;
import org.medmaas.data.shift.ShiftReport;
import org.medmaas.diagnosis.DiagnosisSection;
import org.medmaas.diagnosis.DiagnosisService;
import org.medmaas.diagnosis.Recalibration;
import org.medmaas.ml.calibration.CalibrationMethod;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.ModelVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medmaas recalibrate MODEL --data FILE}. */
@Command(name = "recalibrate", mixinStandardHelpOptions = true,
        description = {"Recalibrate a diagnosis model on a new site's labeled data, as a new registered version.", "",
                "The model and its inputs stay as trained; a calibrator (Platt or isotonic) is fitted on the site's",
                "labels over the model's own probabilities, and the decision threshold is chosen again by the rule",
                "the model was trained with. Prints calibration before and after (the after figures cross-fitted:",
                "no row is calibrated by a calibrator fitted on it) and the shift of the site's data from training.",
                "",
                "MODEL is a registered model (NAME, NAME@VERSION or NAME@ALIAS): the result is registered as NAME's",
                "next version. Or a bundle directory, with --out DIR: the result is written there, not registered."})
final class RecalibrateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RegistryOption registry;

    @Parameters(index = "0", paramLabel = "MODEL", description = "NAME[@VERSION|@ALIAS] in the registry, or a bundle directory.")
    String model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The site's labeled data (CSV with the target column).")
    String data;

    @Option(names = "--columns", split = ",", paramLabel = "NAMES", description = "Column names for a CSV file without a header row.")
    List<String> columns = new ArrayList<>();

    @Option(names = "--method", defaultValue = "platt", paramLabel = "METHOD",
            description = "platt (a logistic curve, steady on a few hundred rows) or isotonic (any monotone shape,"
                    + " wants more rows) (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the bundle when MODEL is a bundle directory.")
    Optional<Path> out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the cross-fitting folds (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        CalibrationMethod m = switch (method.trim().toLowerCase(Locale.ROOT)) {
            case "platt" -> CalibrationMethod.PLATT;
            case "isotonic" -> CalibrationMethod.ISOTONIC;
            default -> throw MedmaasException.invalid("--method must be platt or isotonic, not '" + method + "'.");
        };
        PrintWriter stdout = spec.commandLine().getOut();
        Path asDirectory = Path.of(model);
        if (Files.isDirectory(asDirectory)) {
            Path target = out.orElseThrow(() -> MedmaasException.invalid("MODEL is a bundle directory: say where the"
                    + " recalibrated bundle goes with --out DIR (or name a registered model to register it)."));
            ModelBundle bundle = ModelBundle.read(asDirectory);
            List<InputField> inputs = inputs(bundle);
            Table table = PredictCommand.read(inputs, data, columns).table();
            Recalibration.Outcome outcome = Recalibration.recalibrate(bundle, asDirectory.toString(), table, m, seed, target);
            print(stdout, outcome, asDirectory.toString(), ShiftMonitor.compare(inputs, table));
            stdout.println("\nRecalibrated bundle written to " + target);
            return 0;
        }
        if (out.isPresent()) {
            throw MedmaasException.invalid("--out is for a bundle directory; a registered model's recalibration is"
                    + " registered as its next version.");
        }
        String name = model.contains("@") ? model.substring(0, model.indexOf('@')) : model;
        String reference = model.contains("@") ? model.substring(model.indexOf('@') + 1) : "latest";
        try (ModelRegistry r = registry.open()) {
            ModelVersion from = r.resolve(name, reference);
            ModelBundle bundle = ModelBundle.read(r.bundle(from));
            String source = name + "@" + from.version();
            Files.createDirectories(registry.home);
            Path scratch = Files.createTempDirectory(registry.home, ".recalibrate-");
            try {
                List<InputField> inputs = inputs(bundle);
                Table table = PredictCommand.read(inputs, data, columns).table();
                Recalibration.Outcome outcome = Recalibration.recalibrate(bundle, source, table, m, seed,
                        scratch.resolve("bundle"));
                ShiftReport shift = ShiftMonitor.compare(inputs, table); // all computed before anything is registered
                ModelVersion v = r.register(name, scratch.resolve("bundle"), RegistryOption.actor());
                print(stdout, outcome, source, shift);
                stdout.printf(Locale.ROOT, "%nRegistered %s v%d (recalibrated from v%d).%n", name, v.version(), from.version());
                stdout.printf(Locale.ROOT, "Next: ./medmaas models alias %s champion %d%n", name, v.version());
            } finally {
                Trees.deleteQuietly(scratch);
            }
        }
        return 0;
    }

    /** The model's inputs, from its manifest (the model itself is loaded once, by the recalibration). */
    private static List<InputField> inputs(ModelBundle bundle) {
        if (!DiagnosisService.TASK.equals(bundle.manifest().task())) {
            throw MedmaasException.invalid("Recalibration applies to diagnosis models; this is a " + bundle.manifest().task()
                    + " model.");
        }
        return bundle.manifest().section(DiagnosisSection.class).inputs();
    }

    private static void print(PrintWriter out, Recalibration.Outcome o, String source, ShiftReport shift) {
        out.printf(Locale.ROOT, "Recalibration of %s on %d rows (%s, fitted on this site's labels):%n", source, o.rows(),
                o.method());
        out.printf(Locale.ROOT, "  %-16s %8s %8s%n", "", "before", "after");
        out.printf(Locale.ROOT, "  %-16s %8.3f %8.3f%n", "ECE (10 bins)", o.before().ece(), o.after().ece());
        out.printf(Locale.ROOT, "  %-16s %8.3f %8.3f%n", "Brier", o.before().brier(), o.after().brier());
        out.printf(Locale.ROOT, "  %-16s %8.3f %8.3f%n", "log loss", o.before().logLoss(), o.after().logLoss());
        out.printf(Locale.ROOT, "  %-16s %8.3f %8.3f   (observed rate %.3f)%n", "mean predicted", o.before().meanPredicted(),
                o.after().meanPredicted(), o.after().observedRate());
        out.println("  (after: cross-fitted, each row calibrated by a calibrator fitted without it)");
        out.printf(Locale.ROOT, "Decision threshold (%s): %.3f → %.3f%n", o.thresholdRule(), o.thresholdBefore(),
                o.thresholdAfter());
        EvaluateCommand.printShift(out, shift, 5);
    }
}
