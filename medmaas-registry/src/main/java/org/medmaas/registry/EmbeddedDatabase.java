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
        boolean hadKey = secrets.find(KEY_NAME).isPresent();
        Database.Credentials login = new Database.Credentials(USER, HexFormat.of().formatHex(secrets.findOrCreate(KEY_NAME)));
        if (existed && !hadKey) {
            upgradeLegacyLogin(url, login);
        }
        try {
            return Database.pooled(url, Optional.of(login));
        } catch (MedmaasException e) {
            // A start that created the key but stopped before giving the database its login.
            if (existed && upgradeLegacyLogin(url, login)) {
                return Database.pooled(url, Optional.of(login));
            }
            throw e;
        }
    }

    /**
     * Gives a database that still opens with the empty login the generated one, and removes the
     * empty one. False when the empty login is refused (nothing to upgrade).
     */
    private static boolean upgradeLegacyLogin(String url, Database.Credentials login) {
        try (Connection c = DriverManager.getConnection(url, "", ""); Statement s = c.createStatement()) {
            // The password is 64 hex digits, generated here: nothing in it needs quoting.
            s.execute("CREATE USER IF NOT EXISTS " + USER + " PASSWORD '" + login.password() + "' ADMIN");
        } catch (SQLException e) {
            if (e.getErrorCode() == WRONG_LOGIN) {
                return false;
            }
            throw Database.failed(e);
        }
        try (Connection c = DriverManager.getConnection(url, login.user(), login.password()); Statement s = c.createStatement()) {
            s.execute("DROP USER \"\"");
            return true;
        } catch (SQLException e) {
            throw new MedmaasException(ErrorCode.IO, "The registry database was given its generated login but the empty"
                    + " one could not be removed; start again to retry (" + e.getErrorCode() + ").", e);
        }
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
