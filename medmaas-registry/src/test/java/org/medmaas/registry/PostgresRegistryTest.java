package org.medmaas.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;

/**
 * The registry contract on a real PostgreSQL server, given by {@code MEDMAAS_TEST_POSTGRES_URL}
 * (a JDBC URL with credentials; .ci/run starts a private cluster on loopback and sets it). Each
 * registry home gets a schema of its own, so tests do not see each other's rows.
 */
class PostgresRegistryTest extends ModelRegistryContract {

    private static final String URL = System.getenv("MEDMAAS_TEST_POSTGRES_URL");

    @BeforeEach
    void requireServer() {
        assumeTrue(URL != null && !URL.isBlank(), "MEDMAAS_TEST_POSTGRES_URL is not set: no PostgreSQL server to test"
                + " against (.ci/run starts one; scripts/test-postgres.sh start does it by hand)");
    }

    @Override
    ModelRegistry create(Path home) {
        String schema = "t_" + Integer.toHexString(home.toAbsolutePath().toString().hashCode());
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create a test schema: " + e.getMessage(), e);
        }
        return ModelRegistry.open(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, home);
    }
}
