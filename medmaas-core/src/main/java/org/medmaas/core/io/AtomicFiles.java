package org.medmaas.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.medmaas.core.error.MedmaasException;

/**
 * Writes files so that readers see the old content or the whole new content, never a part:
 * the content goes to a temporary sibling that is then moved over the target.
 */
public final class AtomicFiles {

    /** Writes content to a {@link Writer}. */
    @FunctionalInterface
    public interface WriterAction {
        void writeTo(Writer out) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void writeString(Path file, String content) {
        write(file, out -> out.write(content));
    }

    public static void write(Path file, WriterAction action) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
            try {
                try (Writer out = Files.newBufferedWriter(tmp)) {
                    action.writeTo(out);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | UncheckedIOException e) {
            throw MedmaasException.io("Could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
