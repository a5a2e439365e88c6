package org.medmaas.server.http;

/**
 * What a handler answers, before it is audited and sent: the response, and what the audit log
 * records about the call.
 *
 * @param status      HTTP status
 * @param contentType the body's media type
 * @param body        the body
 * @param audit       what to record; the entry is durable before the response is sent
 */
public record Reply(int status, String contentType, byte[] body, AuditNote audit) {

    public static final String JSON = "application/json";

    public static Reply json(int status, byte[] body, AuditNote audit) {
        return new Reply(status, JSON, body, audit);
    }

    /**
     * The audit facts a handler knows: the action, the resource (a model and version), the input's
     * SHA-256 for predictions, a note without patient data, and the outcome when the status alone
     * does not tell it (empty: derived from the status); and, for refusals a client can repeat at
     * will, the source whose repeats are counted rather than written one by one (see
     * {@link RefusalAudit}; empty: written as itself).
     */
    public record AuditNote(String action, String resource, String inputSha256, String details, String outcome,
            String countedPer) {

        public AuditNote(String action, String resource, String inputSha256, String details, String outcome) {
            this(action, resource, inputSha256, details, outcome, "");
        }

        public AuditNote(String action, String resource, String inputSha256, String details) {
            this(action, resource, inputSha256, details, "");
        }

        /** This note, with repeats from {@code source} in one window counted into one entry. */
        public AuditNote countedPer(String source) {
            return new AuditNote(action, resource, inputSha256, details, outcome, source);
        }

        public static AuditNote of(String action, String resource) {
            return new AuditNote(action, resource, "", "");
        }

        /** A call that is not audited (health, metrics, the API description). */
        public static final AuditNote NONE = new AuditNote("", "", "", "");

        public AuditNote withDetails(String text) {
            return new AuditNote(action, resource, inputSha256, text, outcome, countedPer);
        }

        public boolean recorded() {
            return !action.isEmpty();
        }
    }
}
