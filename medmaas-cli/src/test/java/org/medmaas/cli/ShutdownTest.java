package org.medmaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.registry.AuditEntry;
import org.medmaas.registry.ModelRegistry;

/**
 * Issue 11, item 12: SIGTERM stops `medmaas serve` in order (stop taking requests, drain, write the
 * counted refusals, commit and checkpoint the audit, close the database), so the audit is whole and
 * the database never logs a write after its close. Before, the database's own shutdown hook raced
 * the audit log's last checkpoint.
 */
class ShutdownTest {

    @Test
    void sigtermStopsInOrderAndKeepsEveryAuditEntry(@TempDir Path home) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--registry", home.toString(), "--port", "0")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String base = null;
        for (String line; base == null && (line = out.readLine()) != null;) {
            lines.add(line);
            Matcher m = Pattern.compile(" at (http://\\S+)$").matcher(line);
            if (m.find()) {
                base = m.group(1);
            }
        }
        assertThat(base).as(String.join("\n", lines)).isNotNull();
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/models"))
                    .header("Authorization", "Bearer mm_00000000_" + "A".repeat(43)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
        }
        Thread drain = Thread.ofVirtual().start(() -> {
            try {
                out.lines().forEach(lines::add);
            } catch (java.io.UncheckedIOException e) {
                // the process ended and its output closed
            }
        });
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        drain.join(5_000);
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        assertThat(String.join("\n", lines)).doesNotContainIgnoringCase("already closed").doesNotContain("Exception");
        try (Stream<Path> files = Files.list(home)) {
            for (Path trace : files.filter(f -> f.getFileName().toString().endsWith(".trace.db")).toList()) {
                assertThat(Files.readString(trace)).doesNotContainIgnoringCase("already closed");
            }
        }
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            List<AuditEntry> denied = new ArrayList<>();
            registry.auditLog().forEach(e -> {
                if (e.event().action().equals("auth.denied")) {
                    denied.add(e);
                }
            });
            // The first refusal was written at once; the other two were counted and written at the stop.
            assertThat(denied).hasSize(2);
            assertThat(denied.get(1).event().details()).startsWith("2 more of these");
            assertThat(registry.auditLog().verify().intact()).isTrue();
        }
    }
}
