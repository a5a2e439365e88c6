package org.medmaas.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.error.MedmaasException;

class KeySourceTest {

    private static final String SECRET = "ab".repeat(32);

    @Test
    void aSecretIsCreatedOnceOwnerOnlyAndFoundAgain(@TempDir Path home) throws Exception {
        KeySource source = KeySource.of(home, Map.of());
        assertThat(source.find("audit.key")).isEmpty();
        byte[] created = source.findOrCreate("audit.key");
        assertThat(created).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("audit.key")))).isEqualTo("rw-------");
        assertThat(source.findOrCreate("audit.key")).isEqualTo(created);
        assertThat(KeySource.of(home, Map.of()).find("audit.key")).hasValue(created);
    }

    @Test
    void theEnvironmentWinsOverTheFileInTheHome(@TempDir Path home) throws Exception {
        Path elsewhere = home.resolve("vault").resolve("audit.key");
        Files.createDirectories(elsewhere.getParent());
        Files.writeString(elsewhere, SECRET.toUpperCase() + "\n");
        assertThat(KeySource.of(home, Map.of("MEDMAAS_AUDIT_KEY_FILE", elsewhere.toString())).find("audit.key"))
                .hasValue(HexFormat.of().parseHex(SECRET));
        assertThat(KeySource.of(home, Map.of("MEDMAAS_DATABASE_KEY", SECRET)).findOrCreate("database.key"))
                .isEqualTo(HexFormat.of().parseHex(SECRET));
        assertThat(home.resolve("database.key")).doesNotExist();
    }

    @Test
    void aMalformedSecretIsRefusedWithoutQuotingIt(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("audit.key"), "hunter2-not-a-key");
        assertThatThrownBy(() -> KeySource.of(home, Map.of()).find("audit.key")).isInstanceOf(MedmaasException.class)
                .hasMessageContaining("64 hex digits").hasMessageNotContaining("hunter2");
    }

    @Test
    void derivedKeysDifferByPurpose() {
        byte[] secret = HexFormat.of().parseHex(SECRET);
        assertThat(KeySource.derive(secret, "a")).hasSize(32).isNotEqualTo(KeySource.derive(secret, "b"))
                .isEqualTo(KeySource.derive(secret, "a"));
    }
}
