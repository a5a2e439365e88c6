package org.medmaas.registry;

import java.util.Locale;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;

/** A model version's lifecycle: registered → staged → production → archived (archived is final). */
public enum Stage {
    REGISTERED, STAGED, PRODUCTION, ARCHIVED;

    /** Whether a version in this stage may move to {@code next}. */
    public boolean mayMoveTo(Stage next) {
        return switch (this) {
            case REGISTERED -> Set.of(STAGED, ARCHIVED).contains(next);
            case STAGED -> Set.of(PRODUCTION, REGISTERED, ARCHIVED).contains(next);
            case PRODUCTION -> Set.of(STAGED, ARCHIVED).contains(next);
            case ARCHIVED -> false;
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Stage parse(String label) {
        try {
            return valueOf(label.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MedmaasException.invalid("Unknown stage '" + label + "'. Use registered, staged, production or archived.");
        }
    }
}
