package org.medmaas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.medmaas.data.clinical.ClinicalRecords;
import org.medmaas.data.clinical.SyntheaRecords;
import org.medmaas.data.cohort.CohortBuilder;
import org.medmaas.data.cohort.CohortSpec;
import org.medmaas.data.csv.CsvTableWriter;
import org.medmaas.data.fhir.FhirIssue;
import org.medmaas.data.fhir.FhirRecordsReader;
import org.medmaas.data.mimic.MimicRecords;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medmaas data cohort}. */
@Command(name = "cohort", mixinStandardHelpOptions = true,
        description = {"Build a feature table from clinical records with a cohort spec.", "",
                "One row per patient at an index date (or per encounter), from a Synthea export, FHIR R4",
                "JSON (bundles, resources, NDJSON; a file or a folder) or MIMIC-III CSV tables, following a YAML",
                "cohort spec: observation aggregates over a look-back window, condition and medication flags,",
                "demographics, and a target condition within a prediction window. Built-in specs: medmaas data specs."})
final class CohortCommand implements Callable<Integer> {

    enum Source { synthea, fhir, mimic }

    enum Invalid { skip, reject }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "KIND",
            description = "synthea, fhir or mimic.")
    Source source;

    @Parameters(index = "0", paramLabel = "DIR", description = "The source folder (or, for FHIR, a file).")
    Path input;

    @Option(names = "--spec", required = true, paramLabel = "FILE|NAME",
            description = "A cohort spec (YAML file), or a built-in one: type2-diabetes, hypertension, heart-failure,"
                    + " mimic-acute-kidney-injury (print one with: medmaas data specs NAME).")
    String specFile;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Where to write the feature table.")
    Path out;

    @Option(names = "--invalid", defaultValue = "skip", paramLabel = "POLICY",
            description = "FHIR only: skip invalid resources (reporting each) or reject the input (default: ${DEFAULT-VALUE}).")
    Invalid invalid;

    @Override
    public Integer call() {
        CohortSpec cohort = CohortSpec.resolve(specFile);
        PrintWriter stdout = spec.commandLine().getOut();
        ClinicalRecords records = switch (source) {
            case synthea -> SyntheaRecords.read(input);
            case mimic -> MimicRecords.read(input);
            case fhir -> {
                FhirRecordsReader.Result result = new FhirRecordsReader(invalid == Invalid.reject
                        ? FhirRecordsReader.InvalidResourcePolicy.REJECT : FhirRecordsReader.InvalidResourcePolicy.SKIP)
                        .read(input);
                FhirRecordsReader.Report report = result.report();
                stdout.printf(Locale.ROOT, "FHIR: %d files, %d resources used, %d of other types ignored, %d skipped as invalid%n",
                        report.files(), report.resourcesRead(), report.resourcesIgnored(), report.issues().size());
                for (FhirIssue issue : report.issues().subList(0, Math.min(20, report.issues().size()))) {
                    spec.commandLine().getErr().println("skipped: " + issue);
                }
                if (report.issues().size() > 20) {
                    spec.commandLine().getErr().println("… and " + (report.issues().size() - 20) + " more skipped resources.");
                }
                yield result.records();
            }
        };
        build(records, cohort, out, stdout);
        stdout.println("Next: ./medmaas data profile " + out + " --target " + cohort.target().name());
        return 0;
    }

    /** Builds a cohort, writes it and prints the summary. */
    static CohortBuilder.Result build(ClinicalRecords records, CohortSpec cohort, Path out, PrintWriter stdout) {
        CohortBuilder.Result result = new CohortBuilder().build(records, cohort);
        new CsvTableWriter().write(result.table(), out);
        CohortBuilder.Summary s = result.summary();
        String unit = cohort.unitOrDefault() == CohortSpec.Unit.ENCOUNTER ? "encounters" : "patients";
        stdout.printf(Locale.ROOT, "Cohort '%s': %d of %d %s included, %d positive for %s (%.1f%%), %d columns.%n",
                cohort.name(), s.included(), s.patients(), unit, s.positives(), cohort.target().name(),
                100.0 * s.positives() / s.included(), result.table().columnCount());
        s.excluded().forEach((why, n) -> stdout.printf(Locale.ROOT, "  excluded %5d: %s%n", n, why));
        stdout.println("Written to " + out);
        return result;
    }
}
