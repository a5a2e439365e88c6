package org.medmaas.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Table;
import org.medmaas.diagnosis.DiagnosisModel;
import org.medmaas.diagnosis.DiagnosisPrediction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medmaas explain MODEL --data FILE [--rows N,M]}. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain a model: feature importance and per-row contributions.", "",
                "Global feature importance (mean |contribution| over the rows given) and,",
                "for chosen rows, every feature's contribution to the log-odds (exact for lr, TreeSHAP for gbt,",
                "Kernel SHAP for mlp and imported ONNX models)."})
final class ExplainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model bundle directory.")
    Path bundle;

    @Option(names = "--columns", split = ",", paramLabel = "NAMES", description = "Column names for a CSV file without a header row.")
    java.util.List<String> columns = new java.util.ArrayList<>();

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Rows (CSV).")
    String data;

    @Option(names = "--rows", split = ",", paramLabel = "N", description = "Rows (1-based) to explain one by one (default: 1).")
    List<Integer> rows = new ArrayList<>(List.of(1));

    @Override
    public Integer call() throws java.io.IOException {
        DiagnosisModel model = DiagnosisModel.load(bundle);
        Table table = PredictCommand.read(model.inputs(), data, columns).table();
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Global importance over %d rows (mean |contribution| to the log-odds of %s):%n",
                table.rowCount(), model.section().classes().get(1));
        for (DiagnosisPrediction.FeatureContribution f : model.globalImportance(table)) {
            out.printf(Locale.ROOT, "  %-30s %.4f  %s%n", f.feature(), f.contribution(),
                    "#".repeat((int) Math.min(40, Math.round(f.contribution() * 20))));
        }
        int all = model.section().features().size();
        for (int row : rows) {
            if (row < 1 || row > table.rowCount()) {
                throw MedmaasException.invalid("--rows: row " + row + " is outside 1.." + table.rowCount() + ".");
            }
            DiagnosisPrediction p = model.predict(table.take(new int[] {row - 1}), all).get(0);
            DiagnosisPrediction.Explanation e = p.explanation().orElseThrow();
            out.printf(Locale.ROOT, "%nRow %d: %s, probabilities %s%n  baseline (log-odds) %+.4f%n", row, p.label(),
                    p.probabilities(), e.baseline());
            for (DiagnosisPrediction.FeatureContribution f : e.topFeatures()) {
                out.printf(Locale.ROOT, "  %-30s %+.4f%n", f.feature(), f.contribution());
            }
        }
        return 0;
    }
}
