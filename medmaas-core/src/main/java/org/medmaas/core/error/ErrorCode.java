package org.medmaas.core.error;

/**
 * Stable kinds of failure. Adapters map each to one outcome (an HTTP status, a CLI exit code)
 * in one place; the names never change once released.
 */
public enum ErrorCode {
    /** The caller sent something malformed or out of range; fixing the input fixes the call. */
    INVALID_INPUT(2),
    /** A named thing (file, column, model) does not exist. */
    NOT_FOUND(3),
    /** The request contradicts the current state (a duplicate name, a version that exists). */
    CONFLICT(4),
    /** Stored data failed a check (checksum, format version, broken chain). */
    INTEGRITY(5),
    /** The caller may not do this. */
    FORBIDDEN(6),
    /** An I/O or environment problem outside the caller's input. */
    IO(7),
    /** The work did not finish within its time limit; retrying later, or with less, may succeed. */
    TIMEOUT(8),
    /** The caller sent no credentials, or credentials that are unknown, revoked or expired. */
    UNAUTHENTICATED(9),
    /** The caller sent more requests than its limit allows; retrying after a pause succeeds. */
    RATE_LIMITED(10),
    /** The request stopped arriving before its end (a body cut short or too slow). */
    INCOMPLETE_REQUEST(11),
    /** The body is in a format the call does not take (its Content-Type). */
    UNSUPPORTED_MEDIA_TYPE(12),
    /** The body is larger than the server takes. */
    PAYLOAD_TOO_LARGE(13),
    /** A bug: something we did not expect. */
    INTERNAL(70);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The process exit code the CLI uses for this kind of failure. */
    public int exitCode() {
        return exitCode;
    }
}
