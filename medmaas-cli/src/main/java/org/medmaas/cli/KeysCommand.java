package org.medmaas.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.registry.ApiKey;
import org.medmaas.registry.ApiKeys;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.Role;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medmaas keys create|list|revoke}: the API keys the server accepts. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Manage API keys. A key is shown once, when it is created; only its hash is stored.",
                "Send it as 'Authorization: Bearer <key>'. Creating and revoking keys is audited."},
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key and print it (once).")
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Option(names = "--owner", required = true, paramLabel = "TEXT", description = "Who or what the key is for.")
        String owner;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "admin, modeler, predictor or auditor.")
        String role;

        @Option(names = "--models", defaultValue = "*", paramLabel = "PATTERN",
                description = "Models the key reaches: a name or a pattern with * (default: ${DEFAULT-VALUE}).")
        String models;

        @Option(names = "--expires-in", paramLabel = "DURATION",
                description = "Lifetime, e.g. 90d, 12h or 30m (default: no expiry).")
        String expiresIn;

        @Override
        public Integer call() {
            ApiKeys.Created created;
            try (ModelRegistry r = registry.open()) {
                created = r.apiKeys().create(owner, Role.parse(role), models,
                        Optional.ofNullable(expiresIn).map(KeysCommand::duration).map(d -> Instant.now().plus(d)),
                        RegistryOption.actor());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(created.token());
            out.printf(Locale.ROOT, "Key %s for %s (%s, models %s%s). It is shown only now: store it in a secret store.%n",
                    created.key().id(), owner, role, models,
                    created.key().expiresAt().map(t -> ", expires " + t).orElse(""));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ModelRegistry r = registry.open()) {
                out.printf(Locale.ROOT, "%-9s %-10s %-16s %-9s %-24s %s%n", "id", "role", "models", "state", "created", "owner");
                Instant now = Instant.now();
                for (ApiKey k : r.apiKeys().list()) {
                    String state = k.revokedAt().isPresent() ? "revoked" : k.activeAt(now) ? "active" : "expired";
                    out.printf(Locale.ROOT, "%-9s %-10s %-16s %-9s %-24s %s%n", k.id(), k.role().label(), k.models(), state,
                            k.createdAt(), k.owner());
                }
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key; the server refuses it from then on.")
    static final class Revoke implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Parameters(index = "0", paramLabel = "KEY-ID", description = "The key's id (the 8 hex digits after mm_).")
        String id;

        @Override
        public Integer call() {
            try (ModelRegistry r = registry.open()) {
                r.apiKeys().revoke(id, RegistryOption.actor());
            }
            spec.commandLine().getOut().println("Key " + id + " revoked.");
            return 0;
        }
    }

    static Duration duration(String text) {
        var m = java.util.regex.Pattern.compile("(\\d{1,6})([dhm])").matcher(text);
        if (!m.matches()) {
            throw MedmaasException.invalid("--expires-in takes a number and d, h or m, e.g. 90d.");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
