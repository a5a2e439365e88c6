package org.medmaas.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.medmaas.core.table.Table;
import org.medmaas.core.serving.ServedModel;
import org.medmaas.diagnosis.DiagnosisModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medmaas evaluate MODEL --data FILE}. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a model bundle on labeled data, overall and per subgroup, and show how the data",
                "differs from the model's training data.", "",
                "Metrics on labeled data (the target column present), at the stored threshold;",
                "with --by, per subgroup too (unequal performance across sex or age bands shows here).",
                "Then the shift per input against the training summaries kept in the bundle: PSI, a KS",
                "(numbers) or chi-square (categories) test, missingness against training's and the share",
                "outside the training range, most moved first, with warnings (e.g. inputs mostly imputed)."})
final class EvaluateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model bundle directory.")
    Path bundle;

    @Option(names = "--columns", split = ",", paramLabel = "NAMES", description = "Column names for a CSV file without a header row.")
    java.util.List<String> columns = new java.util.ArrayList<>();

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labeled data (CSV).")
    String data;

    @Option(names = "--by", paramLabel = "COL", description = "Also report metrics per subgroup of this column (e.g. sex).")
    java.util.Optional<String> by;

    @Option(names = "--bands", split = ",", paramLabel = "EDGES",
            description = "Band edges for a numeric --by column, e.g. 40,65 for <40, 40–65, ≥65.")
    java.util.List<Double> bands = new java.util.ArrayList<>();

    @Option(names = "--shift", defaultValue = "10", paramLabel = "N",
            description = "Show the N inputs that moved most from the training data (0: no shift report; default: ${DEFAULT-VALUE}).")
    int shift;

    @Override
    public Integer call() throws java.io.IOException {
        // Any service's model, through the serving port; subgroups are a diagnosis report for now.
        ServedModel model = CliServices.load(bundle);
        if (by.isPresent() && !(model instanceof DiagnosisModel)) {
            throw org.medmaas.core.error.MedmaasException.invalid("--by is available for diagnosis models; this is a "
                    + model.task() + " model.");
        }
        Table table = PredictCommand.read(model.inputs(), data, columns).table();
        Map<String, Double> metrics = model.evaluate(table);
        var out = spec.commandLine().getOut();
        String units = table.rowCount() + " rows";
        if (!model.flatRows() && table.has("patient_id")) {
            long patients = java.util.stream.IntStream.range(0, table.rowCount())
                    .mapToObj(i -> table.column("patient_id").format(i)).distinct().count();
            units = patients + " patients (" + table.rowCount() + " visits)";
        }
        String target = model.manifest().section().path("target").asText(model.task());
        Object threshold = model.parameters().get("threshold");
        out.printf(Locale.ROOT, "%s on %s (model %s%s):%n", target, units, model.manifest().provenance().learner(),
                threshold instanceof Double t ? String.format(Locale.ROOT, ", threshold %.3f", t) : "");
        metrics.forEach((k, v) -> out.printf(Locale.ROOT, "  %-18s %.4f%n", k, v));
        if (by.isPresent() && model instanceof DiagnosisModel diagnosis) {
            Map<String, Map<String, Double>> groups = diagnosis.evaluateBySubgroup(table, by.get(), bands);
            java.util.List<String> shown = java.util.List.of("rows", "roc_auc", "accuracy", "recall", "specificity",
                    "precision", "brier");
            out.printf(Locale.ROOT, "%nBy %s:%n  %-14s", by.get(), "group");
            shown.forEach(m -> out.printf(Locale.ROOT, " %11s", m));
            out.println();
            groups.forEach((group, m) -> {
                out.printf(Locale.ROOT, "  %-14s", group.length() > 14 ? group.substring(0, 13) + "…" : group);
                if (m.containsKey("suppressed")) {
                    out.printf(Locale.ROOT, " fewer than %d rows: not reported%n", org.medmaas.diagnosis.Subgroups.MIN_REPORTED_ROWS);
                    return;
                }
                shown.forEach(name -> {
                    Double v = m.get(name);
                    out.printf(Locale.ROOT, " %11s", v == null || v.isNaN() ? "n/a"
                            : name.equals("rows") ? String.valueOf(v.intValue()) : String.format(Locale.ROOT, "%.3f", v));
                });
                out.println();
            });
        }
        if (shift > 0) {
            printShift(out, org.medmaas.data.shift.ShiftMonitor.compare(model.inputs(), table), shift);
        }
        return 0;
    }

    /** The shift report: the {@code top} inputs that moved most, then the warnings. */
    static void printShift(java.io.PrintWriter out, org.medmaas.data.shift.ShiftReport report, int top) {
        out.printf(Locale.ROOT, "%nShift from the training data (PSI under %.2f stable, to %.2f moderate, above major):%n",
                org.medmaas.data.shift.InputShift.MODERATE, org.medmaas.data.shift.InputShift.MAJOR);
        if (report.inputs().isEmpty()) {
            out.println("  The bundle keeps no training summaries (an older or imported model): nothing to compare.");
            return;
        }
        out.printf(Locale.ROOT, "  %-18s %7s  %-8s %-10s %7s %8s  %-19s %s%n", "input", "psi", "band", "test", "stat",
                "p", "missing train→here", "outside training");
        int shown = 0;
        for (org.medmaas.data.shift.InputShift s : report.inputs()) {
            if (shown++ == top) {
                out.printf(Locale.ROOT, "  … %d more input(s), less moved%n", report.inputs().size() - top);
                break;
            }
            out.printf(Locale.ROOT, "  %-18s %7s  %-8s %-10s %7s %8s  %-19s %5.1f%%%n",
                    s.input().length() > 18 ? s.input().substring(0, 17) + "…" : s.input(), number(s.psi(), "%.3f"), s.band(),
                    s.test(), number(s.statistic(), "%.3f"), Double.isNaN(s.pValue()) ? "n/a"
                            : s.pValue() < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", s.pValue()),
                    String.format(Locale.ROOT, "%3.0f%% → %3.0f%%", 100 * s.trainingMissing(), 100 * s.missing()),
                    100 * s.outOfRange());
        }
        if (!report.unsummarized().isEmpty()) {
            out.println("  No training summary (not compared): " + String.join(", ", report.unsummarized()));
        }
        out.printf(Locale.ROOT, "  Missing (imputed) input values: %.1f%% of all%n", 100 * report.imputedShare());
        report.warnings().forEach(w -> out.println("Warning: " + w));
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, format, v);
    }
}
