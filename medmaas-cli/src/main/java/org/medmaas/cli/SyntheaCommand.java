package org.medmaas.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Table;
import org.medmaas.data.synthea.SyntheaExport;
import org.medmaas.data.synthea.SyntheaGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medmaas data synthea}. */
@Command(name = "synthea", mixinStandardHelpOptions = true,
        description = {"Generate synthetic patients offline with Synthea 3.2.0.", "",
                "A CSV export and, optionally, FHIR R4 bundles. The same --seed gives the same cohort.",
                "Output: OUT/csv/*.csv [OUT/fhir/*.json]."})
final class SyntheaCommand implements Callable<Integer> {

    /** Where the launcher says Synthea's libraries are; see ./medmaas. */
    static final String LIB_PROPERTY = "medmaas.synthea.lib";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--patients", required = true, paramLabel = "N", description = "Living patients to generate.")
    int patients;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (must not hold a cohort yet).")
    Path out;

    @Option(names = "--fhir", description = "Also export FHIR R4 transaction bundles, one per patient.")
    boolean fhir;

    @Override
    public Integer call() {
        SyntheaGenerator.Result result = generate(new SyntheaGenerator.Request(patients, seed, out, fhir),
                spec.commandLine().getOut());
        spec.commandLine().getOut().println("Next: ./medmaas data cohort --source synthea " + out
                + " --spec hypertension --out " + out.resolve("hypertension.csv"));
        return result.peopleSimulated() > 0 ? 0 : 1;
    }

    /** Runs Synthea with a progress bar on standard error and prints what was written. */
    static SyntheaGenerator.Result generate(SyntheaGenerator.Request request, PrintWriter out) {
        String lib = System.getProperty(LIB_PROPERTY, System.getenv().getOrDefault("MEDMAAS_SYNTHEA_LIB", ""));
        if (lib.isEmpty()) {
            throw MedmaasException.notFound("Synthea's libraries are not configured. Run this command through"
                    + " ./medmaas, or set MEDMAAS_SYNTHEA_LIB to medmaas-synthea-runtime/target/lib.");
        }
        SyntheaGenerator.Result result;
        long started = System.nanoTime();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Synthea").setInitialMax(request.patients())
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .setUnit(" people", 1).build()) {
            result = SyntheaGenerator.forCurrentJvm(Path.of(lib)).generate(request, count -> {
                if (count > bar.getMax()) {
                    bar.maxHint(count);
                }
                bar.stepTo(count);
            });
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("Simulated %d people (%d living requested; Synthea keeps the deceased too) in %.1f s%n",
                result.peopleSimulated(), request.patients(), seconds);
        Map<String, Table> tables = SyntheaExport.read(result.csvDir());
        for (Map.Entry<String, Table> e : tables.entrySet()) {
            out.printf("  %-13s %8d rows  %s%n", e.getKey(), e.getValue().rowCount(),
                    result.csvDir().resolve(e.getKey() + ".csv"));
        }
        result.fhirDir().ifPresent(dir -> {
            try (var files = Files.list(dir)) {
                out.printf("  FHIR R4 bundles: %d files in %s%n", files.count(), dir);
            } catch (java.io.IOException ex) {
                throw MedmaasException.io("Could not list " + dir, ex);
            }
        });
        return result;
    }
}
