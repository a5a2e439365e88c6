package org.medmaas.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSettingsTest {

    @Test
    void theExampleFileListsEveryKeyWithItsDefault() throws Exception {
        Path example = Path.of("..", "examples", "server.yaml");
        assertThat(ServerSettings.read(example)).isEqualTo(ServerSettings.defaults());
        String text = Files.readString(example);
        ServerSettings.KEYS.forEach(key -> assertThat(text).contains(key + ":"));
    }

    @Test
    void unknownKeysWrongTypesAndUnsafeAddressesAreRefusedByName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "prot: 8080\n");
        assertThatThrownBy(() -> ServerSettings.read(file)).hasMessageContaining("Unknown server settings [prot]");
        Files.writeString(file, "port: eighty\n");
        assertThatThrownBy(() -> ServerSettings.read(file)).hasMessageContaining("'port' must be a number");
        Files.writeString(file, "host: 0.0.0.0\n");
        assertThatThrownBy(() -> ServerSettings.read(file)).hasMessageContaining("Plain HTTP is served on loopback only");
        Files.writeString(file, "host: 0.0.0.0\nunsafe_plain_http: true\n");
        assertThat(ServerSettings.read(file).host()).isEqualTo("0.0.0.0");
        Files.writeString(file, "request_timeout_ms: 5\n");
        assertThatThrownBy(() -> ServerSettings.read(file)).hasMessageContaining("'request_timeout_ms' must be 100–600000");
        Files.writeString(file, "request_timeout_ms: 2500\n");
        assertThat(ServerSettings.read(file).requestTimeoutMillis()).isEqualTo(2500);
        assertThatThrownBy(() -> ServerSettings.defaults().with(Optional.empty(), Optional.empty(),
                Optional.of(dir.resolve("cert.pem")), Optional.empty(), false, Optional.empty()))
                .hasMessageContaining("needs both 'tls_certificate' and 'tls_key'");
    }

    @Test
    void theBurstDefaultsToTwiceTheRateAndCanBeSet() {
        ServerSettings five = ServerSettings.defaults().with(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, Optional.of(5.0));
        assertThat(five.effectiveRateLimitBurst()).isEqualTo(10); // was a fixed 100: 103 of 150 got through
        assertThat(five.with(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(),
                Optional.of(3)).effectiveRateLimitBurst()).isEqualTo(3);
        assertThat(ServerSettings.defaults().with(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false,
                Optional.of(0.2)).effectiveRateLimitBurst()).isEqualTo(1);
    }
}
