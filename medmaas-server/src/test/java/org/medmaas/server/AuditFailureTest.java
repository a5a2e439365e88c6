package org.medmaas.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.registry.Role;

/** Writing the audit entry is part of the request: when it cannot be written, the caller gets 503 and no result. */
class AuditFailureTest {

    @Test
    void aPredictionWhoseAuditEntryCannotBeWrittenIsWithheld(@TempDir Path home) throws Exception {
        try (ServerFixture f = ServerFixture.start(home)) {
            String body = "{\"record\": {\"glucose\": 150, \"bmi\": 33.5, \"smoker\": \"current\"}}";
            assertThat(f.post("/api/v1/diagnosis/diabetes/predict", Role.PREDICTOR, body).statusCode()).isEqualTo(200);
            // Break the audit log underneath the server (its head row is what every writer locks).
            try (Connection c = org.medmaas.registry.ModelRegistry.embeddedConnection(home.resolve("registry")); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM audit_head");
            }
            HttpResponse<String> r = f.post("/api/v1/diagnosis/diabetes/predict", Role.PREDICTOR, body);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("audit log could not be written").doesNotContain("probabilities");
        }
    }

    @Test
    void aKeyStoreThatCannotBeReadIs503WithARetryNot500(@TempDir Path home) throws Exception {
        try (ServerFixture f = ServerFixture.start(home)) {
            // A key the server has never seen, so it must ask the database (no cached answer).
            String fresh = f.registry.apiKeys().create("fresh", org.medmaas.registry.Role.PREDICTOR, "*",
                    java.util.Optional.empty(), "test").token();
            try (Connection c = org.medmaas.registry.ModelRegistry.embeddedConnection(home.resolve("registry")); Statement s = c.createStatement()) {
                s.executeUpdate("ALTER TABLE api_key RENAME TO api_key_away");
            }
            HttpResponse<String> r = f.send("POST", "/api/v1/diagnosis/diabetes/predict", java.util.Optional.of(fresh),
                    "{\"record\": {\"glucose\": 150, \"bmi\": 33.5, \"smoker\": \"current\"}}", "application/json");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
            assertThat(r.body()).contains("/unavailable").doesNotContain(fresh);
        }
    }
}
