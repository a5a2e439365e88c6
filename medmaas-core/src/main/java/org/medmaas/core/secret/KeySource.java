package org.medmaas.core.secret;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * Where the registry's secrets come from: one place, so that what protects the audit log, the API
 * key records and the embedded database's password (and, later, encryption at rest) is found,
 * created and permission-checked the same way. A secret named {@code audit.key} comes from, in
 * order:
 * <ol>
 * <li>the environment variable {@code MEDMAAS_AUDIT_KEY} holding its 64 hex digits (for
 * containers whose secret store injects variables);</li>
 * <li>the file named by {@code MEDMAAS_AUDIT_KEY_FILE} (every replica of a shared registry points
 * at the same one);</li>
 * <li>the file {@code audit.key} in the registry's home, created with 32 random bytes and
 * owner-only permissions (0600) when the caller allows it.</li>
 * </ol>
 * A secret is 32 bytes, written as 64 hex digits. Never logged, never in an error message.
 */
public final class KeySource {

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path home;
    private final Map<String, String> environment;

    private KeySource(Path home, Map<String, String> environment) {
        this.home = home;
        this.environment = environment;
    }

    /** Secrets for the registry at {@code home}, with the process's environment. */
    public static KeySource of(Path home) {
        return new KeySource(home, System.getenv());
    }

    /** As {@link #of(Path)}, with a given environment (tests, tools). */
    public static KeySource of(Path home, Map<String, String> environment) {
        return new KeySource(home, Map.copyOf(environment));
    }

    /** The environment variable that holds the secret itself ({@code audit.key} → {@code MEDMAAS_AUDIT_KEY}). */
    public static String variable(String name) {
        return "MEDMAAS_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
    }

    /** Where the secret is or would be kept as a file: the {@code …_FILE} variable's path, else a file in the home. */
    public Path location(String name) {
        String configured = environment.get(variable(name) + "_FILE");
        return configured == null || configured.isBlank() ? home.resolve(name) : Path.of(configured);
    }

    /** The secret, if it exists (in the environment or its file). */
    public Optional<byte[]> find(String name) {
        String value = environment.get(variable(name));
        if (value != null && !value.isBlank()) {
            return Optional.of(parse(value, "The environment variable " + variable(name)));
        }
        Path file = location(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(Files.readString(file, StandardCharsets.US_ASCII), "The secret file " + file));
        } catch (IOException e) {
            throw MedmaasException.io("Could not read the secret file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The secret, created in its file if it does not exist yet: written owner-only from the start
     * (never readable by others, even for a moment), synced to disk and linked into place without
     * replacing anything, so a crash leaves the whole secret or none and two processes creating it
     * agree on one.
     */
    public byte[] findOrCreate(String name) {
        Optional<byte[]> found = find(name);
        if (found.isPresent()) {
            return found.get();
        }
        Path file = location(name).toAbsolutePath();
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        Path dir = file.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            try {
                tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp"); // not POSIX: the folder's ACL protects it
            }
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(HEX.formatHex(fresh).getBytes(StandardCharsets.US_ASCII)));
                out.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                return find(name).orElseThrow(); // another process created it first
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                // No hard links on this file system (vfat, some network mounts): a move that
                // refuses to replace an existing file instead.
                try {
                    Files.move(tmp, file);
                } catch (FileAlreadyExistsException raced) {
                    return find(name).orElseThrow();
                }
            }
            syncFolder(dir);
            return fresh;
        } catch (IOException e) {
            throw MedmaasException.io("Could not create the secret file " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a leftover temporary copy in an owner-only file; the next start ignores it
                }
            }
        }
    }

    /** Makes a new entry in a folder durable (Linux: fsync of the folder); best effort elsewhere. */
    private static void syncFolder(Path dir) {
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot sync a folder; the file itself is synced
        }
    }

    /**
     * A key for one purpose derived from a secret (HMAC-SHA256 of the purpose under it), so one
     * kept secret can protect several things without one use revealing another's key.
     */
    public static byte[] derive(byte[] secret, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "HMAC-SHA256 is not available in this JDK.", e);
        }
    }

    /** Makes a file or folder readable and writable by its owner only (0600, folders 0700); a no-op off POSIX. */
    public static void ownerOnly(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's access control list protects it
        }
    }

    private static byte[] parse(String text, String where) {
        String hex = text.strip();
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new MedmaasException(ErrorCode.INTEGRITY, where + " does not hold a secret of 64 hex digits.");
        }
        return HEX.parseHex(hex.toLowerCase(Locale.ROOT));
    }
}
