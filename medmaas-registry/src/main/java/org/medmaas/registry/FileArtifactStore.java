package org.medmaas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import org.medmaas.core.io.Digests;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * Artifacts as files named by their SHA-256 under {@code root/ab/abcdef….zip}. A put copies to a
 * temporary file in the root, forces it to disk and renames it into place (atomic on one
 * filesystem), so readers see a whole artifact or none.
 */
public final class FileArtifactStore implements ArtifactStore {

    private static final String SUFFIX = ".zip";

    private final Path root;

    public FileArtifactStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw MedmaasException.io("Could not create the artifact store at " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String put(Path file) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(root, ".incoming-", SUFFIX);
            MessageDigest digest = Digests.newSha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            Path target = path(sha256);
            if (Files.exists(target)) {
                Files.delete(tmp);
                return sha256;
            }
            Files.createDirectories(target.getParent());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return sha256;
        } catch (IOException e) {
            throw MedmaasException.io("Could not store " + file.getFileName() + " in the artifact store: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // An abandoned temporary file is harmless: check() reports and repair() removes it.
                }
            }
        }
    }

    @Override
    public Path get(String sha256) {
        Path path = path(sha256);
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = Digests.newSha256();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            if (!HexFormat.of().formatHex(digest.digest()).equals(sha256)) {
                throw new MedmaasException(ErrorCode.INTEGRITY, "Artifact " + sha256 + " does not match its checksum:"
                        + " the store was altered. Restore it from a backup.");
            }
            return path;
        } catch (NoSuchFileException e) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "Artifact " + sha256 + " is missing from the store.");
        } catch (IOException e) {
            throw MedmaasException.io("Could not read artifact " + sha256 + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean contains(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    @Override
    public Set<String> keys() {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root, 2)) {
            files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX) && !n.startsWith("."))
                    .forEach(n -> out.add(n.substring(0, n.length() - SUFFIX.length())));
        } catch (IOException e) {
            throw MedmaasException.io("Could not list the artifact store at " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void delete(String sha256) {
        try {
            Files.deleteIfExists(path(sha256));
        } catch (IOException e) {
            throw MedmaasException.io("Could not delete artifact " + sha256 + ": " + e.getMessage(), e);
        }
    }

    private Path path(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw MedmaasException.invalid("'" + sha256 + "' is not an artifact key (64 hex digits).");
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256 + SUFFIX);
    }
}
