package org.medmaas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 3: the embedded database and its folder are owner-only, it opens with a generated
 * login (not H2's empty default), and an API key record changed in the file is refused at use and
 * reported by the registry check. Before, the file was 0644, opened with an empty login, and a key
 * whose role was edited to admin authenticated as admin.
 */
class RegistrySecretsTest {

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void sql(Path home, String statement) throws SQLException {
        try (Connection c = ModelRegistry.embeddedConnection(home); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    @Test
    void theRegistryIsOwnerOnlyAndItsDatabaseHasAGeneratedLogin(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("registry");
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            assertThat(registry.models()).isEmpty();
        }
        assertThat(mode(home)).isEqualTo("rwx------");
        for (String file : List.of("registry.mv.db", "audit.key", "database.key")) {
            assertThat(mode(home.resolve(file))).as(file).isEqualTo("rw-------");
        }
        String url = "jdbc:h2:file:" + home.toAbsolutePath().resolve("registry") + ";AUTO_SERVER=TRUE";
        assertThatThrownBy(() -> DriverManager.getConnection(url, "", "").close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("Wrong user name or password");
        assertThatThrownBy(() -> DriverManager.getConnection(url, "sa", "").close()).isInstanceOf(SQLException.class);
    }

    @Test
    void aRegistryFromBeforeGeneratedLoginsIsGivenOne(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("old");
        Files.createDirectories(home);
        String url = "jdbc:h2:file:" + home.toAbsolutePath().resolve("registry") + ";AUTO_SERVER=TRUE";
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            assertThat(c.isValid(1)).isTrue(); // as earlier versions created it: an empty login
        }
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            assertThat(registry.models()).isEmpty();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url, "", "").close()).isInstanceOf(SQLException.class);
        try (ModelRegistry again = ModelRegistry.embedded(home)) {
            assertThat(again.auditLog().verify().intact()).isTrue();
        }
    }

    @Test
    void aKeyRecordChangedInTheFileIsRefusedAndReported(@TempDir Path home) throws Exception {
        String predictor;
        String revoked;
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            predictor = registry.apiKeys().create("ward-7", Role.PREDICTOR, "sepsis", Optional.empty(), "test").token();
            revoked = registry.apiKeys().create("gone", Role.AUDITOR, "*", Optional.empty(), "test").token();
            registry.apiKeys().revoke(revoked.substring(3, 11), "test");
            assertThat(registry.apiKeys().authenticate(predictor)).isPresent();
            assertThat(registry.check().consistent()).isTrue();
        }
        String id = predictor.substring(3, 11);
        sql(home, "UPDATE api_key SET role = 'admin', models = '*' WHERE key_id = '" + id + "'");
        sql(home, "UPDATE api_key SET revoked_at = NULL WHERE key_id = '" + revoked.substring(3, 11) + "'");
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            assertThat(registry.apiKeys().authenticate(predictor)).isEmpty();
            assertThat(registry.apiKeys().authenticate(revoked)).isEmpty();
            ModelRegistry.CheckReport report = registry.check();
            assertThat(report.consistent()).isFalse();
            assertThat(report.alteredKeys()).containsExactlyInAnyOrder("key " + id + ": changed outside MedMaaS",
                    "key " + revoked.substring(3, 11) + ": changed outside MedMaaS");
        }
    }

    @Test
    void keysFromBeforeSealsAreSealedAtTheUpgradeOnlyAndAClearedSealIsRefusedAfter(@TempDir Path home) throws Exception {
        String token;
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            token = registry.apiKeys().create("ward-7", Role.PREDICTOR, "*", Optional.empty(), "test").token();
        }
        // As a database of the release before seals: no seal column, schema version 4.
        sql(home, "ALTER TABLE api_key DROP COLUMN record_mac");
        sql(home, "DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '" + ModelRegistry.KEY_SEAL_MIGRATION + "'");
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            assertThat(registry.apiKeys().authenticate(token)).isPresent();
            assertThat(registry.check().alteredKeys()).isEmpty();
            List<String> actions = new ArrayList<>();
            registry.auditLog().forEach(e -> actions.add(e.event().action()));
            // The first key marked the registry; the upgrade sealed the old record and marked again.
            assertThat(actions.stream().filter("key.seal"::equals)).hasSize(2);
            assertThat(registry.auditLog().verify().intact()).isTrue();
        }
        // After the upgrade, clearing a seal (to get a changed record sealed) is refused, not sealed.
        String id = token.substring(3, 11);
        sql(home, "UPDATE api_key SET record_mac = NULL, role = 'admin' WHERE key_id = '" + id + "'");
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            assertThat(registry.apiKeys().authenticate(token)).isEmpty();
            assertThat(registry.check().alteredKeys()).containsExactly("key " + id + ": not sealed");
        }
    }

    @Test
    void aSealClearedWhileTheUpgradeIsLongPastIsRefusedNotSealed(@TempDir Path home) throws Exception {
        String token;
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            token = registry.apiKeys().create("ward-7", Role.AUDITOR, "*", Optional.empty(), "test").token();
        }
        String id = token.substring(3, 11);
        sql(home, "UPDATE api_key SET record_mac = NULL, role = 'admin' WHERE key_id = '" + id + "'");
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            assertThat(registry.apiKeys().authenticate(token)).isEmpty();
        }
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            assertThat(registry.check().alteredKeys()).containsExactly("key " + id + ": not sealed");
        }
    }

    @Test
    void aDatabaseWhoseLoginKeyIsMissingIsRefusedByName(@TempDir Path home) throws Exception {
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            assertThat(registry.models()).isEmpty();
        }
        Files.delete(home.resolve("database.key"));
        assertThatThrownBy(() -> ModelRegistry.embedded(home)).hasMessageContaining("database.key").hasMessageContaining("missing");
        assertThat(home.resolve("database.key")).doesNotExist();
    }
}
