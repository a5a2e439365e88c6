package org.medmaas.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.registry.ApiKey;
import org.medmaas.registry.ApiKeys;
import org.medmaas.registry.AuditEvent;
import org.medmaas.registry.AuditLog;

/**
 * What every request goes through, in one place: authentication (API keys), authorization (the
 * route's roles; deny by default), rate limits, the handler, error mapping (problem+json or the
 * protocol's error body), the audit entry (committed before the response is sent; if it cannot
 * be written, the caller gets 503 and not the result), metrics and the access log.
 */
final class Gate {

    /** A reply whose change the registry already audited in its own transaction. */
    static final Reply.AuditNote ALREADY_AUDITED = new Reply.AuditNote("", "", "", "audited by the registry");

    private static final System.Logger ACCESS = System.getLogger("medmaas.access");
    private static final System.Logger ERRORS = System.getLogger("medmaas.server");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final io.helidon.http.HeaderName REQUEST_ID_HEADER = HeaderNames.create("X-Request-Id");
    private static final long KEY_CACHE_NANOS = 5_000_000_000L;

    private final ApiKeys keys;
    private final Optional<JwtVerifier> tokens;
    private final AuditLog audit;
    private final ServerMetrics metrics;
    private final RateLimiter limiter;
    private final Map<String, CachedKey> keyCache = new ConcurrentHashMap<>();
    private final long requestTimeoutMillis;

    private record CachedKey(Optional<ApiKey> key, long until) {
    }

    Gate(ApiKeys keys, Optional<JwtVerifier> tokens, AuditLog audit, ServerMetrics metrics, RateLimiter limiter,
            long requestTimeoutMillis) {
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.keys = keys;
        this.tokens = tokens;
        this.audit = audit;
        this.metrics = metrics;
        this.limiter = limiter;
    }

    /** Refuses a caller whose key does not reach the model (403, like a missing role). */
    static void requireReach(Call call, String model) {
        if (!call.caller().reaches(model)) {
            throw new MedmaasException(ErrorCode.FORBIDDEN, "This key does not reach model '" + model + "'.");
        }
    }

    /** Forgets cached keys (after a revocation through this server). */
    void forgetKeys() {
        keyCache.clear();
    }

