package org.medmaas.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.diagnosis.OnnxImport;
import org.medmaas.ml.bundle.BundleManifest;
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

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the bundle (must not exist).")
        Path out;

        @Override
        public Integer call() {
            BundleManifest m = OnnxImport.importModel(file, SchemaFile.read(schema), target, classes, threshold, out);
            spec.commandLine().getOut().println("Imported " + file + " as a diagnosis bundle in " + out + " ("
                    + m.inputs().size() + " inputs, classes " + String.join(", ", m.classes()) + ").");
            spec.commandLine().getOut().println("Next: ./medmaas predict " + out + " --data FILE");
            return 0;
        }
    }
}
