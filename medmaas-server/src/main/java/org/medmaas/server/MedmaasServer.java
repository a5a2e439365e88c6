package org.medmaas.server;

import org.medmaas.server.http.Deadline;
import org.medmaas.server.http.DocsAssets;
import org.medmaas.server.http.AccessLog;
import org.medmaas.server.http.Gate;
import org.medmaas.server.http.Json;
import org.medmaas.server.http.JwtVerifier;
import org.medmaas.server.http.RateLimiter;
import org.medmaas.server.http.RefusalAudit;
import org.medmaas.server.http.Reply;
import org.medmaas.server.http.Route;
import org.medmaas.server.http.ServerMetrics;
import org.medmaas.server.http.TransportRefusals;
import org.medmaas.server.management.ManagementApi;
import org.medmaas.server.protocol.InferenceProtocol;
import org.medmaas.server.serving.Batcher;
import org.medmaas.server.serving.Predictor;
import org.medmaas.server.serving.ServedModels;
import org.medmaas.server.serving.ServiceApi;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.http.Method;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.io.IOException;
import java.time.Duration;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.serving.Prediction;
import org.medmaas.core.serving.Service;
import org.medmaas.core.table.Table;
import org.medmaas.registry.ModelRegistry;

/**
 * The MedMaaS HTTP server: Helidon SE 4 on virtual threads, serving the Open Inference Protocol
 * v2, each service's API ({@link Services}) and the management API from one registry. Every route is in
 * {@link #routes()}; every request goes through the {@link Gate}.
 */
public final class MedmaasServer implements AutoCloseable {

    private final ModelRegistry registry;
    private final ServerSettings settings;
    private final ServerMetrics metrics = new ServerMetrics();
    private final List<Service> services;
    private final ServedModels models;
    private final Gate gate;
    private final RefusalAudit refusals;
    private final List<Route> routes;
    private final Map<String, Batcher> batchers = new ConcurrentHashMap<>();
    private final byte[] openApi;
    private final byte[] docsPage;
    private final AccessLog access = new AccessLog();
    private WebServer server;
    private Thread preloading = Thread.ofVirtual().unstarted(() -> { });

    public MedmaasServer(ModelRegistry registry, ServerSettings settings, Path scratch) {
        this.registry = registry;
        this.settings = settings;
        this.services = Services.all();
        this.models = new ServedModels(registry, services);
        this.refusals = new RefusalAudit(registry.auditLog(), REFUSAL_WINDOW);
        metrics.watch(access);
        this.gate = new Gate(registry.apiKeys(), settings.jwt().map(JwtVerifier::new), registry.auditLog(), metrics,
                new RateLimiter(settings.rateLimitPerSecond(), settings.effectiveRateLimitBurst()),
                new RateLimiter(settings.authFailuresPerMinute() / 60.0, settings.authFailuresPerMinute()), refusals,
                access, settings.requestTimeoutMillis());
        this.openApi = resource("openapi.yaml");
        this.docsPage = resource("docs.html");
        this.routes = routes(registry, scratch);
    }

    /** The version this build reports in server metadata. */
    public static String version() {
        String v = MedmaasServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** How long repeated refusals from one source are counted into one audit entry. */
    public static final Duration REFUSAL_WINDOW = Duration.ofMinutes(1);

    /** Rows explained between two deadline checks. */
    private static final int EXPLAIN_CHUNK = 16;

    /**
     * Explanation work running at once, at most: half the cores (at least one). Explaining costs far
     * more than scoring, so without a bound a few large explained requests would take every core
     * and starve plain predictions; with it they queue for a slot, chunk by chunk, within their
     * own time limit.
     */
    private final java.util.concurrent.Semaphore explaining = new java.util.concurrent.Semaphore(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), true);

