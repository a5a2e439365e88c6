package org.medmaas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code medmaas data}: look at and prepare clinical data. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Profile data, generate synthetic cohorts, build feature tables.",
        subcommands = {ProfileCommand.class, SyntheaCommand.class, CohortCommand.class, SpecsCommand.class})
final class DataCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
