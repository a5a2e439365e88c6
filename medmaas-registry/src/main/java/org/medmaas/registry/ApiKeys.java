package org.medmaas.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.medmaas.core.io.Digests;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * API keys, kept in the registry's database. A key reads {@code mm_<id>_<secret>}: the id (8 hex
 * digits) finds the row, and the secret (32 random bytes, base64url) is checked against its stored
 * SHA-256. A slow password hash would add nothing here: the secret has 256 bits of entropy, so it
 * cannot be guessed from its hash, and a fast hash keeps authentication in microseconds.
 */
public final class ApiKeys {

    private static final Pattern TOKEN = Pattern.compile("mm_([0-9a-f]{8})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;
    private final AuditLog audit;

    ApiKeys(Database database, AuditLog audit) {
        this.database = database;
        this.audit = audit;
    }

    /** A key just created: the token is shown this once and stored nowhere. */
    public record Created(ApiKey key, String token) {
        @Override
        public String toString() {
            return "Created[key=" + key + ", token=<hidden>]";
        }
    }

    /** Creates a key; the creation is audited in the same transaction. */
    public Created create(String owner, Role role, String models, Optional<Instant> expiresAt, String actor) {
        if (owner.isBlank() || owner.length() > 128) {
            throw MedmaasException.invalid("'owner' must be 1–128 characters.");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
            throw MedmaasException.invalid("'expires' must be in the future.");
        }
        byte[] idBytes = new byte[4];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey key = new ApiKey(id, owner, role, models, now, expiresAt.map(t -> t.truncatedTo(ChronoUnit.MILLIS)),
                Optional.empty());
        database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO api_key (key_id, secret_sha256, owner, role, models,"
                    + " created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)")) {
                s.setString(1, id);
                s.setString(2, sha256(secretText));
                s.setString(3, owner);
                s.setString(4, role.label());
                s.setString(5, models);
                s.setTimestamp(6, Timestamp.from(now));
                s.setTimestamp(7, expiresAt.map(Timestamp::from).orElse(null));
                s.executeUpdate();
            }
            audit.appendIn(c, List.of(AuditEvent.of(actor, "key.create", "key:" + id, "ok",
                    "role=" + role.label() + " models=" + models)));
            return null;
        });
        return new Created(key, "mm_" + id + "_" + secretText);
    }

    /** The active key a token belongs to, or empty for a malformed, unknown, wrong, expired or revoked token. */
    public Optional<ApiKey> authenticate(String token) {
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        return database.query(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM api_key WHERE key_id = ?")) {
                s.setString(1, m.group(1));
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.<ApiKey>empty();
                    }
                    boolean secretMatches = MessageDigest.isEqual(sha256(m.group(2)).getBytes(StandardCharsets.US_ASCII),
                            r.getString("secret_sha256").getBytes(StandardCharsets.US_ASCII));
                    ApiKey key = row(r);
                    return secretMatches && key.activeAt(Instant.now()) ? Optional.of(key) : Optional.<ApiKey>empty();
                }
            }
        });
    }

    public List<ApiKey> list() {
        return database.query(c -> {
            List<ApiKey> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM api_key ORDER BY created_at, key_id");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(row(r));
                }
            }
            return out;
        });
    }

    /** Revokes a key at once; the revocation is audited in the same transaction. */
    public ApiKey revoke(String id, String actor) {
        return database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE api_key SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL")) {
                s.setTimestamp(1, Timestamp.from(Instant.now()));
                s.setString(2, id);
                if (s.executeUpdate() == 0) {
                    boolean exists;
                    try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM api_key WHERE key_id = ?")) {
                        q.setString(1, id);
                        try (ResultSet r = q.executeQuery()) {
                            exists = r.next();
                        }
                    }
                    throw exists ? new MedmaasException(ErrorCode.CONFLICT, "Key " + id + " is already revoked.")
                            : MedmaasException.notFound("There is no key " + id + ".");
                }
            }
            audit.appendIn(c, List.of(AuditEvent.of(actor, "key.revoke", "key:" + id, "ok", "")));
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM api_key WHERE key_id = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return row(r);
                }
            }
        });
    }

    private static ApiKey row(ResultSet r) throws SQLException {
        return new ApiKey(r.getString("key_id"), r.getString("owner"), Role.parse(r.getString("role")), r.getString("models"),
                r.getTimestamp("created_at").toInstant(),
                Optional.ofNullable(r.getTimestamp("expires_at")).map(Timestamp::toInstant),
                Optional.ofNullable(r.getTimestamp("revoked_at")).map(Timestamp::toInstant));
    }

    /** Key text is ASCII by construction (a key with other characters never matches). */
    private static String sha256(String text) {
        return Digests.sha256(text.getBytes(StandardCharsets.US_ASCII));
    }
}