    void handle(Route route, ServerRequest request, ServerResponse response) {
        long start = System.nanoTime();
        Deadline deadline = Deadline.after(requestTimeoutMillis);
        String requestId = request.headers().first(REQUEST_ID_HEADER).filter(id -> REQUEST_ID.matcher(id).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
        Call.Caller caller = Call.Caller.ANONYMOUS;
        Reply reply;
        String retryAfter = "";
        try {
            if (!route.anonymous()) {
                caller = authenticate(request);
                if (route.roles().stream().noneMatch(caller.roles()::contains)) {
                    throw new Denied(403, "authz.denied", "The role(s) '" + caller.roleLabels() + "' may not "
                            + route.method() + " " + route.path() + ".");
                }
                long wait = limiter.acquire(caller.actor());
                if (wait > 0) {
                    retryAfter = Long.toString(Math.max(1, (wait + 999_999_999L) / 1_000_000_000L));
                    throw new Denied(429, "", "Too many requests for this key; retry after " + retryAfter + " s.");
                }
            }
            reply = route.handler().handle(new Call(request, caller, requestId, deadline));
        } catch (Throwable e) {
            reply = failure(route, e, requestId, request.path().path());
        }
        long micros = (System.nanoTime() - start) / 1000;
        if (reply.audit().recorded()) {
            Reply.AuditNote note = reply.audit();
            String outcome = !note.outcome().isEmpty() ? note.outcome() : reply.status() < 400 ? "ok" : outcomeOf(reply.status());
            try {
                audit.record(new AuditEvent(Instant.now(), caller.actor(), note.action(), clip(note.resource(), 200), outcome,
                        requestId, note.inputSha256(), micros, note.details()));
            } catch (RuntimeException e) {
                ERRORS.log(System.Logger.Level.ERROR, "The audit log could not be written (request " + requestId + "): "
                        + e.getClass().getSimpleName());
                reply = problem(route.family(), 503, "audit-unavailable", "Audit unavailable",
                        "The audit log could not be written, so the result is withheld; retry later.", List.of(), requestId);
            }
        }
        if (note(reply, "predict")) {
            String[] resource = ServedModels.split(reply.audit().resource());
            metrics.prediction(resource[0], resource[1], !reply.audit().outcome().isEmpty() ? reply.audit().outcome()
                    : reply.status() < 400 ? "ok" : outcomeOf(reply.status()),
                    System.nanoTime() - start);
        }
        response.status(Status.create(reply.status()));
        response.header(HeaderNames.CONTENT_TYPE, reply.contentType());
        response.header(REQUEST_ID_HEADER, requestId);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        if (reply.status() == 408) {
            response.header(HeaderNames.CONNECTION, "close"); // the connection's state is unknown mid-body
        }
        if (reply.status() == 401) {
            response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"medmaas\"");
        }
        if (retryAfter.isEmpty() && reply.status() == 503) {
            retryAfter = "1"; // a timeout or the audit log: both worth a retry soon
        }
        if (!retryAfter.isEmpty()) {
            response.header(HeaderNames.RETRY_AFTER, retryAfter);
        }
        response.send(reply.body());
        long nanos = System.nanoTime() - start;
        metrics.request(route.path(), route.method(), reply.status(), nanos);
        if (ACCESS.isLoggable(System.Logger.Level.INFO)) {
            ACCESS.log(System.Logger.Level.INFO, "{\"request_id\":\"" + requestId + "\",\"method\":\"" + route.method()
                    + "\",\"route\":\"" + route.path() + "\",\"status\":" + reply.status() + ",\"latency_us\":" + nanos / 1000
                    + ",\"actor\":\"" + caller.actor().replace("\"", "'") + "\"}");
        }
    }

    private static boolean note(Reply reply, String action) {
        return reply.audit().action().equals(action);
    }

