package org.medmaas.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What this build is: the MedMaaS version and the versions of the engines it pins, read from
 * build metadata ({@code build.properties}, filled in by Maven from the parent POM) rather than
 * written as constants, so provenance records the real versions.
 */
public final class BuildInfo {

    private static final Map<String, String> VERSIONS = load();

    private BuildInfo() {
    }

    /** The MedMaaS version that is running (e.g. {@code 0.1.0-SNAPSHOT}). */
    public static String codeVersion() {
        return VERSIONS.getOrDefault("medmaas", "unknown");
    }

    /** A pinned library's version by its short name ({@code xgboost4j}, {@code djl}, …), or "unknown". */
    public static String libraryVersion(String name) {
        return VERSIONS.getOrDefault(name, "unknown");
    }

    /** The named libraries' versions plus the running Java's, for a model's provenance. */
    public static Map<String, String> libraryVersions(String... names) {
        Map<String, String> out = new TreeMap<>();
        for (String name : names) {
            out.put(name, libraryVersion(name));
        }
        out.put("java", System.getProperty("java.version"));
        return out;
    }

    private static Map<String, String> load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // Unreadable metadata leaves every version "unknown", which provenance then says plainly.
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> {
            String v = p.getProperty(k).strip();
            if (!v.isEmpty() && !v.startsWith("${")) {
                out.put(k, v);
            }
        });
        return Map.copyOf(out);
    }
}