    private List<? extends Prediction> explained(ServedModels.Served served, Table rows, int explain, Deadline deadline) {
        boolean acquired;
        try {
            acquired = explaining.tryAcquire(Math.max(0, deadline.remainingNanos()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw deadline.expired("waiting to explain");
        }
        if (!acquired) {
            throw deadline.expired("waiting to explain (other requests' explanations were running)");
        }
        try {
            return served.model().predict(rows, explain);
        } finally {
            explaining.release();
        }
    }

    private final Predictor predictor = new Predictor() {
        @Override
        public ServedModels.Served model(String name, String reference) {
            ServedModels.Served served = models.get(name, reference);
            metrics.loadedModels.set(models.loaded().size());
            return served;
        }

        @Override
        public List<? extends Prediction> predict(ServedModels.Served served, Table rows, int explain, Deadline deadline) {
            List<? extends Prediction> predictions = scored(served, rows, explain, deadline);
            try {
                served.shift().record(rows); // rows that were scored only: refused ones never reach the window
            } catch (RuntimeException e) {
                // A scored answer is not withheld for the monitor's sake; the cause names no value.
                System.getLogger("medmaas.server").log(System.Logger.Level.WARNING, "The shift monitor of " + served.label()
                        + " skipped a batch: " + e.getClass().getSimpleName());
            }
            return predictions;
        }

        private List<? extends Prediction> scored(ServedModels.Served served, Table rows, int explain, Deadline deadline) {
            deadline.check("loading the model");
            // Models that read several rows per prediction (a patient's visits) are never batched: a
            // batch would merge the units of several requests.
            if (explain == 0 && served.model().flatRows() && settings.batchLearners().contains(served.version().learner())) {
                // Validated before queuing, so that a batch holds only rows that fit (predict validates
                // the unbatched path itself).
                served.model().validate(rows);
                return batchers.computeIfAbsent(served.label(), k -> new Batcher(served.model(), k, settings.batchMaxRows(),
                        settings.batchDelayMicros(), n -> metrics.batch(served.version().name(), n))).predict(rows, deadline);
            }
            if (explain == 0) {
                return served.model().predict(rows, 0);
            }
            if (rows.rowCount() <= EXPLAIN_CHUNK) {
                return explained(served, rows, explain, deadline);
            }
            // Explanations cost far more than scores (Kernel SHAP scores hundreds of coalitions per
            // row), so many rows are explained a chunk at a time with the deadline checked between.
            served.model().validate(rows);
            List<Prediction> out = new java.util.ArrayList<>(rows.rowCount());
            for (int start = 0; start < rows.rowCount(); start += EXPLAIN_CHUNK) {
                deadline.check("explaining rows " + (start + 1) + " onwards");
                int[] chunk = java.util.stream.IntStream.range(start, Math.min(rows.rowCount(), start + EXPLAIN_CHUNK)).toArray();
                for (Prediction p : explained(served, rows.take(chunk), explain, deadline)) {
                    out.add(p.numbered(out.size() + 1));
                }
            }
            return out;
        }
    };

    private List<Route> routes(ModelRegistry registry, Path scratch) {
        InferenceProtocol protocol = new InferenceProtocol(registry, predictor, version());
        ManagementApi management = new ManagementApi(registry, models, scratch);
        Route.Family p = Route.Family.PROTOCOL;
        Route.Family a = Route.Family.API;
        List<Route> r = new ArrayList<>();
        // Open Inference Protocol v2
        r.add(new Route("GET", "/v2/health/live", Route.ANYONE, p, "",
                c -> Reply.json(200, Json.bytes(Map.of("live", true)), Reply.AuditNote.NONE)));
        r.add(new Route("GET", "/v2/health/ready", Route.ANYONE, p, "", c -> ready()));
        r.add(new Route("GET", "/v2", Route.READERS, p, "protocol.metadata", protocol::serverMetadata));
        r.add(new Route("GET", "/v2/models/{name}", Route.READERS, p, "protocol.metadata", c -> protocol.modelMetadata(c, "")));
        r.add(new Route("GET", "/v2/models/{name}/versions/{version}", Route.READERS, p, "protocol.metadata",
                c -> protocol.modelMetadata(c, c.path("version"))));
        r.add(new Route("GET", "/v2/models/{name}/ready", Route.READERS, p, "protocol.ready", c -> protocol.modelReady(c, "")));
        r.add(new Route("GET", "/v2/models/{name}/versions/{version}/ready", Route.READERS, p, "protocol.ready",
                c -> protocol.modelReady(c, c.path("version"))));
        r.add(new Route("POST", "/v2/models/{name}/infer", Route.PREDICTORS, p, "predict", c -> protocol.infer(c, "")));
        r.add(new Route("POST", "/v2/models/{name}/versions/{version}/infer", Route.PREDICTORS, p, "predict",
                c -> protocol.infer(c, c.path("version"))));
        // Each service's own API
        for (Service service : services) {
            ServiceApi api = new ServiceApi(service, predictor);
            r.add(new Route("POST", "/api/v1/" + api.task() + "/{model}/predict", Route.PREDICTORS, a, "predict",
                    c -> api.predict(c, c.path("model"), "")));
            r.add(new Route("POST", "/api/v1/" + api.task() + "/{model}/versions/{version}/predict", Route.PREDICTORS, a, "predict",
                    c -> api.predict(c, c.path("model"), c.path("version"))));
        }
        // Management
        r.add(new Route("GET", "/api/v1/models", Route.READERS, a, "model.list", management::list));
        r.add(new Route("GET", "/api/v1/models/{name}", Route.READERS, a, "model.read", management::show));
        r.add(new Route("GET", "/api/v1/models/{name}/card", Route.READERS, a, "model.card.read", management::card));
        r.add(new Route("GET", "/api/v1/models/{name}/shift", Route.MONITORS, a, "model.shift.read", management::shift));
        r.add(new Route("PUT", "/api/v1/models/{name}/card", Route.MODELERS, a, "model.card", management::setCardField));
        r.add(new Route("POST", "/api/v1/models/{name}/versions", Route.MODELERS, a, "model.register", management::register));
        r.add(new Route("POST", "/api/v1/models/{name}/import/onnx", Route.MODELERS, a, "model.register", management::importOnnx));
        r.add(new Route("PUT", "/api/v1/models/{name}/aliases/{alias}", Route.MODELERS, a, "model.alias", management::setAlias));
        r.add(new Route("PUT", "/api/v1/models/{name}/tags/{key}", Route.MODELERS, a, "model.tag", management::setTag));
        r.add(new Route("DELETE", "/api/v1/models/{name}/tags/{key}", Route.MODELERS, a, "model.tag", management::removeTag));
        r.add(new Route("PUT", "/api/v1/models/{name}/versions/{version}/stage", Route.MODELERS, a, "model.stage",
                management::setStage));
        r.add(new Route("POST", "/api/v1/models/{name}/versions/{version}/unload", Route.MODELERS, a, "model.unload",
                c -> {
                    batchers.keySet().removeIf(k -> {
                        if (k.equals(c.path("name") + "@" + c.path("version"))) {
                            batchers.get(k).close();
                            return true;
                        }
                        return false;
                    });
                    return management.unload(c);
                }));
        r.add(new Route("GET", "/api/v1/keys", Route.ADMINS, a, "key.list", management::listKeys));
        r.add(new Route("POST", "/api/v1/keys", Route.ADMINS, a, "key.create", management::createKey));
        r.add(new Route("DELETE", "/api/v1/keys/{id}", Route.ADMINS, a, "key.revoke", c -> {
            Reply reply = management.revokeKey(c);
            gate.forgetKeys();
            return reply;
        }));
        r.add(new Route("GET", "/api/v1/audit", Route.AUDITORS, a, "audit.read", management::audit));
        r.add(new Route("GET", "/api/v1/audit/verify", Route.AUDITORS, a, "audit.verify", management::verifyAudit));
        r.add(new Route("GET", "/api/v1/backup", Route.ADMINS, a, "registry.backup", management::backup));
        r.add(new Route("GET", "/api/v1/noop", Route.PREDICTORS, a, "noop",
                c -> Reply.json(200, Json.bytes(Map.of("ok", true)), Reply.AuditNote.of("noop", ""))));
        // Operations
        r.add(new Route("GET", "/metrics", Route.AUDITORS, a, "", c -> {
            byte[] scraped;
            synchronized (metrics) { // one scrape at a time sets the shift gauges of the versions loaded now
                metrics.clearShift();
                models.loaded().forEach(m -> metrics.shift(m.version().name(), Integer.toString(m.version().version()),
                        m.shift().report()));
                scraped = metrics.scrape();
            }
            return new Reply(200, metrics.contentType(), scraped, Reply.AuditNote.NONE);
        }));
        r.add(new Route("GET", "/openapi", Route.READERS, a, "",
                c -> new Reply(200, "application/yaml", openApi, Reply.AuditNote.NONE)));
        // The Swagger UI page and its static files: anonymous like health, because a browser
        // cannot send a key before the page exists. They hold no data and not the API description,
        // which the page fetches from /openapi with the key the user types.
        r.add(new Route("GET", "/docs", Route.ANYONE, a, "", c -> new Reply(200, "text/html; charset=utf-8", docsPage,
                Reply.AuditNote.NONE)));
        r.add(new Route("GET", "/docs/assets/{file}", Route.ANYONE, a, "", c -> DocsAssets.serve(c.path("file"))));
        return List.copyOf(r);
    }

    private Reply ready() {
        try {
            registry.models();
            return Reply.json(200, Json.bytes(Map.of("ready", true)), Reply.AuditNote.NONE);
        } catch (MedmaasException e) {
            return Reply.json(503, Json.bytes(Map.of("ready", false)), Reply.AuditNote.NONE);
        }
    }

    /** The routes, for tests and documentation that must stay in step with them. */
    public List<String> routeSignatures() {
        return routes.stream().map(r -> r.method() + " " + r.path()).toList();
    }

    List<Route> routeTable() {
        return routes;
    }

    /**
     * Listens, then loads the served models in the background (a request for a model not loaded
     * yet loads it on the spot), so the first prediction does not wait for every model. Returns
     * once the server accepts connections.
     */
    public MedmaasServer start() {
        WebServerConfig.Builder builder = WebServer.builder().host(settings.host()).port(settings.port())
                .maxPayloadSize(settings.maxBodyBytes()).shutdownHook(false)
                // Stopping lets every request in flight finish within its own time limit (Helidon's
                // default grace is half a second, which would cut long explanations off mid-answer).
                // Capped at 25 s: a container runtime's stop timeout is often 30 s before SIGKILL.
                .shutdownGracePeriod(Duration.ofMillis(Math.min(25_000, settings.requestTimeoutMillis() + 1_000)))
                .directHandlers(handlers -> {
                    TransportRefusals answer = new TransportRefusals(refusals, metrics, access);
                    for (io.helidon.http.DirectHandler.EventType type : io.helidon.http.DirectHandler.EventType.values()) {
                        handlers.addHandler(type, answer);
                    }
                })
                .connectionOptions(socket -> socket.readTimeout(Duration.ofMillis(settings.requestTimeoutMillis())));
        if (settings.https()) {
            Keys keys = Keys.builder().pem(pem -> pem.key(Resource.create(settings.tlsKey().orElseThrow()))
                    .certChain(Resource.create(settings.tlsCertificate().orElseThrow()))).build();
            builder.tls(tls -> tls.privateKey(keys.privateKey().orElseThrow(() -> MedmaasException.invalid(
                    "The TLS key file holds no private key."))).privateKeyCertChain(keys.certChain()));
        }
        builder.routing(routing -> {
            for (Route route : routes) {
                routing.route(Method.create(route.method()), route.path(), (req, res) -> gate.handle(route, req, res));
            }
            // Anything no route took: 405 with Allow for a known path, else 404, both problem+json.
            routing.any((req, res) -> gate.unrouted(routes, req, res));
        });
        try {
            server = builder.build().start();
        } catch (RuntimeException e) {
            throw new MedmaasException(ErrorCode.IO, "The server could not listen on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        preloading = Thread.ofVirtual().name(ServedModels.PRELOAD_THREAD).start(() -> {
            try {
                metrics.loadedModels.set(models.preload());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stopping: the rest loads when asked for
            }
        });
        return this;
    }

    /** Waits until the models loaded at start are in memory (for tests and the start-up message). */
    public MedmaasServer awaitPreload() throws InterruptedException {
        preloading.join();
        return this;
    }

    public int port() {
        return server.port();
    }

    public String baseUrl() {
        return (settings.https() ? "https" : "http") + "://" + (settings.host().contains(":") ? "[" + settings.host() + "]"
                : settings.host()) + ":" + port();
    }

    /**
     * Stops in order: stops listening and lets requests in flight finish, stops the batchers, then
     * writes the counts of refused calls to the audit. The registry stays open (its owner closes
     * it after this, which commits the audit log's queue and checkpoints it).
     */
    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        batchers.values().forEach(Batcher::close);
        refusals.close();
        access.close();
    }

    private static byte[] resource(String name) {
        try (InputStream in = MedmaasServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new MedmaasException(ErrorCode.INTERNAL, "The server's " + name + " is missing from its jar.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not read " + name + ": " + e.getMessage(), e);
        }
    }
}
