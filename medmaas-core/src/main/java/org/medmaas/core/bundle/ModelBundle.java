package org.medmaas.core.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.io.Digests;
import org.medmaas.core.io.Trees;
import org.medmaas.core.json.Json;

/**
 * A model bundle on disk, for any task: a directory (or a {@code .zip} of the same files) with
 * {@code manifest.json}, the native files of the model's engine and {@code checksums.sha256}
 * covering all of them. Writing is atomic (a temporary sibling renamed into place); reading
 * verifies every checksum and the format version, and refuses a tampered, incomplete or unknown
 * bundle with a clear error. No Java serialization.
 *
 * <p>Bundles of format version 1 (the flat manifest of the first releases) are read as they are
 * and presented in today's shape: their envelope and provenance fields are lifted out and the rest
 * becomes the task section. {@link #copyTo} keeps the verified bytes, so a registry stores a
 * version-1 bundle unchanged.
 */
public final class ModelBundle {

    public static final String FORMAT = "medmaas-bundle";
    /** The version this code writes. */
    public static final int FORMAT_VERSION = 2;
    /** The versions this code reads. */
    public static final Set<Integer> READABLE_VERSIONS = Set.of(1, 2);
    static final String MANIFEST = "manifest.json";
    static final String CHECKSUMS = "checksums.sha256";

    private final BundleManifest manifest;
    /** Native files by name. */
    private final Map<String, byte[]> files;
    /** Every stored file as verified (manifest and checksums included), for byte-exact copies. */
    private final Map<String, byte[]> stored;

    private ModelBundle(BundleManifest manifest, Map<String, byte[]> files, Map<String, byte[]> stored) {
        this.manifest = manifest;
        this.files = Map.copyOf(files);
        this.stored = Map.copyOf(stored);
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

    /**
     * Writes a bundle of the current format: the manifest's {@code files} map is filled with the
     * native files' checksums.
     */
    public static ModelBundle write(Path dir, BundleManifest manifest, Map<String, byte[]> nativeFiles) {
        if (manifest.formatVersion() != FORMAT_VERSION) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Bundles are written in format version " + FORMAT_VERSION + ".");
        }
        Map<String, String> sums = new TreeMap<>();
        nativeFiles.forEach((name, content) -> sums.put(name, Digests.sha256(content)));
        BundleManifest complete = manifest.withFiles(sums);
        byte[] manifestBytes;
        try {
            manifestBytes = Json.PRETTY.writeValueAsBytes(complete);
        } catch (IOException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not write the bundle manifest: " + e.getMessage(), e);
        }
        Map<String, byte[]> all = new TreeMap<>(nativeFiles);
        all.put(MANIFEST, manifestBytes);
        StringBuilder checksums = new StringBuilder();
        all.forEach((name, content) -> checksums.append(Digests.sha256(content)).append("  ").append(name).append('\n'));
        all.put(CHECKSUMS, checksums.toString().getBytes(StandardCharsets.UTF_8));
        store(dir, all);
        return new ModelBundle(complete, nativeFiles, all);
    }

    /** Writes the verified files exactly as read (a directory, or a zip when the name ends in .zip). */
    public void copyTo(Path dir) {
        store(dir, new TreeMap<>(stored));
    }

