package org.medmaas.registry;

import java.nio.file.Path;
import java.util.Set;

/**
 * Where registered bundles live, addressed by the SHA-256 of their archive, so a stored artifact
 * never changes and the same bundle is stored once. The registry writes the artifact before the
 * metadata that points to it, so a crash leaves at most an unreferenced artifact (found and
 * removed by {@link ModelRegistry#check}). The filesystem store is the default; an
 * S3-compatible one can implement this interface without touching callers.
 */
public interface ArtifactStore {

    /** Stores a file's bytes atomically (all or nothing) and returns their SHA-256. */
    String put(Path file);

    /** A readable local path to a stored artifact, verified against its key. */
    Path get(String sha256);

    boolean contains(String sha256);

    Set<String> keys();

    void delete(String sha256);
}
