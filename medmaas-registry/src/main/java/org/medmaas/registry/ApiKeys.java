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

    private static final System.Logger LOG = System.getLogger("medmaas.registry");

    private final Database database;
    private final AuditLog audit;
    /** Seals key records (HMAC-SHA256); derived from the audit key, empty when that key is missing. */
    private final Optional<byte[]> sealKey;

    ApiKeys(Database database, AuditLog audit) {
        this.database = database;
        this.audit = audit;
        this.sealKey = audit.derivedKey("api-key records v1");
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
            seal(c, id);
            if (!marked(c)) {
                audit.appendIn(c, List.of(AuditEvent.of("medmaas", SEAL_MARKER, "", "ok",
                        "key records are sealed from the first key on; a record without a seal is refused")));
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
                    if (secretMatches && !sealed(r)) {
                        // Changed outside MedMaaS (a role, scope, expiry or revocation edited in the file).
                        LOG.log(System.Logger.Level.ERROR, "API key " + key.id() + " was refused: " + (sealKey.isEmpty()
                                ? "the audit key, which seals key records, is missing." : "its record fails its integrity check"
                                        + " (changed outside MedMaaS); run 'medmaas registry check'."));
                        return Optional.<ApiKey>empty();
                    }
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
            seal(c, id);
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

    /** The ids of key records that fail their seal (or have none), each with the reason: empty when all hold. */
    public List<String> verify() {
        return database.query(this::verifyIn);
    }

    List<String> verifyIn(java.sql.Connection c) throws SQLException {
        List<String> altered = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM api_key ORDER BY key_id"); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                if (!sealed(r)) {
                    altered.add("key " + r.getString("key_id") + (r.getString("record_mac") == null ? ": not sealed"
                            : ": changed outside MedMaaS"));
                }
            }
        }
        return altered;
    }

    /**
     * Revokes every key not yet revoked and seals every record, in the caller's transaction, and
     * audits how many (a restore of a backup whose records carry no seals to check).
     */
    void revokeAllAndSealIn(java.sql.Connection c, String why) throws SQLException {
        int revoked;
        try (PreparedStatement s = c.prepareStatement("UPDATE api_key SET revoked_at = ? WHERE revoked_at IS NULL")) {
            s.setTimestamp(1, Timestamp.from(Instant.now()));
            revoked = s.executeUpdate();
        }
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT key_id FROM api_key ORDER BY key_id"); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                ids.add(r.getString(1));
            }
        }
        for (String id : ids) {
            seal(c, id);
        }
        audit.appendIn(c, List.of(AuditEvent.of("medmaas", "key.revoke", "", "ok", revoked + " key(s) revoked and "
                + ids.size() + " record(s) sealed: " + why)));
    }

    /** The audit action that marks the registry's key records as sealed from then on. */
    static final String SEAL_MARKER = "key.seal";

    /**
     * At each open: seals the records written before seals existed, once, and writes the marker of
     * that to the audit log (whose chain no one can cut an entry from unnoticed). A database just
     * upgraded to seals is sealed and marked at once; otherwise unsealed records are sealed only
     * while the log holds no marker (a start that stopped between the upgrade and the sealing, or
     * whose audit key was missing then). The first key created marks a new registry. After the
     * marker, a record without a seal is refused: clearing a seal in the file gets no changed
     * record sealed. A no-op without the audit key.
     */
    void sealAtOpen(boolean upgraded) {
        if (sealKey.isEmpty()) {
            return;
        }
        database.inTransaction(c -> {
            if (!upgraded && (unsealed(c).isEmpty() || marked(c))) {
                return null; // the common case costs one small query on the keys
            }
            return sealUnsealedIn(c);
        });
    }

    private static boolean marked(java.sql.Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM audit_entry WHERE action = ? FETCH FIRST 1 ROWS ONLY")) {
            s.setString(1, SEAL_MARKER);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static List<String> unsealed(java.sql.Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT key_id FROM api_key WHERE record_mac IS NULL ORDER BY key_id");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                ids.add(r.getString(1));
            }
        }
        return ids;
    }

    Void sealUnsealedIn(java.sql.Connection c) throws SQLException {
        List<String> ids = unsealed(c);
        for (String id : ids) {
            seal(c, id);
        }
        audit.appendIn(c, List.of(AuditEvent.of("medmaas", SEAL_MARKER, "", "ok", ids.size()
                + " key record(s) from before record seals were sealed as they stood; from now on a record"
                + " without a seal is refused")));
        return null;
    }

    /** Writes a record's seal over what the database now holds for it (so it covers exactly what is read back). */
    private void seal(java.sql.Connection c, String id) throws SQLException {
        if (sealKey.isEmpty()) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "API keys cannot be created or changed while the audit key is"
                    + " missing (it also seals key records).");
        }
        String mac;
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM api_key WHERE key_id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                mac = mac(r);
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE api_key SET record_mac = ? WHERE key_id = ?")) {
            s.setString(1, mac);
            s.setString(2, id);
            s.executeUpdate();
        }
    }

    /** Whether the row's seal matches its fields (false without a seal, or without the key to check it). */
    private boolean sealed(ResultSet r) throws SQLException {
        String stored = r.getString("record_mac");
        return stored != null && sealKey.isPresent() && MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
                mac(r).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * HMAC-SHA256 over every field that decides what a key may do: id, secret hash, owner, role,
     * model scope and its times, each prefixed with its length (so no two rows give one text). The
     * times are the stored wall-clock values, which read the same in every time zone: a server in
     * UTC and a CLI in another zone agree on a seal.
     */
    private String mac(ResultSet r) throws SQLException {
        StringBuilder text = new StringBuilder();
        for (String field : new String[] {r.getString("key_id"), r.getString("secret_sha256"), r.getString("owner"),
                r.getString("role"), r.getString("models"), wallClock(r, "created_at"), wallClock(r, "expires_at"),
                wallClock(r, "revoked_at")}) {
            text.append(field.length()).append(':').append(field).append('\n');
        }
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(sealKey.orElseThrow(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "HMAC-SHA256 is not available in this JDK.", e);
        }
    }

    private static String wallClock(ResultSet r, String column) throws SQLException {
        java.time.LocalDateTime t = r.getObject(column, java.time.LocalDateTime.class);
        return t == null ? "-" : t.truncatedTo(ChronoUnit.MILLIS).toString();
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
