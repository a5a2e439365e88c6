package org.medmaas.cli;

import org.medmaas.core.json.Json;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.registry.AuditVerification;
import org.medmaas.registry.ModelRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medmaas audit verify|export}: the hash-chained audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Check or export the audit log: every prediction (caller, model and version, a hash of the input,",
                "outcome, latency), every management action and every refused authentication or authorization."},
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check the whole chain: any altered, removed, reordered or truncated entry is reported.",
                    "Exit code 5 when the log does not verify. Keep the printed head elsewhere to detect a later rollback."})
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Override
        public Integer call() {
            AuditVerification v;
            try (ModelRegistry r = registry.open()) {
                v = r.auditLog().verify();
            }
            PrintWriter out = spec.commandLine().getOut();
            v.problems().forEach(p -> out.println("problem: " + p));
            out.printf(Locale.ROOT, "%s: %d entries; head %d %s%n", v.intact() ? "Audit log intact" : "Audit log NOT intact",
                    v.entries(), v.headSeq(), v.headHash());
            return v.intact() ? 0 : org.medmaas.core.error.ErrorCode.INTEGRITY.exitCode();
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write every entry as JSON lines (one object per entry, in order), with its chain hashes.")
    static final class Export implements Callable<Integer> {
        private static final com.fasterxml.jackson.databind.ObjectWriter JSON = Json.MAPPER.writer()
                .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (must not exist) instead of standard output.")
        Path file;

        @Override
        public Integer call() throws IOException {
            long n;
            try (ModelRegistry r = registry.open();
                    OutputStream target = file == null ? null : Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
                PrintWriter stdout = spec.commandLine().getOut();
                n = r.auditLog().forEach(e -> {
                    try {
                        String line = JSON.writeValueAsString(e.fields());
                        if (target == null) {
                            stdout.println(line);
                        } else {
                            target.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        }
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                });
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw MedmaasException.invalid(file + " already exists; choose a new file.");
            }
            if (file != null) {
                spec.commandLine().getOut().printf(Locale.ROOT, "Exported %d entries to %s.%n", n, file);
            }
            return 0;
        }
    }
}
