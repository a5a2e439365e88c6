package org.medmaas.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.medmaas.data.cohort.CohortSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code medmaas data specs [NAME]}: the built-in cohort specs. */
@Command(name = "specs", mixinStandardHelpOptions = true,
        description = {"List the built-in cohort specs, or print one.", "",
                "Print one (YAML) to use as a starting point:",
                "  medmaas data specs type2-diabetes > my-spec.yaml"})
final class SpecsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A built-in spec to print.")
    Optional<String> name;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (name.isPresent()) {
            out.print(CohortSpec.builtInText(name.get()));
            return 0;
        }
        for (String builtIn : CohortSpec.BUILT_IN) {
            CohortSpec s = CohortSpec.builtIn(builtIn);
            out.printf("%-28s %s%n", builtIn, s.description().orElse(""));
        }
        return 0;
    }
}
