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
        description = {"Evaluate a model bundle on labeled data, overall and per subgroup.", "",
                "Metrics on labeled data (the target column present), at the stored threshold;",
                "with --by, per subgroup too (unequal performance across sex or age bands shows here)."})
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
        return 0;
    }
}
