package org.medmaas.registry;

import java.util.Arrays;
import java.util.Locale;
import org.medmaas.core.error.MedmaasException;

/**
 * What a caller may do. The server's route table says which roles each route admits (deny by
 * default); these are the roles it knows.
 */
public enum Role {
    /** Everything, including keys and backups. */
    ADMIN,
    /** Register, alias, stage and archive models, read cards; predict. */
    MODELER,
    /** Predict and read model metadata. */
    PREDICTOR,
    /** Read and verify the audit log; read model metadata. */
    AUDITOR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        return Arrays.stream(values()).filter(r -> r.label().equals(text)).findFirst()
                .orElseThrow(() -> MedmaasException.invalid("Unknown role '" + text + "': use admin, modeler, predictor or auditor."));
    }
}
