package org.medmaas.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.secret.KeySource;

/**
 * The embedded H2 database's login and files. The database opens with a user and a password
 * generated when it is created and kept beside the audit key (the secret {@code database.key},
 * owner-only), not H2's empty default; its files are owner-only. A registry made before this
 * (empty user and password) is given the generated login on its next start.
 */
final class EmbeddedDatabase {

    static final String USER = "MEDMAAS";
    static final String KEY_NAME = "database.key";

    /** H2's error code for a wrong user name or password. */
    private static final int WRONG_LOGIN = 28000;

    private EmbeddedDatabase() {
    }

    static Database open(String url, Path home, KeySource secrets) {
        boolean existed = Files.exists(home.resolve("registry.mv.db"));
        if (existed && secrets.find(KEY_NAME).isEmpty()) {
            // Made by a release before generated logins (empty login), or copied without its key.
            if (!emptyLoginWorks(url)) {
                throw new MedmaasException(ErrorCode.INTEGRITY, "The registry database in " + home + " exists but its login"
                        + " key " + secrets.location(KEY_NAME) + " is missing: copy database.key from where the registry was"
                        + " made, or set MEDMAAS_DATABASE_KEY_FILE to it.");
            }
            giveGeneratedLogin(url, login(secrets.findOrCreate(KEY_NAME)));
        }
        Database.Credentials login = login(secrets.findOrCreate(KEY_NAME));
        Database database;
        try {
            database = Database.pooled(url, Optional.of(login));
        } catch (MedmaasException e) {
            // A start that wrote the key but stopped before giving the database its login.
            if (!existed || !emptyLoginWorks(url)) {
                throw e;
            }
            giveGeneratedLogin(url, login);
            database = Database.pooled(url, Optional.of(login));
        }
        try {
            dropEmptyLogin(database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    private static Database.Credentials login(byte[] key) {
        return new Database.Credentials(USER, HexFormat.of().formatHex(key));
    }

    private static boolean emptyLoginWorks(String url) {
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            return c.isValid(5);
        } catch (SQLException e) {
            if (e.getErrorCode() == WRONG_LOGIN) {
                return false;
            }
            throw Database.failed(e);
        }
    }

    /** Creates the generated login, or sets its password, through the empty login. */
    private static void giveGeneratedLogin(String url, Database.Credentials login) {
        try (Connection c = DriverManager.getConnection(url, "", ""); Statement s = c.createStatement()) {
            // The password is 64 hex digits, generated here: nothing in it needs quoting.
            s.execute("CREATE USER IF NOT EXISTS " + USER + " PASSWORD '" + login.password() + "' ADMIN");
            s.execute("ALTER USER " + USER + " SET PASSWORD '" + login.password() + "'");
        } catch (SQLException e) {
            throw Database.failed(e);
        }
    }

    /**
     * Removes H2's empty login if it is still there, on every open: a start that stopped between
     * giving the generated login and removing the empty one is finished by the next.
     */
    private static void dropEmptyLogin(Database database) {
        database.query(c -> {
            try (Statement s = c.createStatement();
                    java.sql.ResultSet r = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = ''")) {
                r.next();
                if (r.getInt(1) > 0) {
                    try (Statement drop = c.createStatement()) {
                        drop.execute("DROP USER \"\"");
                    }
                }
            }
            return null;
        });
    }

    /** Makes the database's files in the home owner-only (H2 creates them with the process's umask). */
    static void ownerOnlyFiles(Path home) {
        try (Stream<Path> files = Files.list(home)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("registry.")).toList()) {
                KeySource.ownerOnly(f);
            }
        } catch (IOException e) {
            throw MedmaasException.io("Could not make the registry's database files owner-only in " + home + ": "
                    + e.getMessage(), e);
        }
    }
}
