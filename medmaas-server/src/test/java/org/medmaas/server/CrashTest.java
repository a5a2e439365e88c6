package org.medmaas.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.registry.AuditEntry;
import org.medmaas.registry.AuditQuery;
import org.medmaas.registry.AuditVerification;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.ModelVersion;
import org.medmaas.registry.Role;

/**
 * Kills the server process (SIGKILL, as {@code kill -9}) during a burst of predictions and during
 * registrations, then opens the registry again: no partial version exists, the audit chain
 * verifies, and every prediction the server acknowledged is in it.
 */
class CrashTest {

    private static final String BODY = "{\"record\": {\"glucose\": 150, \"bmi\": 33.5, \"smoker\": \"current\"}}";

    private record Running(Process process, String base) {
    }

    private static Running launch(Path home) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashTestServer.class.getName(), home.toString(), "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("listening ")) {
            // skip anything printed before the server listens
        }
        assertThat(line).as("the server process started").isNotNull();
        return new Running(p, "http://127.0.0.1:" + line.substring("listening ".length()).strip());
    }

    private static void killHard(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
        p.waitFor();
    }

    private static List<Path> journalSegments(Path home) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(home.resolve("audit-journal"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".journal")).toList();
        }
    }

    @Test
    void killedDuringAPredictionBurstLosesNoAcknowledgedAuditEntry(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("registry");
        String token;
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            registry.register("diabetes", ServerFixture.train(dir.resolve("lr"), "lr", 1), "test");
            token = registry.apiKeys().create("burst", Role.PREDICTOR, "*", Optional.empty(), "test").token();
        }
        Running server = launch(home);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean go = new AtomicBoolean(true);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                clients.add(pool.submit(() -> {
                    while (go.get()) {
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.base()
                                    + "/api/v1/diagnosis/diabetes/predict")).header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                acknowledged.add(r.headers().firstValue("X-Request-Id").orElseThrow());
                            }
                        } catch (java.io.IOException e) {
                            return null; // the server died
                        }
                    }
                    return null;
                }));
            }
            while (acknowledged.size() < 200) {
                Thread.sleep(20);
            }
            killHard(server.process());
            go.set(false);
            for (Future<?> c : clients) {
                c.get();
            }
        }
        // The killed server wrote its audit batches to the journal; opening the registry replays them.
        // (a segment prepared ahead holds only zeros: at least one must start with a record)
        assertThat(journalSegments(home)).anySatisfy(segment -> assertThat(java.nio.file.Files.size(segment) >= 4
                && java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(segment)).getInt() > 0).isTrue());
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            assertThat(journalSegments(home)).as("replayed and dropped at open").isEmpty();
            AuditVerification v = registry.auditLog().verify();
            assertThat(v.problems()).isEmpty();
            Set<String> audited = new HashSet<>();
            long after = 0;
            List<AuditEntry> page;
            do {
                page = registry.auditLog().entries(new AuditQuery(after, Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of("predict"), Optional.empty(), 1000));
                page.forEach(e -> audited.add(e.event().requestId()));
                after = page.isEmpty() ? after : page.get(page.size() - 1).seq();
            } while (!page.isEmpty());
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(200);
            assertThat(audited).containsAll(acknowledged);
        }
    }

    @Test
    void killedDuringRegistrationsLeavesWholeVersionsOnly(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("registry");
        String token;
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            token = registry.apiKeys().create("uploader", Role.MODELER, "*", Optional.empty(), "test").token();
        }
        byte[] bundle;
        Path archived = dir.resolve("bundle.zip");
        ModelBundle read = ModelBundle.read(ServerFixture.train(dir.resolve("lr"), "lr", 1));
        read.copyTo(archived);
        bundle = Files.readAllBytes(archived);
        Running server = launch(home);
        HttpClient client = HttpClient.newHttpClient();
        AtomicBoolean go = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Integer> acknowledged = new ConcurrentLinkedQueue<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> uploaders = new ArrayList<>();
            for (int u = 0; u < 4; u++) {
                uploaders.add(pool.submit(() -> {
                    while (go.get()) {
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.base()
                                    + "/api/v1/models/crash/versions")).header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(bundle))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) {
                                acknowledged.add(org.medmaas.core.json.Json.MAPPER.readTree(r.body()).get("version").asInt());
                            }
                        } catch (java.io.IOException e) {
                            return null;
                        }
                    }
                    return null;
                }));
            }
            while (acknowledged.size() < 5) {
                Thread.sleep(10);
            }
            killHard(server.process());
            go.set(false);
            for (Future<?> u : uploaders) {
                u.get();
            }
        }
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            List<ModelVersion> versions = registry.versions("crash");
            // Whole versions only: numbered 1..n without gaps, each with a bundle that verifies and loads.
            assertThat(versions).extracting(ModelVersion::version)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, versions.size()).boxed().toList());
            assertThat(versions.stream().map(ModelVersion::version).toList()).containsAll(acknowledged);
            versions.forEach(v -> ModelBundle.read(registry.bundle(v)));
            // An interrupted registration may leave an artifact nothing points to; check finds it, repair removes it.
            assertThat(registry.check().missingOrAltered()).isEmpty();
            assertThat(registry.repair().consistent()).isTrue();
            // Each version's registration is in the audit log (same transaction), and the chain verifies.
            assertThat(registry.auditLog().verify().problems()).isEmpty();
            List<AuditEntry> registrations = registry.auditLog().entries(new AuditQuery(0, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of("model.register"), Optional.empty(), 1000));
            assertThat(registrations).as(registrations.toString()).filteredOn(e -> e.event().outcome().equals("ok"))
                    .hasSize(versions.size());
        }
    }
}
