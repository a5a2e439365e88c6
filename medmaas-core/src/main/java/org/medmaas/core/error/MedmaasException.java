package org.medmaas.core.error;

import java.util.Objects;

/**
 * The one unchecked root of every MedMaaS failure.
 *
 * <p>Messages are shown to users and written to logs, so they name files, rows, columns and
 * fields, and say what to do; they never contain patient values. Code that builds a message
 * from data must go through {@link SafeText} to decide what it may reveal.
 */
public class MedmaasException extends RuntimeException {

    // Throwable is Serializable, so lint asks for this; MedMaaS itself never serializes objects.
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public MedmaasException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public MedmaasException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    public static MedmaasException invalid(String message) {
        return new MedmaasException(ErrorCode.INVALID_INPUT, message);
    }

    public static MedmaasException notFound(String message) {
        return new MedmaasException(ErrorCode.NOT_FOUND, message);
    }

    public static MedmaasException io(String message, Throwable cause) {
        return new MedmaasException(ErrorCode.IO, message, cause);
    }
}
