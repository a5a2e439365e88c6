package org.medmaas.data.records;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.medmaas.core.error.InvalidFields;
import org.medmaas.core.error.InvalidFields.FieldError;
import org.medmaas.core.serving.FieldWarning;
import org.medmaas.core.serving.InputField;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.Table;
import org.medmaas.core.table.TableBuilder;

/**
 * The one boundary where records sent as named JSON fields become a table, for the server's
 * service routes, the Open Inference Protocol and the CLI alike. The rule, in docs/api.md:
 * <ul>
 *   <li>a record is an object; a field that is not an input of the model is refused (counted, not
 *       named: a client's field names may carry identifiers);</li>
 *   <li>an absent field and {@code null} both mean "not known" (a missing value, which the model's
 *       preprocessing imputes);</li>
 *   <li>numbers are finite JSON numbers within the declared range; booleans are {@code true} or
 *       {@code false}; categories are non-empty strings among those the model was trained on;
 *       dates are ISO-8601 ({@code 2024-03-01} or {@code 2024-03-01T08:30:00Z});</li>
 *   <li>a number outside the range seen in training is taken, with a warning naming the field.</li>
 * </ul>
 * Every problem of every record is collected and reported by field path; values are never echoed.
 */
public final class JsonRecords {

    private JsonRecords() {
    }

    /** Rows and the warnings raised while reading them. */
    public record Result(Table table, List<FieldWarning> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param prefix how error paths start: "records" gives {@code records[3].age}; "record" (one
     *               record sent alone) gives {@code record.age}
     */
    public static Result read(List<JsonNode> records, List<InputField> inputs, String prefix) {
        return new Reader(inputs).read(records, prefix);
    }

    /** Records with the path each one's problems start with ({@code patients[0].visits[2]}). */
    public static Result read(List<JsonNode> records, List<String> paths, List<InputField> inputs) {
        return new Reader(inputs).read(records, paths);
    }

    /**
     * Reads records for one model's inputs; the lookups are built once, for a server that reads
     * every request's records with the same model.
     */
    public static final class Reader {

        private final List<InputField> inputs;
        private final Map<String, InputField> known = new HashMap<>();
        private final Map<String, Set<String>> levels = new HashMap<>();

        public Reader(List<InputField> inputs) {
            this.inputs = List.copyOf(inputs);
            for (InputField f : this.inputs) {
                known.put(f.name(), f);
                if (!f.levels().isEmpty()) {
                    levels.put(f.name(), Set.copyOf(f.levels()));
                }
            }
        }

        /** See {@link JsonRecords#read(List, List, String)}. */
        public Result read(List<JsonNode> records, String prefix) {
            List<String> paths = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                paths.add(prefix.equals("record") ? prefix : prefix + "[" + i + "]");
            }
            return read(records, paths);
        }

        /** See {@link JsonRecords#read(List, List, List)}. */
        public Result read(List<JsonNode> records, List<String> paths) {
            List<FieldError> errors = new ArrayList<>();
            List<FieldWarning> warnings = new ArrayList<>();
            TableBuilder builder = new TableBuilder();
            for (InputField f : inputs) {
                builder.declare(f.name(), ColumnType.fromLabel(f.type()));
            }
            for (int i = 0; i < records.size(); i++) {
                JsonNode record = records.get(i);
                String at = paths.get(i);
                if (record == null || !record.isObject()) {
                    errors.add(new FieldError(at, "must be an object of named fields"));
                    continue;
                }
                // A field the model does not take is counted, not named: a client's field names can
                // themselves carry identifiers (a name, a record number), and are not echoed.
                int unknown = 0;
                for (Iterator<String> names = record.fieldNames(); names.hasNext();) {
                    if (!known.containsKey(names.next())) {
                        unknown++;
                    }
                }
                if (unknown > 0) {
                    errors.add(new FieldError(at, "has " + unknown + (unknown == 1 ? " field that is not an input" : " fields that are not"
                            + " inputs") + " of this model"));
                }
                for (InputField f : inputs) {
                    JsonNode v = record.get(f.name());
                    if (v != null && !v.isNull()) {
                        set(builder, f, levels.get(f.name()), v, at, errors, warnings);
                    }
                }
                builder.endRow();
            }
            if (!errors.isEmpty()) {
                throw new InvalidFields(errors);
            }
            return new Result(builder.build(), warnings);
        }
    }

