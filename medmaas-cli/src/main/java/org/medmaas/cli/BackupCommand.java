package org.medmaas.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.RegistryBackup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code medmaas backup OUT} and {@code medmaas restore IN}: the registry as one verified file. */
final class BackupCommand {

    private BackupCommand() {
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Write a consistent snapshot of the registry to a new zip: all metadata (read in one",
                    "transaction), the model bundles it points to, and checksums over everything."})
    static final class Backup implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Parameters(index = "0", paramLabel = "OUT.zip", description = "The backup file (must not exist).")
        Path out;

        @Override
        public Integer call() {
            RegistryBackup.Summary s;
            try (ModelRegistry r = registry.open()) {
                s = r.backup(out);
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "Backed up %d models, %d versions and %d bundles to %s.%n",
                    s.models(), s.versions(), s.artifacts(), out);
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Restore a backup into a new, empty registry home. Every checksum is verified before",
                    "anything is written; a damaged or altered backup is refused."})
    static final class Restore implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Parameters(index = "0", paramLabel = "IN.zip", description = "A file written by medmaas backup.")
        Path in;

        @CommandLine.Option(names = "--audit-key", paramLabel = "FILE", description = {
                "The audit.key of the registry the backup came from (backups do not hold it, so that a stolen",
                "backup cannot be used to forge audit entries). It is copied into the new home; the restored",
                "audit log must verify with it, or nothing is restored."})
        Path auditKey;

        @Override
        public Integer call() throws java.io.IOException {
            if (auditKey != null) {
                java.nio.file.Files.createDirectories(registry.home);
                Path target = registry.home.resolve("audit.key");
                if (java.nio.file.Files.exists(target)) {
                    throw org.medmaas.core.error.MedmaasException.invalid(target + " already exists; restore into a new home.");
                }
                java.nio.file.Files.copy(auditKey, target);
                org.medmaas.core.secret.KeySource.ownerOnly(target); // a copy takes the umask's mode, not the original's
            }
            RegistryBackup.Summary s;
            try (ModelRegistry r = registry.open()) {
                s = r.restore(in);
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "Restored %d models, %d versions and %d bundles into %s.%n",
                    s.models(), s.versions(), s.artifacts(), registry.home);
            return 0;
        }
    }
}
