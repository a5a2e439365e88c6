package org.medmaas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

    @Test
    void theLatestMigrationConstantMatchesTheScripts() throws Exception {
        try (Stream<Path> scripts = Files.list(Path.of("src", "main", "resources", "db", "registry"))) {
            int highest = scripts.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
            assertThat(Database.LATEST_MIGRATION).isEqualTo(highest);
        }
    }

    @Test
    void aDatabaseIsMigratedOnceAndReopenedWithoutFlyway(@TempDir Path home) throws Exception {
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            assertThat(registry.models()).isEmpty();
        }
        try (Connection c = ModelRegistry.embeddedConnection(home); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(Database.LATEST_MIGRATION);
        }
        try (ModelRegistry reopened = ModelRegistry.embedded(home)) {
            assertThat(reopened.auditLog().verify().intact()).isTrue();
        }
    }
}
