package org.medmaas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.medmaas.data.clinical.ClinicalRecords;
import org.medmaas.data.clinical.SyntheaRecords;
import org.medmaas.data.cohort.CohortBuilder;
import org.medmaas.data.cohort.VisitSequences;
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

    @Option(names = "--sequences", paramLabel = "FILE.csv",
            description = {"Also write the cohort's encounter histories for sequence models: one row per",
                    "encounter in the look-back window (patient_id, visit, days_before_index, observations",
                    "recorded and conditions/medications started at it, the target). Patient cohorts only."})
    java.util.Optional<Path> sequences;

    @Option(names = "--max-visits", defaultValue = "20", paramLabel = "N",
            description = "With --sequences: keep each patient's last N encounters (default: ${DEFAULT-VALUE}).")
    int maxVisits;

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
        CohortBuilder.Result result = build(records, cohort, out, stdout);
        if (sequences.isPresent()) {
            org.medmaas.core.table.Table visits = VisitSequences.build(records, cohort, result.table(), maxVisits);
            new CsvTableWriter().write(visits, sequences.get());
            long patients = java.util.stream.IntStream.range(0, visits.rowCount())
                    .mapToObj(i -> visits.column("patient_id").format(i)).distinct().count();
            stdout.printf(Locale.ROOT, "Visit sequences: %d encounters of %d patients (at most %d each), written to %s%n",
                    visits.rowCount(), patients, maxVisits, sequences.get());
        }
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
