package org.medmaas.registry;

import java.time.Instant;
import java.util.Optional;
import org.medmaas.core.error.MedmaasException;

/**
 * Which audit entries to read: those after {@code afterSeq} (for paging), within a time window and
 * matching the given actor, action and resource, at most {@code limit} (1–1,000).
 */
public record AuditQuery(long afterSeq, Optional<Instant> from, Optional<Instant> to, Optional<String> actor,
        Optional<String> action, Optional<String> resource, int limit) {

    public AuditQuery {
        if (afterSeq < 0) {
            throw MedmaasException.invalid("'after' must be 0 or more.");
        }
        if (limit < 1 || limit > 1000) {
            throw MedmaasException.invalid("'limit' must be between 1 and 1000.");
        }
    }

    /** The first {@code limit} entries. */
    public static AuditQuery first(int limit) {
        return new AuditQuery(0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }
}
