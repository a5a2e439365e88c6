package org.medmaas.core.error;

import java.util.List;

/**
 * Input that does not fit, field by field: each problem names a field (a path such as
 * {@code records[0].age}) and what is wrong with it, never the value sent. The server answers it
 * with one entry per field; the CLI prints them.
 */
public final class InvalidFields extends MedmaasException {

    private static final long serialVersionUID = 1L;

    /** One field's problem. */
    public record FieldError(String field, String problem) {
    }

    private final transient List<FieldError> errors;
    private final boolean malformed;

    public InvalidFields(List<FieldError> errors) {
        this(errors, false);
    }

    private InvalidFields(List<FieldError> errors, boolean malformed) {
        super(ErrorCode.INVALID_INPUT, errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).problem()
                : errors.size() + " fields do not fit: " + String.join("; ",
                        errors.stream().limit(10).map(e -> e.field() + ": " + e.problem()).toList()));
        this.errors = List.copyOf(errors);
        this.malformed = malformed;
    }

    /** A body that is not the JSON the route takes at all (HTTP 400 rather than 422). */
    public static InvalidFields malformed(String field, String problem) {
        return new InvalidFields(List.of(new FieldError(field, problem)), true);
    }

    public List<FieldError> errors() {
        return errors;
    }

    public boolean malformed() {
        return malformed;
    }
}
