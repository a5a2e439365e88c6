package org.medmaas.data.cohort;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.data.clinical.CodeSystem;

/**
 * A cohort definition, read from YAML: who is in the cohort at an index date, which features
 * describe them from a look-back window before it, and which outcome in a prediction window after
 * it is the target. The built-in specs ({@link #BUILT_IN}) are examples; docs/data.md lists every field.
 */
public record CohortSpec(
        String name,
        Optional<String> description,
        Optional<Unit> unit,
        @JsonProperty("index_date") Optional<LocalDate> indexDate,
        @JsonProperty("encounter_classes") Optional<List<String>> encounterClasses,
        @JsonProperty("lookback_days") int lookbackDays,
        @JsonProperty("prediction_window_days") int predictionWindowDays,
        @JsonProperty("target_window_start_days") Optional<Integer> targetWindowStartDays,
        @JsonProperty("min_age") Optional<Double> minAge,
        @JsonProperty("max_age") Optional<Double> maxAge,
        @JsonProperty("require_encounter_in_lookback") Optional<Boolean> requireEncounterInLookback,
        @JsonProperty("exclude_prior_target") Optional<Boolean> excludePriorTarget,
        Optional<List<ObservationFeature>> observations,
        Optional<List<FlagFeature>> conditions,
        Optional<List<FlagFeature>> medications,
        Target target) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private static final java.util.List<String> TOP_LEVEL_KEYS = List.of("name", "description", "unit", "index_date",
            "encounter_classes", "lookback_days", "prediction_window_days", "target_window_start_days", "min_age", "max_age",
            "require_encounter_in_lookback", "exclude_prior_target", "observations", "conditions", "medications",
            "target");

    /**
     * PATIENT: one row per patient at the calendar {@code index_date}. ENCOUNTER: one row per
     * encounter (optionally only of {@code encounter_classes}), indexed at its start — the unit
     * for admission-level questions and for sources with shifted dates such as MIMIC-III.
     */
    public enum Unit { PATIENT, ENCOUNTER }

    /** Aggregations of an observation's numeric values within the look-back window. */
    public enum Aggregation { LATEST, MEAN, MIN, MAX, COUNT, SLOPE }

    /** Codes of one system; a trailing {@code *} matches a prefix (ICD codes compare without dots). */
    public record CodeSet(String system, List<String> codes) {
        public CodeSet {
            if (system == null || CodeSystem.parse(system).isEmpty()) {
                throw MedmaasException.invalid("Unknown code system '" + system
                        + "'. Use SNOMED, ICD10, ICD9, LOINC, RXNORM, NDC or CVX.");
            }
            if (codes == null || codes.isEmpty()) {
                throw MedmaasException.invalid("A code set for " + system + " lists no codes.");
            }
            codes = List.copyOf(codes);
        }

        public CodeSystem codeSystem() {
            return CodeSystem.parse(system).orElseThrow();
        }
    }

    public record ObservationFeature(String name, List<CodeSet> codes, List<String> aggregations) {
        public ObservationFeature {
            requireName(name, "observation feature");
            requireCodes(codes, name);
            aggregations = aggregations == null || aggregations.isEmpty() ? List.of("latest") : List.copyOf(aggregations);
            aggregations.forEach(a -> aggregation(a, name));
        }

        public List<Aggregation> parsedAggregations() {
            return aggregations.stream().map(a -> aggregation(a, name)).toList();
        }
    }

    public record FlagFeature(String name, List<CodeSet> codes) {
        public FlagFeature {
            requireName(name, "flag feature");
            requireCodes(codes, name);
        }
    }

    public record Target(String name, List<CodeSet> codes) {
        public Target {
            requireName(name, "target");
            requireCodes(codes, name);
        }
    }

    public CohortSpec {
        requireName(name, "cohort");
        unit = unit == null ? Optional.empty() : unit;
        targetWindowStartDays = targetWindowStartDays == null ? Optional.empty() : targetWindowStartDays;
        if (targetWindowStartDays.orElse(0) >= predictionWindowDays) {
            throw MedmaasException.invalid("cohort '" + name + "': 'target_window_start_days' must be below"
                    + " 'prediction_window_days'.");
        }
        indexDate = indexDate == null ? Optional.empty() : indexDate;
        encounterClasses = Optional.of(List.copyOf(encounterClasses == null ? List.of() : encounterClasses.orElse(List.of())));
        if (unit.orElse(Unit.PATIENT) == Unit.PATIENT && indexDate.isEmpty()) {
            throw MedmaasException.invalid("cohort '" + name + "': 'index_date' (YYYY-MM-DD) is required for"
                    + " unit: patient. Or use unit: encounter to index each encounter at its start.");
        }
        if (unit.orElse(Unit.PATIENT) == Unit.ENCOUNTER && indexDate.isPresent()) {
            throw MedmaasException.invalid("cohort '" + name + "': unit: encounter indexes each encounter at its"
                    + " start, so 'index_date' does not apply. Remove it.");
        }
        if (lookbackDays <= 0 || predictionWindowDays <= 0) {
            throw MedmaasException.invalid("Cohort spec '" + name
                    + "': 'lookback_days' and 'prediction_window_days' must be positive.");
        }
        if (target == null) {
            throw MedmaasException.invalid("cohort '" + name + "': 'target' is required.");
        }
        description = description == null ? Optional.empty() : description;
        minAge = minAge == null ? Optional.empty() : minAge;
        maxAge = maxAge == null ? Optional.empty() : maxAge;
        requireEncounterInLookback = requireEncounterInLookback == null ? Optional.empty() : requireEncounterInLookback;
        excludePriorTarget = excludePriorTarget == null ? Optional.empty() : excludePriorTarget;
        observations = Optional.of(List.copyOf(observations == null ? List.of() : observations.orElse(List.of())));
        conditions = Optional.of(List.copyOf(conditions == null ? List.of() : conditions.orElse(List.of())));
        medications = Optional.of(List.copyOf(medications == null ? List.of() : medications.orElse(List.of())));
    }

    private static void requireName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw MedmaasException.invalid("The " + what + " name '" + name
                    + "' must start with a letter and hold only letters, digits and underscores.");
        }
    }

    private static void requireCodes(List<CodeSet> codes, String name) {
        if (codes == null || codes.isEmpty()) {
            throw MedmaasException.invalid("'" + name + "' lists no codes.");
        }
    }

    private static Aggregation aggregation(String a, String feature) {
        try {
            return Aggregation.valueOf(a.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MedmaasException.invalid("Observation feature '" + feature + "': unknown aggregation '" + a
                    + "'. Use latest, mean, min, max, count or slope.");
        }
    }

    public Unit unitOrDefault() {
        return unit.orElse(Unit.PATIENT);
    }

    public boolean requiresEncounterInLookback() {
        return requireEncounterInLookback.orElse(true);
    }

    public boolean excludesPriorTarget() {
        return excludePriorTarget.orElse(true);
    }

    /** The specs shipped inside MedMaaS, usable by name (e.g. {@code --spec type2-diabetes}). */
    public static final List<String> BUILT_IN = List.of("hypertension-diagnosis", "type2-diabetes", "hypertension",
            "heart-failure",
            "mimic-acute-kidney-injury");

    /** A spec file, or the name of a built-in spec when no such file exists. */
    public static CohortSpec resolve(String fileOrName) {
        Path file = Path.of(fileOrName);
        if (Files.exists(file)) {
            return read(file);
        }
        String name = fileOrName.endsWith(".yaml") ? fileOrName.substring(0, fileOrName.length() - 5) : fileOrName;
        if (BUILT_IN.contains(name)) {
            return builtIn(name);
        }
        throw MedmaasException.notFound("Cohort spec " + fileOrName + " does not exist, and it is not a built-in spec ("
                + String.join(", ", BUILT_IN) + ").");
    }

    public static CohortSpec builtIn(String name) {
        try (var in = CohortSpec.class.getResourceAsStream("specs/" + name + ".yaml")) {
            if (in == null) {
                throw MedmaasException.notFound("No built-in cohort spec '" + name + "'. Built-in: "
                        + String.join(", ", BUILT_IN) + ".");
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "built-in " + name);
        } catch (IOException e) {
            throw MedmaasException.io("Could not read the built-in spec " + name, e);
        }
    }

    /** The YAML text of a built-in spec, to show users or copy as a starting point. */
    public static String builtInText(String name) {
        try (var in = CohortSpec.class.getResourceAsStream("specs/" + name + ".yaml")) {
            if (in == null) {
                throw MedmaasException.notFound("No built-in cohort spec '" + name + "'.");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw MedmaasException.io("Could not read the built-in spec " + name, e);
        }
    }

    public static CohortSpec read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw MedmaasException.notFound("Cohort spec " + file + " does not exist.");
        } catch (IOException e) {
            throw MedmaasException.io("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    public static CohortSpec parse(String yaml, String source) {
        YAMLMapper mapper = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS).build();
        mapper.registerModule(new Jdk8Module());
        mapper.registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
        try {
            com.fasterxml.jackson.databind.JsonNode root = mapper.readTree(yaml);
            if (root == null || !root.isObject()) {
                throw MedmaasException.invalid("Cohort spec " + source + " must be a YAML mapping (name, index_date, …).");
            }
            // Unknown keys first: a misspelt key would otherwise surface as a confusing missing value.
            for (java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> field : root.properties()) {
                if (!TOP_LEVEL_KEYS.contains(field.getKey())) {
                    throw MedmaasException.invalid("Cohort spec " + source + ": unknown field '" + field.getKey()
                            + "'. Known fields: " + String.join(", ", TOP_LEVEL_KEYS) + ".");
                }
            }
            return mapper.treeToValue(root, CohortSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw MedmaasException.invalid("Cohort spec " + source + ": unknown field '" + e.getPropertyName()
                    + "' (line " + e.getLocation().getLineNr() + ").");
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable cause = e.getCause();
            throw MedmaasException.invalid("Cohort spec " + source + ": "
                    + (cause instanceof MedmaasException m ? m.getMessage() : e.getOriginalMessage()));
        } catch (IOException e) {
            String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw MedmaasException.invalid("Cohort spec " + source + " is not valid: " + message);
        }
    }
}