    private Call.Caller authenticate(ServerRequest request) {
        Optional<String> header = request.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty()) {
            throw new Denied(401, "auth.denied", "No credentials: send 'Authorization: Bearer <API key or token>'.");
        }
        String value = header.get();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Denied(401, "auth.denied", "Unsupported authorization scheme: use 'Bearer <API key>'.");
        }
        String token = value.substring(7).strip();
        if (!token.startsWith("mm_") && tokens.isPresent()) {
            Call.Caller caller = tokens.get().verify(token);
            if (caller.roles().isEmpty()) {
                throw new Denied(403, "authz.denied", "The token names no MedMaaS role (admin, modeler, predictor, auditor).");
            }
            return caller;
        }
        long now = System.nanoTime();
        // Cached by the token's SHA-256, so no secret sits in the heap as a map key.
        String digest = DiagnosisApi.sha256(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CachedKey cached = keyCache.get(digest);
        if (cached == null || now - cached.until() > 0) {
            cached = new CachedKey(keys.authenticate(token), now + KEY_CACHE_NANOS);
            if (keyCache.size() > 10_000) {
                keyCache.clear(); // bounded: a flood of wrong keys must not grow it without end
            }
            keyCache.put(digest, cached);
        }
        ApiKey key = cached.key().filter(k -> k.activeAt(Instant.now()))
                .orElseThrow(() -> new Denied(401, "auth.denied", "The API key is unknown, revoked or expired."));
        return Call.Caller.of(key);
    }

    private Reply failure(Route route, Throwable e, String requestId, String path) {
        if (e instanceof Denied d) {
            Reply.AuditNote note = d.action().isEmpty() ? Reply.AuditNote.NONE
                    : Reply.AuditNote.of(d.action(), route.method() + " " + route.path());
            String type = switch (d.status()) {
                case 401 -> "unauthorized";
                case 403 -> "forbidden";
                case 408 -> "request-timeout";
                default -> "too-many-requests";
            };
            String title = switch (d.status()) {
                case 401 -> "Unauthorized";
                case 403 -> "Forbidden";
                case 408 -> "Request timeout";
                default -> "Too many requests";
            };
            Reply r = problem(route.family(), d.status(), type, title, d.getMessage(), List.of(), requestId);
            return new Reply(r.status(), r.contentType(), r.body(), note);
        }
        int status;
        String type;
        String title;
        List<InvalidFields.FieldError> fields = List.of();
        String detail;
        if (e instanceof MedmaasException m) {
            detail = m.getMessage();
            switch (m.code()) {
                case INVALID_INPUT -> {
                    boolean malformed = m instanceof InvalidFields f && f.malformed();
                    status = route.family() == Route.Family.PROTOCOL || malformed ? 400 : 422;
                    type = malformed ? "malformed-request" : "invalid-input";
                    title = malformed ? "Malformed request" : "Invalid input";
                    if (m instanceof InvalidFields f) {
                        fields = f.errors();
                    }
                }
                case NOT_FOUND -> {
                    status = 404;
                    type = "not-found";
                    title = "Not found";
                }
                case CONFLICT -> {
                    status = 409;
                    type = "conflict";
                    title = "Conflict";
                }
                case FORBIDDEN -> {
                    status = 403;
                    type = "forbidden";
                    title = "Forbidden";
                }
                case IO -> {
                    status = 503;
                    type = "unavailable";
                    title = "Unavailable";
                }
                case TIMEOUT -> {
                    status = 503;
                    type = "timeout";
                    title = "Timed out";
                }
                default -> {
                    status = 500;
                    type = m.code() == ErrorCode.INTEGRITY ? "integrity" : "internal";
                    title = m.code() == ErrorCode.INTEGRITY ? "Stored data failed a check" : "Internal error";
                }
            }
        } else {
            // Not our exception: its message may quote input, so only its class goes to the log.
            ERRORS.log(System.Logger.Level.ERROR, "Unexpected " + e.getClass().getName() + " in " + route.method() + " "
                    + route.path() + " (request " + requestId + ")");
            status = 500;
            type = "internal";
            title = "Internal error";
            detail = "An unexpected error occurred; quote request id " + requestId + " when reporting it.";
        }
        Reply r = problem(route.family(), status, type, title, detail, fields, requestId);
        String resource = route.method() + " " + path;
        return new Reply(r.status(), r.contentType(), r.body(), route.action().isEmpty() ? Reply.AuditNote.NONE
                : new Reply.AuditNote(route.action(), clip(resource, 200), "", clip(detail, 500),
                        e instanceof MedmaasException m && m.code() == ErrorCode.TIMEOUT ? "timeout" : ""));
    }

    /** The protocol's {@code {"error": "…"}} or an RFC 9457 problem+json naming each field. */
    static Reply problem(Route.Family family, int status, String type, String title, String detail,
            List<InvalidFields.FieldError> fields, String requestId) {
        if (family == Route.Family.PROTOCOL) {
            return Reply.json(status, Json.bytes(Map.of("error", detail)), Reply.AuditNote.NONE);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://medmaas.org/problems/" + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", "urn:medmaas:request:" + requestId);
        if (!fields.isEmpty()) {
            body.put("errors", fields.stream().map(f -> Map.of("field", f.field(), "problem", f.problem())).toList());
        }
        return new Reply(status, "application/problem+json", Json.bytes(body), Reply.AuditNote.NONE);
    }

    private static String outcomeOf(int status) {
        return switch (status) {
            case 400 -> "malformed";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 408 -> "body_timeout";
            case 409 -> "conflict";
            case 422 -> "invalid_input";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> "error_" + status;
        };
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** A refusal outside the handler's logic: 401, 403, 408 (a body that stopped arriving) or 429. */
    static final class Denied extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String action;

        Denied(int status, String action, String message) {
            super(message, null, false, false);
            this.status = status;
            this.action = action;
        }

        int status() {
            return status;
        }

        String action() {
            return action;
        }
    }
}
