package org.medmaas.cli;

import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code medmaas} command line. */
@Command(name = "medmaas", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Medical machine-learning models as a service.", ""},
        subcommands = {QuickstartCommand.class, DataCommand.class, TrainCommand.class, PredictCommand.class,
                EvaluateCommand.class, RecalibrateCommand.class, ExplainCommand.class, ImportCommand.class, ModelsCommand.class,
                ServeCommand.class, SelfCheckCommand.class, RegistryCommand.class, KeysCommand.class, AuditCommand.class, BackupCommand.Backup.class,
                BackupCommand.Restore.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Start with:  medmaas quickstart",
                "Run the tests (from a checkout, through the ./medmaas launcher):  ./medmaas test",
                "Docs: docs/ in the repository; every command has --help."})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        CommandLine train = cli.getSubcommands().get("train");
        CliServices.registrations().forEach(r -> train.addSubcommand(r.trainCommand()));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof MedmaasException m) {
                commandLine.getErr().println("error: " + m.getMessage());
                return m.code().exitCode();
            }
            commandLine.getErr().println("error: an unexpected " + e.getClass().getSimpleName()
                    + " occurred. This is a bug; please report it with the command you ran"
                    + " (set MEDMAAS_DEBUG=1 for the stack trace).");
            if (System.getenv("MEDMAAS_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return ErrorCode.INTERNAL.exitCode();
        });
        int code = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        return code;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"medmaas " + (v == null ? "development build" : v),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
