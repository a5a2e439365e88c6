package org.medmaas.ml.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * A model bundle on disk: a directory with {@code manifest.json}, the learner's native files and
 * {@code checksums.sha256} covering all of them. Writing is atomic (a temporary sibling directory
 * renamed into place); reading verifies every checksum and the format version, and refuses a
 * tampered, incomplete or unknown bundle with a clear error. No Java serialization.
 */
public final class ModelBundle {

    public static final String FORMAT = "medmaas-bundle";
    public static final int FORMAT_VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final String CHECKSUMS = "checksums.sha256";

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final BundleManifest manifest;
    private final Map<String, byte[]> files;

    private ModelBundle(BundleManifest manifest, Map<String, byte[]> files) {
        this.manifest = manifest;
        this.files = Map.copyOf(files);
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** A native file's content (e.g. "model.xgb.json"). */
    public byte[] file(String name) {
        byte[] content = files.get(name);
        if (content == null) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The bundle has no file " + name + ".");
        }
        return content.clone();
    }

    /** All native files (everything but the manifest and checksums), by name. */
    public Map<String, byte[]> files() {
        Map<String, byte[]> copy = new TreeMap<>();
        files.forEach((name, content) -> copy.put(name, content.clone()));
        return copy;
    }

    /** Writes a bundle: the manifest's {@code files} map is filled with the native files' checksums. */
    public static ModelBundle write(Path dir, BundleManifest manifest, Map<String, byte[]> nativeFiles) {
        Map<String, String> sums = new TreeMap<>();
        nativeFiles.forEach((name, content) -> sums.put(name, sha256(content)));
        BundleManifest complete = new BundleManifest(manifest.format(), manifest.formatVersion(), manifest.task(),
                manifest.learner(), manifest.target(), manifest.classes(), manifest.threshold(), manifest.thresholdRule(),
                manifest.inputs(), manifest.features(), manifest.preprocessing(), manifest.calibration(),
                manifest.hyperparameters(), manifest.seed(), manifest.trainingData(), manifest.libraryVersions(),
                manifest.codeVersion(), manifest.metrics(), manifest.subgroupMetrics(), manifest.createdAt(), sums);
        byte[] manifestBytes;
        try {
            manifestBytes = JSON.writeValueAsBytes(complete);
        } catch (JsonProcessingException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not write the bundle manifest: " + e.getOriginalMessage(), e);
        }
        Map<String, byte[]> all = new TreeMap<>(nativeFiles);
        all.put(MANIFEST, manifestBytes);
        StringBuilder checksums = new StringBuilder();
        all.forEach((name, content) -> checksums.append(sha256(content)).append("  ").append(name).append('\n'));
        Path target = dir.toAbsolutePath();
        if (Files.exists(target)) {
            throw new MedmaasException(ErrorCode.CONFLICT, target + " already exists. Choose another --out or remove it.");
        }
        try {
            Files.createDirectories(target.getParent());
            if (isZip(target)) {
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
                try {
                    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(tmp))) {
                        all.put(CHECKSUMS, checksums.toString().getBytes(StandardCharsets.UTF_8));
                        for (Map.Entry<String, byte[]> e : all.entrySet()) {
                            java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry(e.getKey());
                            entry.setTime(0); // entry times carry no meaning; fixed for reproducible archives
                            zip.putNextEntry(entry);
                            zip.write(e.getValue());
                            zip.closeEntry();
                        }
                    }
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                return new ModelBundle(complete, nativeFiles);
            }
            Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
            try {
                for (Map.Entry<String, byte[]> e : all.entrySet()) {
                    Files.write(tmp.resolve(e.getKey()), e.getValue());
                }
                Files.writeString(tmp.resolve(CHECKSUMS), checksums);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                org.medmaas.core.io.Trees.delete(tmp);
            }
        } catch (IOException e) {
            throw MedmaasException.io("Could not write the bundle to " + target + ": " + e.getMessage(), e);
        }
        return new ModelBundle(complete, nativeFiles);
    }

    /** Whether a bundle path names a zip archive rather than a directory. */
    static boolean isZip(Path path) {
        return path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
    }

    /** Reads and verifies a bundle: a directory, or a {@code .zip} archive of the same files. */
    public static ModelBundle read(Path dir) {
        if (!Files.isDirectory(dir) && !(Files.isRegularFile(dir) && isZip(dir))) {
            throw MedmaasException.notFound("No model bundle at " + dir + ".");
        }
        java.util.function.Function<String, byte[]> loader = Files.isDirectory(dir) ? name -> {
            try {
                return Files.readAllBytes(dir.resolve(name));
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw MedmaasException.io("Could not read " + dir.resolve(name) + ": " + e.getMessage(), e);
            }
        } : zipEntries(dir)::get;
        Map<String, String> expected = new LinkedHashMap<>();
        byte[] checksumFile = loader.apply(CHECKSUMS);
        if (checksumFile == null) {
            throw integrity(dir, "it has no " + CHECKSUMS + " (not a MedMaaS bundle, or an incomplete copy)");
        }
        {
            for (String line : new String(checksumFile, StandardCharsets.UTF_8).lines().toList()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.split("  ", 2);
                if (parts.length != 2) {
                    throw integrity(dir, CHECKSUMS + " is malformed");
                }
                expected.put(parts[1], parts[0]);
            }
        }
        Map<String, byte[]> contents = new TreeMap<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (e.getKey().contains("/") || e.getKey().contains("\\") || e.getKey().startsWith(".")) {
                throw integrity(dir, CHECKSUMS + " names a path outside the bundle");
            }
            byte[] content = loader.apply(e.getKey());
            if (content == null) {
                throw integrity(dir, "the file " + e.getKey() + " is missing");
            }
            if (!sha256(content).equals(e.getValue())) {
                throw integrity(dir, "the file " + e.getKey() + " does not match its checksum (altered or damaged)");
            }
            contents.put(e.getKey(), content);
        }
        byte[] manifestBytes = contents.remove(MANIFEST);
        if (manifestBytes == null) {
            throw integrity(dir, "it has no " + MANIFEST);
        }
        BundleManifest manifest;
        try {
            var tree = JSON.readTree(manifestBytes);
            if (!FORMAT.equals(tree.path("format").asText())) {
                throw integrity(dir, "its manifest is not a MedMaaS bundle manifest");
            }
            int version = tree.path("formatVersion").asInt(-1);
            if (version != FORMAT_VERSION) {
                throw integrity(dir, "it has bundle format version " + version + "; this MedMaaS reads version "
                        + FORMAT_VERSION + ". Use a matching release or retrain");
            }
            manifest = JSON.treeToValue(tree, BundleManifest.class);
        } catch (IOException e) {
            throw integrity(dir, "its manifest is not valid JSON");
        }
        for (String name : manifest.files().keySet()) {
            if (!contents.containsKey(name)) {
                throw integrity(dir, "the manifest names " + name + ", which the checksums do not cover");
            }
            if (!sha256(contents.get(name)).equals(manifest.files().get(name))) {
                throw integrity(dir, "the file " + name + " does not match the manifest's checksum");
            }
        }
        return new ModelBundle(manifest, contents);
    }

    /** A zip bundle's entries in memory (bundles are small); nothing is extracted to disk. */
    private static Map<String, byte[]> zipEntries(Path zip) {
        Map<String, byte[]> out = new java.util.HashMap<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            java.util.zip.ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (!entry.isDirectory()) {
                    out.put(entry.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw integrity(zip, "it is not a readable zip archive");
        }
        return out;
    }

    private static MedmaasException integrity(Path dir, String why) {
        return new MedmaasException(ErrorCode.INTEGRITY, "The model bundle " + dir + " is refused: " + why + ".");
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    static String text(byte[] content) {
        return new String(content, StandardCharsets.UTF_8);
    }
}