    /** {@code at}: the record's path; a field's path ({@code at.name}) is built only for a problem. */
    private static void set(TableBuilder builder, InputField f, Set<String> levels, JsonNode v, String at,
            List<FieldError> errors, List<FieldWarning> warnings) {
        switch (ColumnType.fromLabel(f.type())) {
            case NUMERIC -> {
                if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                    errors.add(new FieldError(at + "." + f.name(), "must be a finite number"));
                    return;
                }
                double x = v.asDouble();
                if (f.min().isPresent() && x < f.min().get() || f.max().isPresent() && x > f.max().get()) {
                    errors.add(new FieldError(at + "." + f.name(), "is outside the allowed range ["
                            + f.min().map(String::valueOf).orElse("-∞") + ", " + f.max().map(String::valueOf).orElse("∞") + "]"));
                    return;
                }
                if (f.implausible(x)) {
                    errors.add(new FieldError(at + "." + f.name(), IMPLAUSIBLE));
                    return;
                }
                outsideTraining(f, x).ifPresent(w -> warnings.add(new FieldWarning(at + "." + f.name(), w)));
                builder.number(f.name(), x);
            }
            case BOOLEAN -> {
                if (v.isBoolean()) {
                    builder.number(f.name(), v.asBoolean() ? 1 : 0);
                } else {
                    errors.add(new FieldError(at + "." + f.name(), "must be true or false"));
                }
            }
            case CATEGORICAL -> {
                if (!v.isTextual() || v.asText().isEmpty()) {
                    errors.add(new FieldError(at + "." + f.name(), "must be a non-empty string"));
                } else if (levels != null && !levels.contains(v.asText())) {
                    errors.add(new FieldError(at + "." + f.name(), unknownCategory(f)));
                } else {
                    builder.text(f.name(), v.asText());
                }
            }
            case DATETIME -> {
                Optional<Instant> t = v.isTextual() ? instant(v.asText()) : Optional.empty();
                if (t.isEmpty()) {
                    errors.add(new FieldError(at + "." + f.name(), "must be an ISO-8601 date (2024-03-01) or date-time (2024-03-01T08:30:00Z)"));
                } else {
                    builder.instant(f.name(), t.get().toEpochMilli(), v.asText().length() == 10);
                }
            }
            default -> errors.add(new FieldError(at + "." + f.name(), "has a type that cannot be sent as JSON (" + f.type() + ")"));
        }
    }

    /**
     * The problem with a category the model was not trained on: its preprocessing would encode it
     * as no category at all, so the answer would be about a patient who does not exist. The known
     * categories are not listed: they come from patients' data, and a rare one could single one out
     * (its owner finds them in the bundle's manifest).
     */
    public static String unknownCategory(InputField f) {
        return "is a category the model was not trained on (it knows " + f.levels().size() + "; check spelling and coding)";
    }

    /** Why a number was refused as implausible (the training range itself is not shown: it comes from patients). */
    public static final String IMPLAUSIBLE = "is implausible for this model: far outside the values seen in training (or"
            + " negative where training never was); check its unit and coding. The model's owner sets how far is too far"
            + " (train --input-tolerance).";

    /**
     * Refuses a table (read from CSV) in which numbers are implausible for the model, naming each
     * column and how many rows, never a value or a row.
     */
    public static void refuseImplausible(Table table, List<InputField> inputs) {
        List<FieldError> errors = new ArrayList<>();
        for (InputField f : inputs) {
            if (!table.has(f.name()) || !(table.column(f.name()) instanceof org.medmaas.core.table.NumericColumn c)) {
                continue;
            }
            int rows = 0;
            for (int i = 0; i < c.size(); i++) {
                rows += !c.isMissing(i) && f.implausible(c.get(i)) ? 1 : 0;
            }
            if (rows > 0) {
                errors.add(new FieldError(f.name(), rows + " row(s) " + IMPLAUSIBLE));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
    }

    /** A warning when a number lies outside the range seen in training; the range itself is not shown. */
    public static Optional<String> outsideTraining(InputField f, double x) {
        if (f.observedMin().isPresent() && x < f.observedMin().get()) {
            return Optional.of("is below the smallest value seen in training; the prediction extrapolates");
        }
        if (f.observedMax().isPresent() && x > f.observedMax().get()) {
            return Optional.of("is above the largest value seen in training; the prediction extrapolates");
        }
        return Optional.empty();
    }

    /**
     * The same training-range rule for a table read from CSV: one warning per numeric column with
     * values outside what training saw, counting the rows (never showing a value or a row).
     */
    public static List<FieldWarning> outsideTraining(Table table, List<InputField> inputs) {
        List<FieldWarning> out = new ArrayList<>();
        for (InputField f : inputs) {
            if (!table.has(f.name()) || !(table.column(f.name()) instanceof org.medmaas.core.table.NumericColumn c)) {
                continue;
            }
            int below = 0;
            int above = 0;
            for (int i = 0; i < c.size(); i++) {
                if (!c.isMissing(i)) {
                    below += f.observedMin().isPresent() && c.get(i) < f.observedMin().get() ? 1 : 0;
                    above += f.observedMax().isPresent() && c.get(i) > f.observedMax().get() ? 1 : 0;
                }
            }
            if (below + above > 0) {
                out.add(new FieldWarning(f.name(), (above > 0 ? above + " row(s) above the largest value seen in training" : "")
                        + (above > 0 && below > 0 ? " and " : "")
                        + (below > 0 ? below + " row(s) below the smallest" : "") + "; their predictions extrapolate"));
            }
        }
        return out;
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
