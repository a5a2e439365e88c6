package org.medmaas.registry;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * The registry's database: a pooled JDBC source migrated by Flyway, and the two ways the registry
 * uses it (a read, a transaction), each turning SQL failures into one actionable error.
 */
final class Database implements AutoCloseable {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource source;
    private final boolean h2;
    /** The schema version the database had when this process opened it (0: a new database). */
    private final int versionAtOpen;

    /** The highest migration in {@code db/registry} (a test keeps it equal to the scripts). */
    static final int LATEST_MIGRATION = 5;

    Database(DataSource source) {
        this.source = source;
        this.h2 = source instanceof HikariDataSource pool && pool.getJdbcUrl().startsWith("jdbc:h2:");
        // Flyway takes a second or more to start (it scans for plugins and scripts), which would
        // dominate every CLI command and the server's cold start; a database already at the latest
        // version needs none of it.
        this.versionAtOpen = migratedVersion();
        if (versionAtOpen < LATEST_MIGRATION) {
            Flyway.configure().dataSource(source).locations("classpath:db/registry").load().migrate();
        }
    }

    /** Whether this open migrated an existing database from below {@code version}. */
    boolean upgradedPast(int version) {
        return versionAtOpen > 0 && versionAtOpen < version;
    }

    /** The version Flyway last applied, or 0 for a new database. */
    private int migratedVersion() {
        try (Connection c = source.getConnection();
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT MAX(CAST(\"version\" AS INTEGER)) FROM \"flyway_schema_history\""
                        + " WHERE \"success\" = TRUE")) {
            return r.next() ? r.getInt(1) : 0;
        } catch (SQLException e) {
            return 0; // no history table yet: a new database
        }
    }

    /**
     * A pool on a PostgreSQL or H2 URL. Credentials in the URL are never logged: the pool is told
     * the URL, and its errors are turned into messages that name the database kind only.
     */
    static Database pooled(String jdbcUrl) {
        return pooled(jdbcUrl, Optional.empty());
    }

    /** A pool that logs in with a user and password given apart from the URL (the embedded database's generated ones). */
    static Database pooled(String jdbcUrl, Optional<Credentials> credentials) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
            throw MedmaasException.invalid("The registry database URL must start with jdbc:postgresql: or jdbc:h2:.");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        credentials.ifPresent(login -> {
            config.setUsername(login.user());
            config.setPassword(login.password());
        });
        config.setPoolName("medmaas-registry");
        config.setMaximumPoolSize(16);
        config.setMinimumIdle(1);
        // Fail fast and clearly when the database is down, rather than hang the first request.
        config.setInitializationFailTimeout(10_000);
        config.setConnectionTimeout(10_000);
        try {
            return new Database(new HikariDataSource(config));
        } catch (RuntimeException e) {
            throw new MedmaasException(ErrorCode.IO, "Could not open the registry database ("
                    + (jdbcUrl.startsWith("jdbc:h2:") ? "H2" : "PostgreSQL") + "): " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        // H2 and the PostgreSQL driver may quote the URL, which can hold a password.
        return m.replaceAll("jdbc:[^\\s\"']+", "<url>");
    }

    /** A database login. */
    record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=<hidden>]";
        }
    }

    <T> T query(Work<T> work) {
        try (Connection c = source.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** A connection of the pool, for a caller that manages its own transaction (the audit writer's lease). */
    Connection connection() throws SQLException {
        return source.getConnection();
    }

    <T> T inTransaction(Work<T> work) {
        return inTransaction(work, true);
    }

    /**
     * A transaction; with {@code durable} false on H2, committed without a checkpoint (for the
     * audit writer, whose journal makes the commit durable instead).
     */
    <T> T inTransaction(Work<T> work, boolean durable) {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                if (durable) {
                    durable(c);
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * Makes a commit durable before the caller is told it happened. PostgreSQL's commit already is
     * (synchronous_commit). H2 writes committed changes from a background thread, which also
     * compacts the file; a CHECKPOINT writes them now and keeps that thread (with WRITE_DELAY=0
     * there is no such thread and the file grows without bound under a steady audit load).
     */
    private void durable(Connection c) throws SQLException {
        if (h2) {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("CHECKPOINT");
            }
        }
    }

    /** Whether this is the embedded H2 database (whose commits need a checkpoint to reach the disk). */
    boolean h2() {
        return h2;
    }

    /** Writes and syncs everything committed so far (H2; PostgreSQL's commits already are durable). */
    void checkpoint() {
        if (h2) {
            query(c -> {
                durable(c);
                return null;
            });
        }
    }

    static MedmaasException failed(SQLException e) {
        return new MedmaasException(ErrorCode.IO, "The registry database failed: " + rootMessage(e), e);
    }

    @Override
    public void close() {
        if (source instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing a pool that failed is not worth failing the caller's work for
            }
        }
    }
}
