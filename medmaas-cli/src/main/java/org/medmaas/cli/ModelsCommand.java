package org.medmaas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.ModelVersion;
import org.medmaas.registry.Stage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code medmaas models}: the model registry's versions, aliases and stages. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "Register models and manage their versions.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.Card.class,
                ModelsCommand.Register.class,
                ModelsCommand.Alias.class, ModelsCommand.SetStage.class, ModelsCommand.Archive.class, ModelsCommand.Tag.class})
final class ModelsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static String actor() {
        return RegistryOption.actor();
    }

    private static void print(PrintWriter out, ModelVersion v, Map<String, Integer> aliases) {
        List<String> pointing = aliases.entrySet().stream().filter(e -> e.getValue() == v.version()).map(Map.Entry::getKey)
                .toList();
        out.printf(Locale.ROOT, "  v%-4d %-10s %-6s %-22s %s%s%n", v.version(), v.stage().label(), v.learner(),
                v.registeredAt().toString(), v.bundleSha256().substring(0, 12),
                pointing.isEmpty() ? "" : "  ← " + String.join(", ", pointing));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered models and their versions.")
    static final class ListModels implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ModelRegistry r = registry.open()) {
                List<org.medmaas.registry.ModelSummary> models = r.summaries();
                if (models.isEmpty()) {
                    out.println("No models registered in " + registry.home + ". Register one:");
                    out.println("  ./medmaas models register NAME BUNDLE");
                    return 0;
                }
                for (org.medmaas.registry.ModelSummary m : models) {
                    ModelVersion last = m.latest();
                    out.printf(Locale.ROOT, "%-24s %2d version(s); latest v%d (%s, %s → %s)%n", m.name(), m.versions(),
                            last.version(), last.learner(), last.task(), last.target());
                }
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a model's versions, stages and aliases.")
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ModelRegistry r = registry.open()) {
                List<ModelVersion> versions = r.versions(name);
                if (versions.isEmpty()) {
                    throw org.medmaas.core.error.MedmaasException.notFound("No model '" + name + "' in " + registry.home
                            + " (see: ./medmaas models list).");
                }
                ModelVersion first = versions.get(0);
                out.printf(Locale.ROOT, "%s: %s model of '%s'%n", name, first.task(), first.target());
                out.printf(Locale.ROOT, "  %-5s %-10s %-6s %-22s %s%n", "ver", "stage", "model", "registered", "bundle");
                Map<String, Integer> aliases = r.aliases(name);
                versions.forEach(v -> {
                    print(out, v, aliases);
                    Map<String, String> tags = r.tags(name, java.util.Optional.of(v.version()));
                    if (!tags.isEmpty()) {
                        out.println("        tags: " + tags);
                    }
                });
                Map<String, String> tags = r.tags(name, java.util.Optional.empty());
                if (!tags.isEmpty()) {
                    out.println("  tags: " + tags);
                }
                return 0;
            }
        }
    }

    @Command(name = "card", mixinStandardHelpOptions = true,
            description = {"Show a version's model card: what it predicts, its training data, cross-validated metrics",
                    "with 95% intervals, calibration, settings and provenance, with the fields people write",
                    "(intended_use, limitations, owner; set them with --set)."})
    static final class Card implements Callable<Integer> {
        private static final com.fasterxml.jackson.databind.ObjectWriter JSON = org.medmaas.core.json.Json.MAPPER
                .writerWithDefaultPrettyPrinter();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @CommandLine.Option(names = "--version", defaultValue = "latest", paramLabel = "REF",
                description = "A version number, an alias or latest (default: ${DEFAULT-VALUE}).")
        String reference;

        @CommandLine.Option(names = "--set", paramLabel = "FIELD=TEXT",
                description = "Write an editable field first (repeatable), e.g. --set owner=\"Clinical AI team\".")
        java.util.Map<String, String> set = new java.util.LinkedHashMap<>();

        @CommandLine.Option(names = "--json", description = "Print the card as JSON.")
        boolean json;

        @Override
        public Integer call() throws com.fasterxml.jackson.core.JsonProcessingException {
            try (ModelRegistry r = registry.open()) {
                set.forEach((field, text) -> r.setCardField(name, field, text, actor()));
                org.medmaas.registry.ModelCard card = r.card(name, reference);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(JSON.writeValueAsString(card));
                    return 0;
                }
                out.printf(Locale.ROOT, "Model card: %s v%d (%s)%n", card.name(), card.version(), card.stage());
                out.printf(Locale.ROOT, "  predicts      %s (%s) with %s; classes %s%n", card.target(), card.task(),
                        card.learner(), String.join(", ", card.classes()));
                out.printf(Locale.ROOT, "  decision      threshold %.3f (%s)%s%n", card.threshold(), card.thresholdRule(),
                        card.calibrated() ? ", calibrated probabilities" : "");
                for (String field : org.medmaas.registry.ModelCard.EDITABLE) {
                    out.printf(Locale.ROOT, "  %-13s %s%n", field, card.editable().getOrDefault(field, "(not written yet)"));
                }
                out.println("  training data " + card.trainingData());
                out.println("  metrics (cross-validated, mean ± sd [95% interval]):");
                card.metrics().forEach((metric, v) -> out.printf(Locale.ROOT, "    %-18s %.3f ± %.3f%s%n", metric,
                        v.getOrDefault("mean", Double.NaN), v.getOrDefault("sd", Double.NaN), v.containsKey("ci_low")
                                ? String.format(Locale.ROOT, " [%.3f, %.3f]", v.get("ci_low"), v.get("ci_high")) : ""));
                card.subgroupMetrics().forEach((grouping, groups) -> {
                    out.printf(Locale.ROOT, "  by %s (out-of-fold):%n", grouping);
                    groups.forEach((group, m) -> out.printf(Locale.ROOT, "    %-16s %s%n", group, subgroupLine(m)));
                });
                out.println("  settings      " + new java.util.TreeMap<>(card.hyperparameters()));
                out.println("  provenance    code " + card.codeVersion() + ", " + new java.util.TreeMap<>(card.libraryVersions())
                        + ", created " + card.createdAt() + ", bundle " + card.bundleSha256());
                return 0;
            }
        }
    }

    /** One group's line on the card and after training: its size and main metrics, or why it is not reported. */
    static String subgroupLine(java.util.Map<String, Double> m) {
        return m.containsKey("suppressed")
                ? "fewer than " + org.medmaas.diagnosis.Subgroups.MIN_REPORTED_ROWS + " rows: not reported"
                : String.format(Locale.ROOT, "rows %d, roc_auc %s, recall %s, specificity %s, brier %s", m.get("rows").intValue(),
                        metric(m, "roc_auc"), metric(m, "recall"), metric(m, "specificity"), metric(m, "brier"));
    }

    /** A metric to three places, or "n/a" where a group's metric is undefined (one class only). */
    static String metric(java.util.Map<String, Double> metrics, String name) {
        Double v = metrics.get(name);
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Verify a model bundle (directory or .zip) and register it as the model's next version.",
                    "The bundle's checksums and format are checked; a tampered bundle is refused."})
    static final class Register implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Parameters(index = "0", paramLabel = "NAME", description = "Model name: lower-case letters, digits, '-' and '_'.")
        String name;

        @Parameters(index = "1", paramLabel = "BUNDLE", description = "A bundle written by medmaas train or import.")
        Path bundle;

        @Override
        public Integer call() {
            ModelVersion v;
            try (ModelRegistry r = registry.open()) {
                v = r.register(name, bundle, actor());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "Registered %s v%d (%s %s model, bundle %s).%n", name, v.version(), v.learner(),
                    v.task(), v.bundleSha256().substring(0, 12));
            out.printf(Locale.ROOT, "Next: ./medmaas models alias %s champion %d%n", name, v.version());
            return 0;
        }
    }

    @Command(name = "alias", mixinStandardHelpOptions = true,
            description = "Point an alias (e.g. champion, challenger) at a version; moving it is atomic.")
    static final class Alias implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "2", paramLabel = "VERSION")
        int version;

        @Override
        public Integer call() {
            try (ModelRegistry r = registry.open()) {
                r.setAlias(name, alias, version, actor());
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "%s@%s → v%d%n", name, alias, version);
            return 0;
        }
    }

    /** A command about one version of one model: the shared options and arguments. */
    abstract static class VersionCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION")
        int version;

        /** Moves the version to a stage and says so. */
        Integer moveTo(Stage stage) {
            ModelVersion v;
            try (ModelRegistry r = registry.open()) {
                v = r.setStage(name, version, stage, actor());
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "%s v%d is now %s.%n", name, v.version(), v.stage().label());
            return 0;
        }
    }

    @Command(name = "stage", mixinStandardHelpOptions = true,
            description = {"Move a version along its lifecycle: registered → staged → production → archived.",
                    "Staged may go back to registered, production back to staged; archived is final."})
    static final class SetStage extends VersionCommand {
        @Parameters(index = "2", paramLabel = "STAGE", description = "registered, staged, production or archived.")
        String stage;

        @Override
        public Integer call() {
            return moveTo(Stage.parse(stage));
        }
    }

    @Command(name = "archive", mixinStandardHelpOptions = true,
            description = "Archive a version (final): it keeps its bundle for audit, loses its aliases and leaves 'latest'.")
    static final class Archive extends VersionCommand {
        @Override
        public Integer call() {
            return moveTo(Stage.ARCHIVED);
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true,
            description = {"Label a model, or one version with --version, with KEY=VALUE tags (set or replace);",
                    "--remove KEY drops one. Tags show in models show and the API; changes are audited."})
    static final class Tag implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", paramLabel = "KEY=VALUE", arity = "0..*")
        java.util.Map<String, String> set = new java.util.LinkedHashMap<>();

        @CommandLine.Option(names = "--version", paramLabel = "N", description = "Tag this version instead of the model.")
        Integer version;

        @CommandLine.Option(names = "--remove", paramLabel = "KEY", description = "Remove a tag (repeatable).")
        List<String> remove = new java.util.ArrayList<>();

        @Override
        public Integer call() {
            java.util.Optional<Integer> v = java.util.Optional.ofNullable(version);
            try (ModelRegistry r = registry.open()) {
                set.forEach((key, value) -> r.setTag(name, v, key, value, actor()));
                remove.forEach(key -> r.removeTag(name, v, key, actor()));
                spec.commandLine().getOut().println(name + v.map(n -> " v" + n).orElse("") + " tags: " + r.tags(name, v));
            }
            return 0;
        }
    }
}
