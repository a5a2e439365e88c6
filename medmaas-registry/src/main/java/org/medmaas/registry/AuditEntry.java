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
}
