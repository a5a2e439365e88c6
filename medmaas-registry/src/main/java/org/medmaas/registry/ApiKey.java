package org.medmaas.registry;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An API key as stored: never the secret, only its id and what it grants.
 *
 * @param id        the public part of the key, shown in lists and audit entries
 * @param owner     who it was issued to
 * @param role      what it may do
 * @param models    which models it reaches: a name, or a pattern with {@code *} ("sepsis-*", "*")
 * @param createdAt when it was created
 * @param expiresAt when it stops working, if ever
 * @param revokedAt when it was revoked, if it was
 */
public record ApiKey(String id, String owner, Role role, String models, Instant createdAt, Optional<Instant> expiresAt,
        Optional<Instant> revokedAt) {

    public ApiKey {
        if (!models.matches("[a-z0-9*_-]{1,200}")) {
            throw org.medmaas.core.error.MedmaasException.invalid(
                    "'models' is a model name or a pattern of lower-case letters, digits, '-', '_' and '*'.");
        }
    }

    public boolean activeAt(Instant now) {
        return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
    }

    /** Whether this key reaches the model {@code name}. */
    public boolean reaches(String name) {
        return matches(models, name);
    }

    private static final java.util.Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether a model name matches a key's model pattern (a name, or a pattern with {@code *}). */
    public static boolean matches(String glob, String name) {
        return PATTERNS.computeIfAbsent(glob, ApiKey::modelPattern).matcher(name).matches();
    }

    private static Pattern modelPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty() || glob.startsWith("*")) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(glob.equals("*") ? ".*" : regex.toString());
    }
}
