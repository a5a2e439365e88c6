package org.medmaas.registry;

import org.medmaas.core.json.Json;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.medmaas.core.io.Digests;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * A registry backup: one zip holding {@code registry.json} (every metadata row, read in one
 * transaction, so the snapshot is consistent), the artifacts those rows point to (immutable and
 * content-addressed, so copying them after the read is safe while registrations go on) and
 * {@code checksums.sha256} over all of it. The format is the same whatever database the registry
 * runs on. Restoring verifies every checksum before it writes anything, into an empty home only.
 */
public final class RegistryBackup {

    public static final String FORMAT = "medmaas-registry-backup";
    /** 2: API key records carry their seal (version 1 backups are still read; their keys come back revoked). */
    public static final int VERSION = 2;
    static final int SEALED_KEYS_VERSION = 2;
    static final String METADATA = "registry.json";
    static final String CHECKSUMS = "checksums.sha256";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = Json.PRETTY;

    /** Every metadata row, by table; values as JDBC returned them, timestamps as ISO-8601 text. */
    record Snapshot(String format, int version, String createdAt, Map<String, List<Map<String, Object>>> tables) {
    }

    /** What a backup or restore covered. */
    public record Summary(int models, int versions, int artifacts) {
    }

    private RegistryBackup() {
    }

    static Summary write(Snapshot snapshot, ArtifactStore artifacts, Path out) {
        if (Files.exists(out)) {
            throw MedmaasException.invalid(out + " already exists; a backup is written to a new file.");
        }
        Path tmp = null;
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            tmp = Files.createTempFile(parent, "." + out.getFileName() + "-", ".tmp");
            Map<String, String> sums = new TreeMap<>();
            int count = 0;
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                byte[] metadata = JSON.writeValueAsBytes(snapshot);
                add(zip, METADATA, metadata);
                sums.put(METADATA, sha256(metadata));
                for (Map<String, Object> row : snapshot.tables().get("model_version")) {
                    String key = String.valueOf(row.get("bundle_sha256"));
                    String entry = "artifacts/" + key + ".zip";
                    if (sums.containsKey(entry)) {
                        continue;
                    }
                    byte[] bytes = Files.readAllBytes(artifacts.get(key));
                    add(zip, entry, bytes);
                    sums.put(entry, key);
                    count++;
                }
                StringBuilder checksums = new StringBuilder();
                sums.forEach((name, sum) -> checksums.append(sum).append("  ").append(name).append('\n'));
                add(zip, CHECKSUMS, checksums.toString().getBytes(StandardCharsets.UTF_8));
            }
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            return new Summary(snapshot.tables().get("registered_model").size(), snapshot.tables().get("model_version").size(),
                    count);
        } catch (IOException e) {
            throw MedmaasException.io("Could not write the backup " + out + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a leftover temporary file next to the backup is harmless
                }
            }
        }
    }

    /** Reads and verifies a backup; artifacts are extracted to {@code scratch} and handed to {@code store}. */
    static Snapshot read(Path in, ArtifactStore store, Path scratch) {
        try (ZipFile zip = new ZipFile(in.toFile())) {
            ZipEntry checksumEntry = zip.getEntry(CHECKSUMS);
            if (checksumEntry == null) {
                throw integrity(in, "it has no " + CHECKSUMS);
            }
            Map<String, String> sums = new TreeMap<>();
            for (String line : new String(zip.getInputStream(checksumEntry).readAllBytes(), StandardCharsets.UTF_8)
                    .split("\n")) {
                if (!line.isBlank()) {
                    sums.put(line.substring(66), line.substring(0, 64));
                }
            }
            // Verify everything before anything is written.
            for (Map.Entry<String, String> e : sums.entrySet()) {
                ZipEntry entry = zip.getEntry(e.getKey());
                if (entry == null) {
                    throw integrity(in, "it lacks " + e.getKey());
                }
                try (InputStream s = zip.getInputStream(entry)) {
                    if (!sha256(s.readAllBytes()).equals(e.getValue())) {
                        throw integrity(in, e.getKey() + " does not match its checksum");
                    }
                }
            }
            if (!sums.containsKey(METADATA)) {
                throw integrity(in, "it has no " + METADATA);
            }
            Snapshot snapshot = JSON.readValue(zip.getInputStream(zip.getEntry(METADATA)), Snapshot.class);
            if (!FORMAT.equals(snapshot.format()) || snapshot.version() < 1 || snapshot.version() > VERSION) {
                throw integrity(in, "its format is not " + FORMAT + " version 1 to " + VERSION);
            }
            for (String name : sums.keySet()) {
                if (name.startsWith("artifacts/")) {
                    Path tmp = Files.createTempFile(scratch, ".restore-", ".zip");
                    try (InputStream s = zip.getInputStream(zip.getEntry(name));
                            OutputStream o = Files.newOutputStream(tmp)) {
                        s.transferTo(o);
                    }
                    String key = store.put(tmp);
                    Files.delete(tmp);
                    if (!name.equals("artifacts/" + key + ".zip")) {
                        throw integrity(in, name + " is stored under the wrong key");
                    }
                }
            }
            return snapshot;
        } catch (java.util.zip.ZipException e) {
            throw integrity(in, "it is not a readable zip archive");
        } catch (IOException e) {
            throw MedmaasException.io("Could not read the backup " + in + ": " + e.getMessage(), e);
        }
    }

    static String now() {
        return Instant.now().toString();
    }

    private static MedmaasException integrity(Path in, String why) {
        return new MedmaasException(ErrorCode.INTEGRITY, "The backup " + in + " is refused: " + why + ".");
    }

    private static void add(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static String sha256(byte[] bytes) {
        return Digests.sha256(bytes);
    }
}
