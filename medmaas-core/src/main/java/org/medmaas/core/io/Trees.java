package org.medmaas.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.medmaas.core.error.MedmaasException;

/** Folder trees on disk: deleting a temporary or half-written one. */
public final class Trees {

    private Trees() {
    }

    /** Deletes {@code dir} and everything under it (nothing if it does not exist). */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw MedmaasException.io("Could not delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Like {@link #delete}, for clean-up that must not hide the error that caused it: failures are ignored. */
    public static void deleteQuietly(Path dir) {
        try {
            delete(dir);
        } catch (MedmaasException e) {
            // a leftover temporary folder is harmless; the caller's own outcome matters more
        }
    }
}
