package org.medmaas.server;

import org.medmaas.ml.calibration.CalibrationMethod;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.StringColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.diagnosis.DiagnosisTrainer;
import org.medmaas.diagnosis.DiagnosisTrainingRequest;
import org.medmaas.ml.calibration.ThresholdRule;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.Role;

/**
 * A real registry with trained models and a key per role, and a real server on a free loopback
 * port, reached with the JDK's HTTP client.
 */
final class ServerFixture implements AutoCloseable {

    final ModelRegistry registry;
    final MedmaasServer server;
    final Map<Role, String> keys = new EnumMap<>(Role.class);
    final HttpClient client = HttpClient.newHttpClient();

    // The access log and Helidon's start-up lines are for operators; tests keep their output short.
    // (Held in fields: JUL forgets the level of a logger nobody references.)
    private static final java.util.logging.Logger ACCESS_LOG = java.util.logging.Logger.getLogger("medmaas.access");
    private static final java.util.logging.Logger HELIDON_LOG = java.util.logging.Logger.getLogger("io.helidon");

    static {
        ACCESS_LOG.setLevel(java.util.logging.Level.WARNING);
        HELIDON_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private ServerFixture(ModelRegistry registry, MedmaasServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** A patient cohort: glucose, bmi (some missing), smoker → diabetes. */
    static Table cohort(int n, long seed) {
        Random random = new Random(seed);
        String[] ids = new String[n];
        double[] glucose = new double[n];
        double[] bmi = new double[n];
        String[] smoker = new String[n];
        String[] outcome = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = "P" + (10_000 + i);
            glucose[i] = 105 + 25 * random.nextGaussian();
            bmi[i] = 28 + 5 * random.nextGaussian();
            smoker[i] = random.nextDouble() < 0.3 ? "current" : random.nextDouble() < 0.5 ? "former" : "never";
            double logit = (glucose[i] - 110) / 15 + (bmi[i] - 28) / 6 + (smoker[i].equals("current") ? 0.8 : 0) - 0.7;
            outcome[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? "yes" : "no";
        }
        return Table.of(StringColumn.identifiers("patient_id", ids), NumericColumn.of("glucose", glucose),
                NumericColumn.of("bmi", bmi), CategoricalColumn.of("smoker", smoker), CategoricalColumn.of("diabetes", outcome));
    }

    /** Trains a bundle with one learner into {@code dir}. */
    static Path train(Path dir, String learner, long seed) {
        DiagnosisTrainingRequest request = new DiagnosisTrainingRequest(cohort(400, seed), "diabetes", List.of(learner), 3, 42,
                CalibrationMethod.PLATT, ThresholdRule.parse("youden"), "roc_auc", SchemaFile.empty());
        new DiagnosisTrainer().train(request, dir, m -> { });
        return dir;
    }

    /**
     * Registry with "diabetes" v1 (lr) and v2 (lr, other data), champion → v1, and "diabetes-mlp"
     * v1 (mlp); keys for each role; the server started with {@code settings} on a free port.
     */
    static ServerFixture start(Path home, ServerSettings settings) {
        ModelRegistry registry = ModelRegistry.embedded(home.resolve("registry"));
        if (registry.models().isEmpty()) {
            registry.register("diabetes", train(home.resolve("lr-1"), "lr", 1), "test");
            registry.register("diabetes", train(home.resolve("lr-2"), "lr", 2), "test");
            registry.setAlias("diabetes", "champion", 1, "test");
            registry.register("diabetes-mlp", train(home.resolve("mlp-1"), "mlp", 3), "test");
        }
        MedmaasServer server = new MedmaasServer(registry, settings.withPort(0), home).start();
        ServerFixture f = new ServerFixture(registry, server);
        for (Role role : Role.values()) {
            f.keys.put(role, registry.apiKeys().create("test " + role.label(), role, "*", Optional.empty(), "test").token());
        }
        return f;
    }

    /**
     * With the defaults, except no limit on failed authentications per address: these tests send
     * many refused calls from one address on purpose (the limit has a test of its own).
     */
    static ServerFixture start(Path home) {
        return start(home, ServerSettings.defaults().withAuthFailuresPerMinute(0));
    }

    HttpResponse<String> send(String method, String path, Optional<Role> as, String body) {
        return send(method, path, as.map(keys::get), body, "application/json");
    }

    HttpResponse<String> send(String method, String path, Optional<String> token, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType);
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path, Role as) {
        return send("GET", path, Optional.of(as), "");
    }

    HttpResponse<String> post(String path, Role as, String body) {
        return send("POST", path, Optional.of(as), body);
    }

    /** One HTTP/1.1 response: the head, then as many body bytes as its Content-Length says. */
    static String readResponse(InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(text);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return text + new String(body, StandardCharsets.UTF_8);
    }

    /** Sends raw bytes on a new connection and reads one answer (for requests the JDK's client will not send). */
    String raw(String request) throws IOException {
        URI base = URI.create(server.baseUrl());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readResponse(socket.getInputStream());
        }
    }

    /** One request on a connection from a given loopback address (Linux routes all of 127/8 to loopback). */
    String rawFrom(String localAddress, String request) throws IOException {
        URI base = URI.create(server.baseUrl());
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress(localAddress, 0));
            socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return ServerFixture.readResponse(socket.getInputStream());
        }
    }

    @Override
    public void close() {
        server.close();
        registry.close();
    }
}
