package org.medmaas.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.medmaas.data.clinical.SyntheaRecords;
import org.medmaas.data.cohort.CohortBuilder;
import org.medmaas.data.cohort.CohortSpec;
import org.medmaas.data.profile.DataProfile;
import org.medmaas.data.profile.DataProfiler;
import org.medmaas.data.profile.ProfileRenderer;
import org.medmaas.data.synthea.SyntheaGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code medmaas quickstart}: the main job, end to end on synthetic data. Today it covers the data
 * pipeline (generate, build a feature table, profile); model training joins it with the
 * diagnosis service.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"The tour, on synthetic patients: generate (or reuse) a seeded Synthea cohort, build a",
                "feature table with a built-in cohort spec, and profile it against the outcome."})
final class QuickstartCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--patients", defaultValue = "200", paramLabel = "N",
            description = "Living patients to generate (default: ${DEFAULT-VALUE}).")
    int patients;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--spec", defaultValue = "hypertension", paramLabel = "FILE|NAME",
            description = "Cohort spec (default: ${DEFAULT-VALUE}; see medmaas data specs).")
    String specName;

    @Option(names = "--dir", defaultValue = ".medmaas/quickstart", paramLabel = "DIR",
            description = "Where cohorts are cached and results written (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CohortSpec cohort = CohortSpec.resolve(specName);
        Path synthea = dir.resolve("synthea-" + patients + "-seed-" + seed);
        out.println("== 1. Synthetic patients");
        if (Files.isDirectory(synthea.resolve("csv"))) {
            out.println("Reusing the cohort generated earlier in " + synthea + " (delete it to regenerate).");
        } else {
            SyntheaCommand.generate(new SyntheaGenerator.Request(patients, seed, synthea, false), out);
        }
        out.println();
        out.println("== 2. Feature table: " + cohort.description().orElse(cohort.name()));
        Path table = dir.resolve(cohort.name() + "-" + patients + "-seed-" + seed + ".csv");
        CohortBuilder.Result result = CohortCommand.build(SyntheaRecords.read(synthea), cohort, table, out);
        out.println();
        out.println("== 3. Profile");
        DataProfile profile = new DataProfiler().profile(result.table(), Optional.of(cohort.target().name()),
                table.toString());
        out.print(new ProfileRenderer().toText(profile));
        out.println();
        out.println("Try next:");
        out.println("  ./medmaas data profile " + table + " --target " + cohort.target().name() + " --json profile.json");
        out.println("  ./medmaas data specs type2-diabetes > my-spec.yaml   # edit, then:");
        out.println("  ./medmaas data cohort --source synthea " + synthea + " --spec my-spec.yaml --out my-cohort.csv");
        out.println("  ./medmaas data cohort --source mimic ../shared/datasets/mimic-iii-demo --spec mimic-acute-kidney-injury --out aki.csv");
        out.println("  ./medmaas data profile ../shared/datasets/pima-indians-diabetes/PimaIndiansDiabetes2.csv --target diabetes");
        return 0;
    }
}
