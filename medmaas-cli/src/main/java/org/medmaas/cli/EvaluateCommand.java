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
        description = "Evaluate a model bundle on labeled data (the target column present), at its stored threshold.")
final class EvaluateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model bundle directory.")
    Path bundle;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labeled data (CSV).")
    String data;

    @Override
    public Integer call() throws java.io.IOException {
        DiagnosisModel model = DiagnosisModel.load(bundle);
        Table table = PredictCommand.read(model, data);
        Map<String, Double> metrics = model.evaluate(table);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s on %d rows (model %s, threshold %.3f):%n", model.manifest().target(), table.rowCount(),
                model.manifest().learner(), model.manifest().threshold());
        metrics.forEach((k, v) -> out.printf(Locale.ROOT, "  %-18s %.4f%n", k, v));
        return 0;
    }
}
