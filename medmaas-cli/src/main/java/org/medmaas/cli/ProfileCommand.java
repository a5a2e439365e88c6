package org.medmaas.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        description = {"Profile a CSV file (or a folder of them) against an outcome.", "",
                "Per column the type, missing share, distinct values, summary",
                "statistics and outliers (Z-score > 3, Tukey's IQR fences); with --target, the class balance",
                "and each feature's test against the target (ANOVA and Kruskal-Wallis for numeric features,",
                "chi-square for categorical ones), strongest effect first."})
final class ProfileCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file, or a folder: every .csv file in it.")
    Path file;

    @Option(names = "--target", paramLabel = "COL", description = "The outcome column.")
    Optional<String> target;

    @Option(names = "--schema", paramLabel = "FILE", description = "A YAML or JSON schema declaring column types.")
    Optional<Path> schema;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the profile as JSON to OUT ('-' for standard output only); a list for a folder.")
    Optional<Path> json;

    @Option(names = "--missing", split = ",", paramLabel = "TOKENS",
            description = "Cell values read as missing, comma-separated (default: empty, ?, NA, N/A, NaN, nan, NULL, null).")
    java.util.List<String> missing = new java.util.ArrayList<>();

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "Field delimiter (default: detected).")
    Optional<Character> delimiter;

    @Option(names = "--columns", split = ",", paramLabel = "NAMES",
            description = "Column names for files without a header row.")
    List<String> columns = new ArrayList<>();

    @Override
    public Integer call() {
        List<Path> files = csvFiles(file);
        CsvOptions options = CsvOptions.defaults();
        if (!missing.isEmpty()) {
            options = options.withMissingTokens(Set.copyOf(missing));
        }
        if (delimiter.isPresent()) {
            options = options.withDelimiter(delimiter.get());
        }
        if (!columns.isEmpty()) {
            options = options.withColumnNames(columns);
        }
        SchemaFile schemaFile = schema.map(SchemaFile::read).orElse(SchemaFile.empty());
        CsvTableReader reader = new CsvTableReader(options, schemaFile);
        ProfileRenderer renderer = new ProfileRenderer();
        List<DataProfile> profiles = new ArrayList<>();
        boolean jsonOnly = json.isPresent() && json.get().toString().equals("-");
        for (Path csv : files) {
            Table table = reader.read(csv);
            DataProfile profile = new DataProfiler().profile(table, target, csv.toString());
            profiles.add(profile);
            if (!jsonOnly) {
                spec.commandLine().getOut().print((profiles.size() > 1 ? "\n" : "") + renderer.toText(profile));
            }
        }
        String document = profiles.size() == 1 ? renderer.toJson(profiles.get(0)) : renderer.toJson(profiles);
        if (jsonOnly) {
            spec.commandLine().getOut().println(document);
        } else if (json.isPresent()) {
            AtomicFiles.writeString(json.get(), document);
            spec.commandLine().getOut().println("\nJSON profile written to " + json.get());
        }
        return 0;
    }

    /** The file itself, or every CSV file in a directory (sorted); a directory without any is an error. */
    private static List<Path> csvFiles(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (var listing = Files.list(path)) {
            List<Path> out = listing.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"))
                    .sorted().toList();
            if (out.isEmpty()) {
                throw MedmaasException.notFound(path + " holds no .csv files.");
            }
            return out;
        } catch (java.io.IOException e) {
            throw MedmaasException.io("Could not list " + path + ": " + e.getMessage(), e);
        }
    }
}
