package org.medmaas.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.bundle.BundleManifest;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.secret.KeySource;

/**
 * Registered models: immutable numbered versions of verified bundles, aliases moved atomically,
 * and a lifecycle stage per version. Metadata lives in a database reached through JDBC and
 * migrated by Flyway (an H2 file under the registry's home by default); bundles live in an
 * {@link ArtifactStore}.
 *
 * <p>Registration is atomic: the bundle is verified, archived and stored (content-addressed)
 * before one transaction inserts its version row, so a crash leaves either the whole version or,
 * at worst, an artifact nothing points to, which {@link #check()} reports and {@link #repair()}
 * removes.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    /** The migration that added the API key records' seal. */
    static final int KEY_SEAL_MIGRATION = 5;

    private final Database database;
    private final ArtifactStore artifacts;
    private final Path scratch;
    private final AuditLog audit;
    private final ApiKeys keys;

    private ModelRegistry(Database database, ArtifactStore artifacts, Path scratch, KeySource secrets) {
        this.database = database;
        this.artifacts = artifacts;
        this.scratch = scratch;
        this.audit = AuditLog.open(database, secrets, scratch.resolve("audit-journal"));
        this.keys = new ApiKeys(database, audit);
        keys.sealAtOpen(database.upgradedPast(KEY_SEAL_MIGRATION));
    }

    /**
     * The embedded default: an H2 database file and a file artifact store under {@code home}. The
     * file is opened in H2's automatic mixed mode, so while the server holds it, the CLI (backup,
     * keys, audit) reaches the same database through the server's process, on loopback only.
     */
    public static ModelRegistry embedded(Path home) {
        createPrivate(home);
        // RETENTION_TIME: H2 keeps replaced file chunks this long before reusing their space. At the
        // default 45 s, a steady audit load (a small commit per batch of requests) grew the file by
        // about 4 KB per entry; at 1 s it settles near 700 bytes (measured; docs/benchmarks.md).
        // Audit commits are made durable by the audit journal, not by a checkpoint each (see
        // AuditJournal), so H2 writes its file in the background and compacts it at its defaults.
        String url = "jdbc:h2:file:" + home.toAbsolutePath().resolve("registry") + ";AUTO_SERVER=TRUE;RETENTION_TIME=1000";
        KeySource secrets = KeySource.of(home);
        Database database = EmbeddedDatabase.open(url, home, secrets);
        try {
            EmbeddedDatabase.ownerOnlyFiles(home);
            return new ModelRegistry(database, new FileArtifactStore(home.resolve("artifacts")), home, secrets);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * A direct JDBC connection to an embedded registry's database, with its generated login: for
     * an operator's repair or inspection (and for tests that tamper with the file as an attacker
     * would). Changes made through it bypass the audit log and the key records' seals.
     */
    public static Connection embeddedConnection(Path home) throws SQLException {
        byte[] key = KeySource.of(home).find(EmbeddedDatabase.KEY_NAME).orElseThrow(() -> MedmaasException.notFound(
                "The registry at " + home + " has no database key (database.key)."));
        return java.sql.DriverManager.getConnection("jdbc:h2:file:" + home.toAbsolutePath().resolve("registry") + ";AUTO_SERVER=TRUE",
                EmbeddedDatabase.USER, java.util.HexFormat.of().formatHex(key));
    }

    /** Creates the registry's home readable by its owner only (0700), or makes an existing one so. */
    private static void createPrivate(Path home) {
        try {
            Files.createDirectories(home);
            KeySource.ownerOnly(home);
        } catch (IOException e) {
            throw MedmaasException.io("Could not create the registry at " + home + " readable by its owner only: "
                    + e.getMessage(), e);
        }
    }

    /**
     * A registry on a database server (PostgreSQL, for several replicas: {@code jdbc:postgresql://…})
     * or an H2 URL, with its artifacts and scratch space under {@code home}. The URL may carry
     * credentials; they are never logged.
     */
    public static ModelRegistry open(String jdbcUrl, Path home) {
        createPrivate(home);
        Database database = Database.pooled(jdbcUrl);
        try {
            return new ModelRegistry(database, new FileArtifactStore(home.resolve("artifacts")), home, KeySource.of(home));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The registry's audit log (management actions here are written to it in their own transaction). */
    public AuditLog auditLog() {
        return audit;
    }

    /** The API keys the server accepts. */
    public ApiKeys apiKeys() {
        return keys;
    }

    @Override
    public void close() {
        audit.close();
        database.close();
    }

    /** Verifies a bundle (directory or zip), stores it and registers it as the model's next version. */
    public ModelVersion register(String name, Path bundle, String actor) {
        requireName(name, "model");
        ModelBundle verified = ModelBundle.read(bundle);
        BundleManifest m = verified.manifest();
        String sha256 = store(verified);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ensureModelRow(name, now);
        return database.inTransaction(c -> {
            int version;
            // Locks the model's row so concurrent registrations number their versions one by one.
            try (PreparedStatement lock = c.prepareStatement("SELECT name FROM registered_model WHERE name = ? FOR UPDATE");
                    PreparedStatement max = c.prepareStatement(
                            "SELECT COALESCE(MAX(version), 0) FROM model_version WHERE name = ?")) {
                lock.setString(1, name);
                lock.executeQuery().close();
                max.setString(1, name);
                try (ResultSet r = max.executeQuery()) {
                    r.next();
                    version = r.getInt(1) + 1;
                }
            }
            ModelVersion v = new ModelVersion(name, version, sha256, m.task(), m.provenance().learner(), ModelCard.target(m), Stage.REGISTERED,
                    actor, now);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO model_version (name, version, bundle_sha256,"
                    + " task, learner, target, stage, registered_by, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, name);
                insert.setInt(2, version);
                insert.setString(3, sha256);
                insert.setString(4, v.task());
                insert.setString(5, v.learner());
                insert.setString(6, v.target());
                insert.setString(7, v.stage().label());
                insert.setString(8, actor);
                insert.setTimestamp(9, Timestamp.from(now));
                insert.executeUpdate();
            }
            audit.appendIn(c, List.of(AuditEvent.of(actor, "model.register", name + "@" + version, "ok",
                    "learner=" + v.learner() + " bundle=" + sha256)));
            return v;
        });
    }

    /**
     * Creates the model's row unless it exists, in its own transaction, so that concurrent first
     * registrations of a name do not fail on each other: the loser of the insert sees the winner's
     * row (unique violation, SQL state 23505 on H2 and PostgreSQL) and carries on.
     */
    private void ensureModelRow(String name, Instant now) {
        try {
            database.inTransaction(c -> {
                // Portable SQL only (H2 here, PostgreSQL for several replicas): no MERGE or upsert dialects.
                try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM registered_model WHERE name = ?")) {
                    exists.setString(1, name);
                    try (ResultSet r = exists.executeQuery()) {
                        if (r.next()) {
                            return null;
                        }
                    }
                }
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO registered_model (name, created_at) VALUES (?, ?)")) {
                    insert.setString(1, name);
                    insert.setTimestamp(2, Timestamp.from(now));
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (MedmaasException e) {
            if (!(e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState()))) {
                throw e;
            }
        }
    }

    /** The bundle archived as a zip (entries with fixed times, so equal bundles give equal bytes) and stored. */
    private String store(ModelBundle bundle) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(scratch, ".bundle-", ".zip");
            Files.delete(tmp); // copyTo creates the archive and refuses an existing path
            bundle.copyTo(tmp); // the verified bytes as they were written, whatever their format version
            return artifacts.put(tmp);
        } catch (IOException e) {
            throw MedmaasException.io("Could not archive the bundle: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a leftover temporary archive in the registry home is harmless
                }
            }
        }
    }

    /**
     * A version by reference: a number ("3"), an alias ("champion"), or "latest" (the highest
     * version not archived).
     */
    public ModelVersion resolve(String name, String reference) {
        requireName(name, "model");
        if (reference.matches("\\d{1,9}")) {
            return version(name, Integer.parseInt(reference)).orElseThrow(() -> MedmaasException.notFound(
                    "Model '" + name + "' has no version " + reference + "."));
        }
        String sql = reference.equals("latest")
                ? "SELECT * FROM model_version WHERE name = ? AND stage <> 'archived' ORDER BY version DESC LIMIT 1"
                : "SELECT v.* FROM model_alias a JOIN model_version v ON v.name = a.name AND v.version = a.version"
                        + " WHERE a.name = ? AND a.alias = ?";
        return database.query(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, name);
                if (!reference.equals("latest")) {
                    s.setString(2, reference);
                }
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw MedmaasException.notFound("Model '" + name + "' has no " + (reference.equals("latest")
                                ? "version that is not archived." : "alias '" + reference + "'."));
                    }
                    return row(r);
                }
            }
        });
    }

    /** The verified bundle archive of a version, for loading. */
    public Path bundle(ModelVersion version) {
        return artifacts.get(version.bundleSha256());
    }

    public Optional<ModelVersion> version(String name, int version) {
        return database.query(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM model_version WHERE name = ? AND version = ?")) {
                s.setString(1, name);
                s.setInt(2, version);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(row(r)) : Optional.empty();
                }
            }
        });
    }

    /** Every version of a model, oldest first (empty for an unknown model). */
    public List<ModelVersion> versions(String name) {
        return database.query(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM model_version WHERE name = ? ORDER BY version")) {
                s.setString(1, name);
                List<ModelVersion> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(row(r));
                    }
                }
                return out;
            }
        });
    }

    /** Names of models with at least one version, sorted. */
    public List<String> models() {
        return database.query(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM registered_model r"
                    + " WHERE EXISTS (SELECT 1 FROM model_version v WHERE v.name = r.name) ORDER BY name");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        });
    }

    /**
     * Every model with at least one version, sorted by name, with its version count, latest version
     * and aliases: two queries whatever the number of models (a listing used to make two per model).
     */
    public List<ModelSummary> summaries() {
        return database.query(c -> {
            Map<String, Map<String, Integer>> aliases = new java.util.HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name, alias, version FROM model_alias ORDER BY name, alias");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    aliases.computeIfAbsent(r.getString(1), k -> new LinkedHashMap<>()).put(r.getString(2), r.getInt(3));
                }
            }
            List<ModelSummary> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT v.*, c.version_count FROM model_version v"
                    + " JOIN (SELECT name, MAX(version) AS latest, COUNT(*) AS version_count FROM model_version GROUP BY name) c"
                    + " ON v.name = c.name AND v.version = c.latest ORDER BY v.name");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ModelVersion latest = row(r);
                    out.add(new ModelSummary(latest.name(), r.getInt("version_count"), latest,
                            aliases.getOrDefault(latest.name(), Map.of())));
                }
            }
            return out;
        });
    }

    /** Points an alias at a version, creating or moving it in one transaction (readers see the old or the new). */
    public void setAlias(String name, String alias, int version, String actor) {
        requireName(alias, "alias");
        if (alias.equals("latest") || alias.matches("\\d+")) {
            throw MedmaasException.invalid("'" + alias + "' is reserved: aliases are names, not 'latest' or numbers.");
        }
        ModelVersion target = version(name, version).orElseThrow(() -> MedmaasException.notFound(
                "Model '" + name + "' has no version " + version + "."));
        if (target.stage() == Stage.ARCHIVED) {
            throw MedmaasException.invalid("Version " + version + " of '" + name + "' is archived; an alias cannot point to it.");
        }
        database.inTransaction(c -> {
            upsert(c, "UPDATE model_alias SET version = ? WHERE name = ? AND alias = ?", List.of(version, name, alias),
                    "INSERT INTO model_alias (name, alias, version) VALUES (?, ?, ?)", List.of(name, alias, version));
            audit.appendIn(c, List.of(AuditEvent.of(actor, "model.alias", name + "@" + version, "ok", "alias=" + alias)));
            return null;
        });
    }

    /** Aliases of a model: alias → version. */
    public Map<String, Integer> aliases(String name) {
        return database.query(c -> {
            Map<String, Integer> out = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT alias, version FROM model_alias WHERE name = ? ORDER BY alias")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), r.getInt(2));
                    }
                }
            }
            return out;
        });
    }

    /** Moves a version along its lifecycle; archiving also removes the aliases that point to it. */
    public ModelVersion setStage(String name, int version, Stage next, String actor) {
        return database.inTransaction(c -> {
            ModelVersion current;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM model_version WHERE name = ? AND version = ? FOR UPDATE")) {
                s.setString(1, name);
                s.setInt(2, version);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw MedmaasException.notFound("Model '" + name + "' has no version " + version + ".");
                    }
                    current = row(r);
                }
            }
            if (!current.stage().mayMoveTo(next)) {
                throw MedmaasException.invalid("Version " + version + " of '" + name + "' is " + current.stage().label()
                        + "; it cannot move to " + next.label() + ".");
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE model_version SET stage = ? WHERE name = ? AND version = ?")) {
                s.setString(1, next.label());
                s.setString(2, name);
                s.setInt(3, version);
                s.executeUpdate();
            }
            if (next == Stage.ARCHIVED) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM model_alias WHERE name = ? AND version = ?")) {
                    s.setString(1, name);
                    s.setInt(2, version);
                    s.executeUpdate();
                }
            }
            audit.appendIn(c, List.of(AuditEvent.of(actor, "model.stage", name + "@" + version, "ok",
                    current.stage().label() + "->" + next.label())));
            return new ModelVersion(name, version, current.bundleSha256(), current.task(), current.learner(),
                    current.target(), next, current.registeredBy(), current.registeredAt());
        });
    }

    /** The model card of a version: facts from its bundle, and the editable fields people wrote. */
    public ModelCard card(String name, String reference) {
        ModelVersion v = resolve(name, reference);
        BundleManifest manifest = ModelBundle.read(bundle(v)).manifest();
        Map<String, String> editable = database.query(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT field, card_value FROM model_card_field WHERE name = ? ORDER BY field")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), r.getString(2));
                    }
                }
            }
            return out;
        });
        return ModelCard.of(v, manifest, editable);
    }

    /** Sets an editable model card field (intended use, limitations, owner) for every version of a model. */
    public void setCardField(String name, String field, String value, String actor) {
        ModelCard.requireEditable(field);
        if (value.length() > 4000) {
            throw MedmaasException.invalid("Model card field '" + field + "' takes at most 4000 characters.");
        }
        if (versions(name).isEmpty()) {
            throw MedmaasException.notFound("No model '" + name + "' is registered.");
        }
        Timestamp now = Timestamp.from(Instant.now());
        database.inTransaction(c -> {
            upsert(c, "UPDATE model_card_field SET card_value = ?, updated_by = ?, updated_at = ? WHERE name = ? AND field = ?",
                    List.of(value, actor, now, name, field),
                    "INSERT INTO model_card_field (name, field, card_value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)",
                    List.of(name, field, value, actor, now));
            audit.appendIn(c, List.of(AuditEvent.of(actor, "model.card", name, "ok", "field=" + field)));
            return null;
        });
    }

    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

    /**
     * Sets a tag on a model ({@code version} empty) or on one of its versions: a free label such as
     * {@code validated_by=cardiology} or {@code dataset=pima-2026-10}. Audited in the same transaction.
     */
    public void setTag(String name, Optional<Integer> version, String key, String value, String actor) {
        requireTag(name, version, key);
        if (value.length() > 256) {
            throw MedmaasException.invalid("A tag value takes at most 256 characters.");
        }
        int v = version.orElse(0);
        Timestamp now = Timestamp.from(Instant.now());
        database.inTransaction(c -> {
            upsert(c, "UPDATE model_tag SET tag_value = ?, updated_by = ?, updated_at = ? WHERE name = ? AND version = ? AND tag_key = ?",
                    List.of(value, actor, now, name, v, key),
                    "INSERT INTO model_tag (name, version, tag_key, tag_value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    List.of(name, v, key, value, actor, now));
            audit.appendIn(c, List.of(AuditEvent.of(actor, "model.tag", name + (v > 0 ? "@" + v : ""), "ok", "set " + key)));
            return null;
        });
    }

    /** Removes a tag; removing one that is not there is a not-found error. */
    public void removeTag(String name, Optional<Integer> version, String key, String actor) {
        requireTag(name, version, key);
        int v = version.orElse(0);
        database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM model_tag WHERE name = ? AND version = ? AND tag_key = ?")) {
                s.setString(1, name);
                s.setInt(2, v);
                s.setString(3, key);
                if (s.executeUpdate() == 0) {
                    throw MedmaasException.notFound("'" + name + "'" + (v > 0 ? " v" + v : "") + " has no tag '" + key + "'.");
                }
            }
            audit.appendIn(c, List.of(AuditEvent.of(actor, "model.tag", name + (v > 0 ? "@" + v : ""), "ok", "remove " + key)));
            return null;
        });
    }

    /** Tags of a model (version empty) or of one version, by key. */
    public Map<String, String> tags(String name, Optional<Integer> version) {
        return database.query(c -> {
            Map<String, String> out = new java.util.TreeMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT tag_key, tag_value FROM model_tag WHERE name = ? AND version = ?")) {
                s.setString(1, name);
                s.setInt(2, version.orElse(0));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), r.getString(2));
                    }
                }
            }
            return out;
        });
    }

    private void requireTag(String name, Optional<Integer> version, String key) {
        if (!TAG_KEY.matcher(key).matches()) {
            throw MedmaasException.invalid("A tag key is 1–64 letters, digits, '_', '.', ':' or '-', starting with a letter or"
                    + " digit; '" + key + "' is not.");
        }
        if (version.isPresent() ? version(name, version.get()).isEmpty() : versions(name).isEmpty()) {
            throw MedmaasException.notFound("No model '" + name + "'" + version.map(v -> " version " + v).orElse("") + " is registered.");
        }
    }

    /** Tables in foreign-key order, with the order of their rows in a backup. */
    private static final Map<String, String> TABLES = new java.util.LinkedHashMap<>(Map.of());

    static {
        TABLES.put("registered_model", "name");
        TABLES.put("model_version", "name, version");
        TABLES.put("model_alias", "name, alias");
        TABLES.put("model_card_field", "name, field");
        TABLES.put("model_tag", "name, version, tag_key");
        TABLES.put("api_key", "key_id");
        TABLES.put("audit_entry", "seq");
        TABLES.put("audit_head", "id");
    }

    /**
     * Writes a consistent backup to {@code out} (a new zip): all metadata read in one transaction,
     * the artifacts it points to, and checksums. Safe while the registry is in use: artifacts are
     * immutable, and a registration that commits after the read is simply not in the backup.
     */
    public RegistryBackup.Summary backup(Path out) {
        RegistryBackup.Snapshot snapshot = database.inTransaction(c -> {
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
            for (Map.Entry<String, String> t : TABLES.entrySet()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT * FROM " + t.getKey() + " ORDER BY " + t.getValue());
                        ResultSet r = s.executeQuery()) {
                    var meta = r.getMetaData();
                    while (r.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object v = r.getObject(i);
                            row.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT),
                                    v instanceof Timestamp ts ? ts.toInstant().toString()
                                            : v instanceof java.time.OffsetDateTime odt ? odt.toInstant().toString() : v);
                        }
                        rows.add(row);
                    }
                }
                tables.put(t.getKey(), rows);
            }
            return new RegistryBackup.Snapshot(RegistryBackup.FORMAT, RegistryBackup.VERSION, RegistryBackup.now(), tables);
        });
        return RegistryBackup.write(snapshot, artifacts, out);
    }

    /**
     * Restores a backup into a registry that holds nothing yet (a new home): every checksum is
     * verified first, then the artifacts are stored and the metadata inserted in one transaction.
     */
    public RegistryBackup.Summary restore(Path in) {
        if (!models().isEmpty()) {
            throw MedmaasException.invalid("The registry already holds models; restore into a new, empty registry home.");
        }
        RegistryBackup.Snapshot snapshot = RegistryBackup.read(in, artifacts, scratch);
        database.inTransaction(c -> {
            for (String table : TABLES.keySet()) {
                for (Map<String, Object> row : snapshot.tables().getOrDefault(table, List.of())) {
                    List<String> columns = new ArrayList<>(row.keySet());
                    // The head row exists from the migration: restoring it is an update.
                    String sql = table.equals("audit_head")
                            ? "UPDATE audit_head SET " + String.join(" = ?, ", columns) + " = ? WHERE id = 1"
                            : "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                                    + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
                    try (PreparedStatement s = c.prepareStatement(sql)) {
                        for (int i = 0; i < columns.size(); i++) {
                            bindRestored(s, i + 1, columns.get(i), row.get(columns.get(i)));
                        }
                        s.executeUpdate();
                    }
                }
            }
            if (snapshot.version() < RegistryBackup.SEALED_KEYS_VERSION) {
                // A backup from before key seals: its key records cannot be checked, so they come
                // back revoked (and sealed so); admins issue new keys. Marking a newer backup as old
                // therefore gains a forger nothing.
                keys.revokeAllAndSealIn(c, "restored from a backup made before key records were sealed");
            }
            List<String> alteredKeys = keys.verifyIn(c);
            if (!alteredKeys.isEmpty()) {
                throw new MedmaasException(ErrorCode.INTEGRITY, "The backup's API key records do not verify with this registry's"
                        + " audit key (" + alteredKeys.get(0) + "); restore with the original audit.key in place. Nothing was"
                        + " restored.");
            }
            AuditVerification chain = audit.verifyIn(c);
            if (!chain.intact()) {
                throw new MedmaasException(ErrorCode.INTEGRITY, "The backup's audit log does not verify with this registry's"
                        + " audit key (" + chain.problems().get(0) + "); restore with the original audit.key in place"
                        + " (or MEDMAAS_AUDIT_KEY_FILE pointing at it). Nothing was restored.");
            }
            return null;
        });
        return new RegistryBackup.Summary(snapshot.tables().get("registered_model").size(),
                snapshot.tables().get("model_version").size(), (int) snapshot.tables().get("model_version").stream()
                        .map(r -> r.get("bundle_sha256")).distinct().count());
    }

    /** Binds a value read from a backup's JSON: times come back from their ISO text, absent values as typed nulls. */
    private static void bindRestored(PreparedStatement s, int index, String column, Object value) throws SQLException {
        if (column.equals("at") && value instanceof String text) {
            s.setObject(index, java.time.OffsetDateTime.ofInstant(Instant.parse(text), java.time.ZoneOffset.UTC));
        } else if (column.endsWith("_at")) {
            s.setTimestamp(index, value instanceof String text ? Timestamp.from(Instant.parse(text)) : null);
        } else if (value instanceof Integer || value instanceof Long) {
            s.setLong(index, ((Number) value).longValue());
        } else {
            s.setObject(index, value);
        }
    }

    /** Updates a row, or inserts it when there is none: portable SQL, where MERGE and ON CONFLICT are not. */
    private static void upsert(Connection c, String update, List<Object> updateParameters, String insert,
            List<Object> insertParameters) throws SQLException {
        int updated;
        try (PreparedStatement s = c.prepareStatement(update)) {
            for (int i = 0; i < updateParameters.size(); i++) {
                s.setObject(i + 1, updateParameters.get(i));
            }
            updated = s.executeUpdate();
        }
        if (updated == 0) {
            try (PreparedStatement s = c.prepareStatement(insert)) {
                for (int i = 0; i < insertParameters.size(); i++) {
                    s.setObject(i + 1, insertParameters.get(i));
                }
                s.executeUpdate();
            }
        }
    }

    /**
     * What a consistency check found: versions whose artifact is missing or altered, and stored
     * artifacts no version points to (left by an interrupted registration).
     */
    public record CheckReport(List<String> missingOrAltered, Set<String> unreferenced, List<String> alteredKeys) {
        public boolean consistent() {
            return missingOrAltered.isEmpty() && unreferenced.isEmpty() && alteredKeys.isEmpty();
        }
    }

    public CheckReport check() {
        Set<String> referenced = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (String name : models()) {
            for (ModelVersion v : versions(name)) {
                referenced.add(v.bundleSha256());
                try {
                    artifacts.get(v.bundleSha256());
                } catch (MedmaasException e) {
                    problems.add(name + " v" + v.version() + ": " + e.getMessage());
                }
            }
        }
        Set<String> unreferenced = new TreeSet<>(artifacts.keys());
        unreferenced.removeAll(referenced);
        return new CheckReport(problems, unreferenced, keys.verify());
    }

    /** Removes unreferenced artifacts; missing or altered ones need a restore from backup and are left as they are. */
    public CheckReport repair() {
        CheckReport report = check();
        report.unreferenced().forEach(artifacts::delete);
        return check();
    }

    private static void requireName(String name, String what) {
        if (!NAME.matcher(name).matches()) {
            throw MedmaasException.invalid("A " + what + " name is 1–64 characters of lower-case letters, digits, '-' and"
                    + " '_', starting with a letter or digit; '" + name + "' is not.");
        }
    }

    private static ModelVersion row(ResultSet r) throws SQLException {
        return new ModelVersion(r.getString("name"), r.getInt("version"), r.getString("bundle_sha256"), r.getString("task"),
                r.getString("learner"), r.getString("target"), Stage.parse(r.getString("stage")),
                r.getString("registered_by"), r.getTimestamp("registered_at").toInstant());
    }

}
