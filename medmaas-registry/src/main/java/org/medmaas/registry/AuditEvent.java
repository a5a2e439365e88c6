package org.medmaas.registry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * Something the audit log records: who did what to which resource, with what outcome. Never a
 * patient value: predictions are recorded by the SHA-256 of their input, and {@code details}
 * holds field names, counts and codes only.
 *
 * @param at            when it happened (kept to the millisecond)
 * @param actor         who: an API key's id and owner, a token's subject, or the CLI's OS user
 * @param action        what, as a stable dotted name ("predict", "model.register", "auth.denied")
 * @param resource      on what ("sepsis@2", "key:1a2b3c4d"); empty when nothing in particular
 * @param outcome       "ok" or the failure's kind ("invalid_input", "forbidden", …)
 * @param requestId     the HTTP request's id, empty outside a request
 * @param inputSha256   the SHA-256 of the request body for predictions, empty otherwise
 * @param latencyMicros how long it took, 0 when not measured
 * @param details       a short note without patient data (at most 2,000 characters)
 */
public record AuditEvent(Instant at, String actor, String action, String resource, String outcome, String requestId,
        String inputSha256, long latencyMicros, String details) {

    public AuditEvent {
        at = at.truncatedTo(ChronoUnit.MILLIS);
        require("actor", actor, 128);
        require("action", action, 64);
        require("resource", resource, 200);
        require("outcome", outcome, 32);
        require("requestId", requestId, 64);
        require("inputSha256", inputSha256, 64);
        if (details.length() > 2000) {
            details = details.substring(0, 1997) + "…";
        }
    }

    /** An event now, outside an HTTP request (the CLI, the registry itself). */
    public static AuditEvent of(String actor, String action, String resource, String outcome, String details) {
        return new AuditEvent(Instant.now(), actor, action, resource, outcome, "", "", 0, details);
    }

    private static void require(String field, String value, int max) {
        if (value.length() > max) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Audit field '" + field + "' is longer than " + max + " characters.");
        }
    }
}