    private static void store(Path dir, Map<String, byte[]> all) {
        Path target = dir.toAbsolutePath();
        if (Files.exists(target)) {
            throw new MedmaasException(ErrorCode.CONFLICT, target + " already exists. Choose another --out or remove it.");
        }
        try {
            Files.createDirectories(target.getParent());
            if (isZip(target)) {
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
                try {
                    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                        for (Map.Entry<String, byte[]> e : new TreeMap<>(all).entrySet()) {
                            ZipEntry entry = new ZipEntry(e.getKey());
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
                return;
            }
            Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
            try {
                for (Map.Entry<String, byte[]> e : all.entrySet()) {
                    Files.write(tmp.resolve(e.getKey()), e.getValue());
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Trees.delete(tmp);
            }
        } catch (IOException e) {
            throw MedmaasException.io("Could not write the bundle to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Whether a bundle path names a zip archive rather than a directory. */
    public static boolean isZip(Path path) {
        return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    /** Reads and verifies a bundle: a directory, or a {@code .zip} archive of the same files. */
    public static ModelBundle read(Path dir) {
        if (!Files.isDirectory(dir) && !(Files.isRegularFile(dir) && isZip(dir))) {
            throw MedmaasException.notFound("No model bundle at " + dir + ".");
        }
        Function<String, byte[]> loader = Files.isDirectory(dir) ? name -> {
            try {
                return Files.readAllBytes(dir.resolve(name));
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw MedmaasException.io("Could not read " + dir.resolve(name) + ": " + e.getMessage(), e);
            }
        } : zipEntries(dir)::get;
        byte[] checksumFile = loader.apply(CHECKSUMS);
        if (checksumFile == null) {
            throw integrity(dir, "it has no " + CHECKSUMS + " (not a MedMaaS bundle, or an incomplete copy)");
        }
        Map<String, String> expected = new LinkedHashMap<>();
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
        Map<String, byte[]> contents = new TreeMap<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (e.getKey().contains("/") || e.getKey().contains("\\") || e.getKey().startsWith(".")) {
                throw integrity(dir, CHECKSUMS + " names a path outside the bundle");
            }
            byte[] content = loader.apply(e.getKey());
            if (content == null) {
                throw integrity(dir, "the file " + e.getKey() + " is missing");
            }
            if (!Digests.sha256(content).equals(e.getValue())) {
                throw integrity(dir, "the file " + e.getKey() + " does not match its checksum (altered or damaged)");
            }
            contents.put(e.getKey(), content);
        }
        Map<String, byte[]> stored = new TreeMap<>(contents);
        stored.put(CHECKSUMS, checksumFile);
        byte[] manifestBytes = contents.remove(MANIFEST);
        if (manifestBytes == null) {
            throw integrity(dir, "it has no " + MANIFEST);
        }
        BundleManifest manifest;
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(manifestBytes);
        } catch (IOException e) {
            throw integrity(dir, "its manifest is not valid JSON");
        }
        if (tree == null || !FORMAT.equals(tree.path("format").asText())) {
            throw integrity(dir, "its manifest is not a MedMaaS bundle manifest");
        }
        int version = tree.path("formatVersion").asInt(-1);
        if (!READABLE_VERSIONS.contains(version)) {
            throw integrity(dir, "it has bundle format version " + version + "; this MedMaaS reads versions "
                    + new java.util.TreeSet<>(READABLE_VERSIONS) + ". Use a matching release or retrain");
        }
        try {
            manifest = Json.MAPPER.treeToValue(version == 1 ? fromVersion1((ObjectNode) tree) : tree, BundleManifest.class);
        } catch (IOException | RuntimeException e) {
            throw integrity(dir, "its manifest does not follow bundle format version " + version);
        }
        if (manifest.task() == null || manifest.task().isBlank() || manifest.provenance() == null
                || manifest.provenance().learner() == null || manifest.createdAt() == null) {
            throw integrity(dir, "its manifest lacks its task, provenance or creation time");
        }
        for (String name : manifest.files().keySet()) {
            if (!contents.containsKey(name)) {
                throw integrity(dir, "the manifest names " + name + ", which the checksums do not cover");
            }
            if (!Digests.sha256(contents.get(name)).equals(manifest.files().get(name))) {
                throw integrity(dir, "the file " + name + " does not match the manifest's checksum");
            }
        }
        return new ModelBundle(manifest, contents, stored);
    }

    /** Envelope fields of the version-1 manifest, which the task section does not keep. */
    private static final Set<String> V1_ENVELOPE = Set.of("format", "formatVersion", "task", "createdAt", "files", "metrics",
            "learner", "hyperparameters", "seed", "trainingData", "libraryVersions", "codeVersion");

    /**
     * A version-1 manifest (every field at the top level) in today's shape: the envelope and
     * provenance fields lifted out, everything else (the task's own fields) as the section. The
     * format version stays 1, so readers can tell.
     */
    static JsonNode fromVersion1(ObjectNode v1) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("format", FORMAT);
        out.put("formatVersion", 1);
        out.set("task", v1.get("task"));
        out.set("createdAt", v1.get("createdAt"));
        ObjectNode provenance = out.putObject("provenance");
        provenance.set("learner", v1.get("learner"));
        provenance.set("settings", v1.get("hyperparameters"));
        provenance.set("seed", v1.get("seed"));
        provenance.set("trainingData", v1.get("trainingData"));
        provenance.set("libraryVersions", v1.get("libraryVersions"));
        provenance.set("codeVersion", v1.get("codeVersion"));
        out.set("metrics", v1.get("metrics"));
        ObjectNode section = out.putObject("section");
        v1.properties().forEach(e -> {
            if (!V1_ENVELOPE.contains(e.getKey())) {
                section.set(e.getKey(), e.getValue());
            }
        });
        out.set("files", v1.get("files"));
        return out;
    }

    /** A zip bundle's entries in memory (bundles are small); nothing is extracted to disk. */
    private static Map<String, byte[]> zipEntries(Path zip) {
        Map<String, byte[]> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
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
}
