package org.medmaas.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.medmaas.core.error.MedmaasException;

/** File output shared by commands: written to a temporary sibling, then moved into place. */
final class Output {

    private Output() {
    }

    static void writeAtomically(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".medmaas", ".tmp");
            try {
                Files.writeString(tmp, content);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw MedmaasException.io("Could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
