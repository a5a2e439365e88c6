package org.medmaas.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.medmaas.registry.ModelRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medmaas registry check [--repair]}. */
@Command(name = "registry", mixinStandardHelpOptions = true, description = "Check the registry's consistency.",
        subcommands = {RegistryCommand.Check.class})
final class RegistryCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Verify every version's bundle against its checksum, find artifacts no version points to",
                    "(left by an interrupted registration) and API key records changed outside MedMaaS (their seal fails).",
                    "Exit code 0 when consistent, 5 otherwise."})
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Option(names = "--repair", description = "Remove unreferenced artifacts (missing or altered ones need a restore).")
        boolean repair;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ModelRegistry r = registry.open()) {
                ModelRegistry.CheckReport before = r.check();
                ModelRegistry.CheckReport report = repair ? r.repair() : before;
                before.missingOrAltered().forEach(p -> out.println("damaged: " + p));
                before.unreferenced().forEach(k -> out.println((repair ? "removed" : "unreferenced") + " artifact: " + k));
                // Key records are never repaired: an altered one is refused until an admin revokes it and issues another.
                report.alteredKeys().forEach(k -> out.println("altered API key record: " + k));
                out.println(report.consistent() ? "Registry consistent." : "Registry inconsistent"
                        + (!report.alteredKeys().isEmpty() ? "; altered API keys are refused: revoke them (medmaas keys revoke ID)"
                                + " and issue new ones." : report.missingOrAltered().isEmpty() ? " (run with --repair)."
                                        : "; restore the damaged artifacts from a backup."));
                return report.consistent() ? 0 : org.medmaas.core.error.ErrorCode.INTEGRITY.exitCode();
            }
        }
    }
}
