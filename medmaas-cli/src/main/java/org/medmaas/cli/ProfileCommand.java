package org.medmaas.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.io.AtomicFiles;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.CsvOptions;
import org.medmaas.data.csv.CsvTableReader;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.data.profile.DataProfile;
import org.medmaas.data.profile.DataProfiler;
import org.medmaas.data.profile.ProfileRenderer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medmaas data profile FILE}. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Profile a CSV file: per column the type, missing share, distinct values, summary",
                "statistics and outliers (Z-score > 3, Tukey's IQR fences); with --target, the class balance",
                "and each feature's test against the target (ANOVA and Kruskal-Wallis for numeric features,",
                "chi-square for categorical ones), strongest effect first."})
final class ProfileCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Option(names = "--target", paramLabel = "COL", description = "The outcome column.")
    Optional<String> target;

    @Option(names = "--schema", paramLabel = "FILE", description = "A YAML or JSON schema declaring column types.")
    Optional<Path> schema;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the profile as JSON to OUT ('-' for standard output only).")
    Optional<Path> json;

    @Option(names = "--missing", split = ",", paramLabel = "TOKENS",
            description = "Cell values read as missing, comma-separated (default: empty, ?, NA, N/A, NaN, nan, NULL, null).")
    java.util.List<String> missing = new java.util.ArrayList<>();

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "Field delimiter (default: detected).")
    Optional<Character> delimiter;

    @Override
    public Integer call() {
        if (Files.isDirectory(file)) {
            throw MedmaasException.invalid(file + " is a directory; give a CSV file.");
        }
        CsvOptions options = CsvOptions.defaults();
        if (!missing.isEmpty()) {
            options = options.withMissingTokens(Set.copyOf(missing));
        }
        if (delimiter.isPresent()) {
            options = options.withDelimiter(delimiter.get());
        }
        SchemaFile schemaFile = schema.map(SchemaFile::read).orElse(SchemaFile.empty());
        Table table = new CsvTableReader(options, schemaFile).read(file);
        DataProfile profile = new DataProfiler().profile(table, target, file.toString());
        ProfileRenderer renderer = new ProfileRenderer();
        if (json.isPresent() && json.get().toString().equals("-")) {
            spec.commandLine().getOut().println(renderer.toJson(profile));
            return 0;
        }
        spec.commandLine().getOut().print(renderer.toText(profile));
        if (json.isPresent()) {
            AtomicFiles.writeString(json.get(), renderer.toJson(profile));
            spec.commandLine().getOut().println("\nJSON profile written to " + json.get());
        }
        return 0;
    }
}
