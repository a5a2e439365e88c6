package org.medmaas.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.diagnosis.OnnxImport;
import org.medmaas.core.bundle.BundleManifest;
import org.medmaas.diagnosis.DiagnosisSection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medmaas import onnx FILE --schema FILE --classes A,B --target NAME --out DIR}. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Bring a model trained elsewhere into a bundle.",
        subcommands = {ImportCommand.Onnx.class})
final class ImportCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "onnx", mixinStandardHelpOptions = true,
            description = {"Wrap an ONNX classifier (one float input [N, features]; class probabilities [N, classes] as",
                    "its first output) into a diagnosis bundle: inputs are validated against the schema, and it is",
                    "predicted and evaluated like a trained model."})
    static final class Onnx implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The .onnx model.")
        Path file;

        @Option(names = "--schema", required = true, paramLabel = "FILE",
                description = "YAML/JSON schema naming the numeric inputs in tensor order (with optional min/max).")
        Path schema;

        @Option(names = "--classes", required = true, split = ",", paramLabel = "LABELS",
                description = "Class labels in the model's output order, e.g. neg,pos.")
        List<String> classes;

        @Option(names = "--target", defaultValue = "outcome", paramLabel = "NAME", description = "The outcome's name (default: ${DEFAULT-VALUE}).")
        String target;

        @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "P",
                description = "Decision threshold for binary models (default: ${DEFAULT-VALUE}).")
        double threshold;

        @Option(names = "--background", paramLabel = "FILE",
                description = {"CSV of representative rows (at least 10, e.g. a training sample) with the schema's",
                        "columns: binary models then explain predictions with Kernel SHAP. Only cluster means of",
                        "at least 10 rows each are stored in the bundle, never a row."})
        Optional<Path> background;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the bundle (must not exist).")
        Path out;

        @Override
        public Integer call() {
            SchemaFile schemaFile = SchemaFile.read(schema);
            Optional<org.medmaas.core.table.Table> rows = background.map(path ->
                    new org.medmaas.data.csv.CsvTableReader(org.medmaas.data.csv.CsvOptions.defaults(), schemaFile).read(path));
            BundleManifest m = OnnxImport.importModel(file, schemaFile, target, classes, threshold, rows, out);
            DiagnosisSection section = m.section(DiagnosisSection.class);
            spec.commandLine().getOut().println("Imported " + file + " as a diagnosis bundle in " + out + " ("
                    + section.inputs().size() + " inputs, classes " + String.join(", ", section.classes()) + ").");
            spec.commandLine().getOut().println(m.files().containsKey(org.medmaas.ml.explain.KernelShap.FILE)
                    ? "Predictions come with Kernel SHAP explanations over the background's cluster means."
                    : "No --background given: predictions come without explanations.");
            spec.commandLine().getOut().println("Next: ./medmaas predict " + out + " --data FILE");
            return 0;
        }
    }
}
