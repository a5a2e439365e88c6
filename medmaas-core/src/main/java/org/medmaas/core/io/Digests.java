package org.medmaas.core.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one place MedMaaS computes SHA-256 digests (bundles, artifacts, audit inputs, key secrets). */
public final class Digests {

    /** Cloned for each digest: a provider lookup per call was 1 % of an audited request's CPU (issue 12's profile). */
    private static final MessageDigest PROTOTYPE = lookUp();

    private Digests() {
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /** A new SHA-256 digest, for callers that stream their input. */
    public static MessageDigest newSha256() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp(); // a provider whose digests cannot be cloned
        }
    }

    /** Lower-case hexadecimal SHA-256 of the bytes. */
    public static String sha256(byte[] content) {
        return HexFormat.of().formatHex(newSha256().digest(content));
    }

    /** Lower-case hexadecimal SHA-256 of the text's UTF-8 bytes. */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
