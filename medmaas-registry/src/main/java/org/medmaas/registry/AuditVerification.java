package org.medmaas.registry;

import java.util.List;

/**
 * What {@code audit verify} found.
 *
 * @param entries  entries read
 * @param headSeq  the last entry's number, as the signed head records it
 * @param headHash the last entry's hash: keep it elsewhere to detect a later rollback of the whole log
 * @param problems the first problems found (altered, missing or reordered entries, a bad head), empty if the chain holds
 */
public record AuditVerification(long entries, long headSeq, String headHash, List<String> problems) {

    public AuditVerification {
        problems = List.copyOf(problems);
    }

    public boolean intact() {
        return problems.isEmpty();
    }
}
