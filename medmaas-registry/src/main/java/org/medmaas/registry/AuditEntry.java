package org.medmaas.registry;

/**
 * An event as the audit log holds it: numbered without gaps and chained to the entry before.
 *
 * @param seq       1, 2, … in the order written
 * @param event     what was recorded
 * @param prevHash  the previous entry's hash (64 zeros before the first)
 * @param entryHash HMAC-SHA256 over {@code prevHash} and this entry's fields, hex
 */
public record AuditEntry(long seq, AuditEvent event, String prevHash, String entryHash) {

    /** The entry as named fields, in a fixed order: what export files and the audit API hold. */
    public java.util.Map<String, Object> fields() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("seq", seq);
        m.put("at", event.at().toString());
        m.put("actor", event.actor());
        m.put("action", event.action());
        m.put("resource", event.resource());
        m.put("outcome", event.outcome());
        m.put("request_id", event.requestId());
        m.put("input_sha256", event.inputSha256());
        m.put("latency_us", event.latencyMicros());
        m.put("details", event.details());
        m.put("prev_hash", prevHash);
        m.put("hash", entryHash);
        return m;
    }
}
