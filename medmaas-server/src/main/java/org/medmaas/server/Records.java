package org.medmaas.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.Table;
import org.medmaas.core.table.TableBuilder;
import org.medmaas.ml.bundle.InputField;

/**
 * Patient records sent as named JSON fields, checked against a model's inputs and turned into a
 * table. Every problem is collected (missing, unexpected or wrongly typed fields) and reported by
 * field path; values are never echoed.
 */
final class Records {

    private Records() {
    }

    /**
     * @param prefix how error paths start: "records" gives {@code records[3].age}; "record" (one
     *               record sent alone) gives {@code record.age}
     */
    static Table table(List<JsonNode> records, List<InputField> inputs, String prefix) {
        List<String> paths = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            paths.add(prefix.equals("record") ? prefix : prefix + "[" + i + "]");
        }
        return table(records, paths, inputs);
    }

    /** Records with the path each one's errors start with ({@code patients[0].visits[2]}). */
    static Table table(List<JsonNode> records, List<String> paths, List<InputField> inputs) {
        List<InvalidFields.FieldError> errors = new ArrayList<>();
        TableBuilder builder = new TableBuilder();
        Set<String> known = new HashSet<>();
        for (InputField f : inputs) {
            builder.declare(f.name(), ColumnType.fromLabel(f.type()));
            known.add(f.name());
        }
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String at = paths.get(i);
            if (!record.isObject()) {
                errors.add(new InvalidFields.FieldError(at, "must be an object of named fields"));
                continue;
            }
            for (Iterator<String> names = record.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!known.contains(name)) {
                    errors.add(new InvalidFields.FieldError(at + "." + name, "is not an input of this model"));
                }
            }
            for (InputField f : inputs) {
                JsonNode v = record.get(f.name());
                String field = at + "." + f.name();
                if (v == null) {
                    errors.add(new InvalidFields.FieldError(field, "is missing (send null for an unknown value)"));
                } else if (!v.isNull()) {
                    set(builder, f, v, field, errors);
                }
            }
            builder.endRow();
        }
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
        return builder.build();
    }

    private static void set(TableBuilder builder, InputField f, JsonNode v, String field, List<InvalidFields.FieldError> errors) {
        switch (ColumnType.fromLabel(f.type())) {
            case NUMERIC -> {
                if (v.isNumber() && Double.isFinite(v.asDouble())) {
                    double x = v.asDouble();
                    if (f.min().isPresent() && x < f.min().get() || f.max().isPresent() && x > f.max().get()) {
                        errors.add(new InvalidFields.FieldError(field, "is outside the allowed range ["
                                + f.min().map(String::valueOf).orElse("-∞") + ", " + f.max().map(String::valueOf).orElse("∞") + "]"));
                    } else {
                        builder.number(f.name(), x);
                    }
                } else {
                    errors.add(new InvalidFields.FieldError(field, "must be a finite number"));
                }
            }
            case BOOLEAN -> {
                if (v.isBoolean()) {
                    builder.number(f.name(), v.asBoolean() ? 1 : 0);
                } else {
                    errors.add(new InvalidFields.FieldError(field, "must be true or false"));
                }
            }
            case CATEGORICAL -> {
                if (v.isTextual() && !v.asText().isEmpty()) {
                    builder.text(f.name(), v.asText());
                } else {
                    errors.add(new InvalidFields.FieldError(field, "must be a non-empty string"));
                }
            }
            case DATETIME -> {
                Instant t = v.isTextual() ? instant(v.asText()) : null;
                if (t == null) {
                    errors.add(new InvalidFields.FieldError(field, "must be an ISO-8601 date or date-time"));
                } else {
                    builder.instant(f.name(), t.toEpochMilli(), v.asText().length() == 10);
                }
            }
            default -> errors.add(new InvalidFields.FieldError(field, "has a type the server cannot take (" + f.type() + ")"));
        }
    }

    private static Instant instant(String text) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
