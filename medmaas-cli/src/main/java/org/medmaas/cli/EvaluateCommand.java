package org.medmaas.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.medmaas.core.table.Table;
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
        DiagnosisModel model = DiagnosisModel.load(bundle);
        Table table = PredictCommand.read(model.inputs(), data, columns).table();
        Map<String, Double> metrics = model.evaluate(table);
        var out = spec.commandLine().getOut();
        String units = table.rowCount() + " rows";
        if (model.readsSequences()) {
            long patients = java.util.stream.IntStream.range(0, table.rowCount())
                    .mapToObj(i -> table.column("patient_id").format(i)).distinct().count();
            units = patients + " patients (" + table.rowCount() + " visits)";
        }
        out.printf(Locale.ROOT, "%s on %s (model %s, threshold %.3f):%n", model.section().target(), units,
                model.learner(), model.section().threshold());
        metrics.forEach((k, v) -> out.printf(Locale.ROOT, "  %-18s %.4f%n", k, v));
        if (by.isPresent()) {
            Map<String, Map<String, Double>> groups = model.evaluateBySubgroup(table, by.get(), bands);
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
