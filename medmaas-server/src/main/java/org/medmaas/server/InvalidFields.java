package org.medmaas.server;

import java.util.List;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * Input that does not fit, field by field: each problem names a field (a JSON pointer-like path
 * such as {@code records[0].age}) and what is wrong with it, never the value sent.
 */
final class InvalidFields extends MedmaasException {

    private static final long serialVersionUID = 1L;

    record FieldError(String field, String problem) {
    }

    private final transient List<FieldError> errors;
    private final boolean malformed;

    InvalidFields(List<FieldError> errors) {
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
    static InvalidFields malformed(String field, String problem) {
        return new InvalidFields(List.of(new FieldError(field, problem)), true);
    }

    List<FieldError> errors() {
        return errors;
    }

    boolean malformed() {
        return malformed;
    }
}
