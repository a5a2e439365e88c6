package org.medmaas.server.http;

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
import org.medmaas.core.error.InvalidFields;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.io.Digests;
import org.medmaas.registry.ApiKey;
import org.medmaas.registry.ApiKeys;
import org.medmaas.registry.AuditEvent;
import org.medmaas.registry.AuditLog;

/**
 * What every request goes through, in one place: authentication (API keys), authorization (the
 * route's roles; deny by default), rate limits, the handler, error mapping (problem+json or the
 * protocol's error body), the audit entry (durable before the response is sent; if it cannot
 * be written, the caller gets 503 and not the result), metrics and the access log.
 */
public final class Gate {

    /** A reply whose change the registry already audited in its own transaction. */
    public static final Reply.AuditNote ALREADY_AUDITED = new Reply.AuditNote("", "", "", "audited by the registry");

    private static final System.Logger ERRORS = System.getLogger("medmaas.server");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final io.helidon.http.HeaderName REQUEST_ID_HEADER = HeaderNames.create("X-Request-Id");
    private static final long KEY_CACHE_NANOS = 5_000_000_000L;

    private final ApiKeys keys;
    private final Optional<JwtVerifier> tokens;
    private final AuditLog audit;
    private final ServerMetrics metrics;
    private final RateLimiter limiter;
    private final RateLimiter authFailures;
    private final RefusalAudit refusals;
    private final AccessLog access;
    private final Map<String, CachedKey> keyCache = new ConcurrentHashMap<>();
    private final long requestTimeoutMillis;

    private record CachedKey(Optional<ApiKey> key, long until) {
    }

    /**
     * @param limiter      requests per key
     * @param authFailures failed authentications per client address: when an address has none
     *                     left, its calls to routes that need credentials are refused (429) before
     *                     their credentials are checked, so guessing keys from one address is slow
     * @param refusals     where refusals a client can repeat at will are audited, counted per source
     */
    public Gate(ApiKeys keys, Optional<JwtVerifier> tokens, AuditLog audit, ServerMetrics metrics, RateLimiter limiter,
            RateLimiter authFailures, RefusalAudit refusals, AccessLog access, long requestTimeoutMillis) {
        this.access = access;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.authFailures = authFailures;
        this.refusals = refusals;
        this.keys = keys;
        this.tokens = tokens;
        this.audit = audit;
        this.metrics = metrics;
        this.limiter = limiter;
    }

    /**
     * Refuses a caller whose key does not reach the route's model (403, like a missing role): the
     * one place a key's model pattern is enforced, for every route that names a model.
     */
    private static void requireReach(Route route, Call call) {
        if (route.modelParameter().isEmpty()) {
            return;
        }
        String model = ModelReference.parse(call.path(route.modelParameter().get())).name();
        if (!call.caller().reaches(model)) {
            throw new MedmaasException(ErrorCode.FORBIDDEN, "This key does not reach model '" + model + "'.");
        }
    }

    /** Forgets cached keys (after a revocation through this server). */
    public void forgetKeys() {
        keyCache.clear();
    }

    public void handle(Route route, ServerRequest request, ServerResponse response) {
        long start = System.nanoTime();
        Deadline deadline = Deadline.after(requestTimeoutMillis);
        String requestId = request.headers().first(REQUEST_ID_HEADER).filter(id -> REQUEST_ID.matcher(id).matches())
                .orElseGet(Gate::newRequestId);
        Call.Caller caller = Call.Caller.ANONYMOUS;
        Reply reply;
        String retryAfter = "";
        String client = clientAddress(request);
        try {
            if (!route.anonymous()) {
                long blocked = authFailures.waiting(addressKey(client));
                if (blocked > 0) {
                    retryAfter = seconds(blocked);
                    throw new AddressLimited("Too many failed authentications from this client address; retry after "
                            + retryAfter + " s.");
                }
                try {
                    caller = authenticate(request);
                } catch (MedmaasException e) {
                    if (failedAuthentication(e)) {
                        authFailures.charge(addressKey(client));
                    }
                    throw e;
                }
                // The key's rate first: calls its role may not make count against it too.
                long wait = limiter.acquire(caller.actor());
                if (wait > 0) {
                    retryAfter = seconds(wait);
                    throw new MedmaasException(ErrorCode.RATE_LIMITED, "Too many requests for this key; retry after "
                            + retryAfter + " s.");
                }
                if (route.roles().stream().noneMatch(caller.roles()::contains)) {
                    throw new MedmaasException(ErrorCode.FORBIDDEN, "The role(s) '" + caller.roleLabels() + "' may not "
                            + route.method() + " " + route.path() + ".");
                }
            }
        } catch (Throwable e) {
            // A refusal (401, 403, 429) is answered and audited as one; anything else that failed while
            // checking the caller (the key store's database, say) is answered as a handler's failure
            // would be: 503 for an unavailable database, 500 for the unexpected.
            // The route's template, not the request's path, names the resource: the caller is unknown,
            // and their path text goes into neither the audit log nor the metrics' labels.
            reply = isRefusal(e) ? refusal(route, (MedmaasException) e, requestId, client, caller)
                    : failure(route, e, requestId, route.path());
            finish(route, request, response, caller, requestId, start, reply, retryAfter);
            return;
        }
        try {
            Call call = new Call(request, caller, requestId, deadline);
            requireReach(route, call);
            reply = route.handler().handle(call);
        } catch (Throwable e) {
            reply = failure(route, e, requestId, request.path().path());
        }
        finish(route, request, response, caller, requestId, start, reply, retryAfter);
    }

    /**
     * A request no route takes: 405 with {@code Allow} when the path is a route's under another
     * method, else 404; problem+json (or the protocol's error body under {@code /v2}), counted and
     * logged like any other answer. Neither the path nor the method is echoed.
     */
    public void unrouted(java.util.List<Route> routes, ServerRequest request, ServerResponse response) {
        long start = System.nanoTime();
        String requestId = request.headers().first(REQUEST_ID_HEADER).filter(id -> REQUEST_ID.matcher(id).matches())
                .orElseGet(Gate::newRequestId);
        String path = request.path().path();
        java.util.Set<String> allowed = new java.util.TreeSet<>();
        for (Route r : routes) {
            if (r.matches(path)) {
                allowed.add(r.method());
            }
        }
        Route.Family family = path.startsWith("/v2") ? Route.Family.PROTOCOL : Route.Family.API;
        Reply reply = allowed.isEmpty()
                ? problem(family, 404, "not-found", "Not found", "No route has this path; see GET /openapi for the routes.",
                        List.of(), requestId)
                : problem(family, 405, "method-not-allowed", "Method not allowed", "This path takes " + String.join(", ", allowed)
                        + ".", List.of(), requestId);
        // Audited without the path or method the client sent (either may hold anything), counted per
        // client address so that probing for paths cannot flood the log.
        String client = clientAddress(request);
        try {
            refusals.refused(client, new AuditEvent(Instant.now(), Call.Caller.ANONYMOUS.actor(), "http.unrouted", "",
                    outcomeOf(reply.status()), requestId, "", (System.nanoTime() - start) / 1000, "client " + client));
        } catch (RuntimeException e) {
            allowed.clear();
            reply = auditUnavailable(family, requestId);
        }
        response.status(Status.create(reply.status()));
        response.header(HeaderNames.CONTENT_TYPE, reply.contentType());
        response.header(REQUEST_ID_HEADER, requestId);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        if (!allowed.isEmpty()) {
            response.header(HeaderNames.ALLOW, String.join(", ", allowed));
        }
        if (request.prologue().method() == io.helidon.http.Method.HEAD) {
            response.send(); // a HEAD answer has no body
        } else {
            response.send(reply.body());
        }
        long nanos = System.nanoTime() - start;
        metrics.request("(unrouted)", "*", reply.status(), nanos);
        if (access.enabled()) {
            access.log("{\"request_id\":\"" + requestId + "\",\"method\":\"*\",\"route\":\"(unrouted)\","
                    + "\"status\":" + reply.status() + ",\"latency_us\":" + nanos / 1000 + "}");
        }
    }

    /** Audits, counts, answers and logs a request, whatever its outcome. */
    private void finish(Route route, ServerRequest request, ServerResponse response, Call.Caller caller, String requestId,
            long start, Reply reply, String retryAfter) {
        long micros = (System.nanoTime() - start) / 1000;
        if (reply.audit().recorded()) {
            Reply.AuditNote note = reply.audit();
            String outcome = !note.outcome().isEmpty() ? note.outcome() : reply.status() < 400 ? "ok" : outcomeOf(reply.status());
            AuditEvent event = new AuditEvent(Instant.now(), caller.actor(), note.action(), clip(note.resource(), 200), outcome,
                    requestId, note.inputSha256(), micros, note.details());
            try {
                if (note.countedPer().isEmpty()) {
                    audit.record(event);
                } else {
                    refusals.refused(note.countedPer(), event);
                }
            } catch (RuntimeException e) {
                ERRORS.log(System.Logger.Level.ERROR, "The audit log could not be written (request " + requestId + "): "
                        + e.getClass().getSimpleName());
                reply = auditUnavailable(route.family(), requestId);
            }
        }
        if (note(reply, "predict")) {
            ModelReference resource = ModelReference.parse(reply.audit().resource());
            metrics.prediction(resource.name(), resource.reference(), !reply.audit().outcome().isEmpty() ? reply.audit().outcome()
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
        boolean delivered = true;
        try {
            response.send(reply.body());
        } catch (RuntimeException e) {
            delivered = false; // the client's connection is gone (a body that stopped arriving, say); still counted and logged
        }
        long nanos = System.nanoTime() - start;
        metrics.request(route.path(), route.method(), reply.status(), nanos);
        if (access.enabled()) {
            access.log("{\"request_id\":\"" + requestId + "\",\"method\":\"" + route.method()
                    + "\",\"route\":\"" + route.path() + "\",\"status\":" + reply.status() + ",\"latency_us\":" + nanos / 1000
                    + ",\"actor\":\"" + caller.actor().replace("\"", "'") + "\"" + (delivered ? "" : ",\"delivered\":false") + "}");
        }
    }

    /**
     * A random (version 4) UUID for a request that brought no id of its own. From a thread-local
     * generator, not {@link UUID#randomUUID()}'s shared SecureRandom: a request id names a request,
     * it guards nothing, and the secure one cost about 2 % of an audited request's CPU.
     */
    static String newRequestId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static Reply auditUnavailable(Route.Family family, String requestId) {
        return problem(family, 503, "audit-unavailable", "Audit unavailable",
                "The audit log could not be written, so the result is withheld; retry later.", List.of(), requestId);
    }

    /** The client's address as the socket sees it (a proxy's, behind one; forwarded headers are not trusted). */
    static String clientAddress(ServerRequest request) {
        try {
            return request.remotePeer().host();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * What the failed-authentication limit counts by: the address, or for IPv6 its /64 network
     * (one host is usually given a whole /64, so counting single addresses would let it rotate).
     */
    static String addressKey(String address) {
        if (!address.contains(":")) {
            return address;
        }
        try {
            byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            return java.util.HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
        } catch (java.net.UnknownHostException e) {
            return address;
        }
    }

    private static String seconds(long nanos) {
        return Long.toString(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }

    /** A client address over its failed-authentication limit, refused before its credentials are read. */
    private static final class AddressLimited extends MedmaasException {
        private static final long serialVersionUID = 1L;

        AddressLimited(String message) {
            super(ErrorCode.RATE_LIMITED, message);
        }
    }

    /** Credentials that were missing, unknown, expired or malformed (not a valid caller with too few rights). */
    private static boolean failedAuthentication(MedmaasException e) {
        return e.code() == ErrorCode.UNAUTHENTICATED || e instanceof InvalidFields f && f.malformed();
    }

    private static boolean note(Reply reply, String action) {
        return reply.audit().action().equals(action);
    }

    private Call.Caller authenticate(ServerRequest request) {
        if (request.headers().all(HeaderNames.AUTHORIZATION, List::of).size() > 1) {
            // Two credentials: which one to believe would be the client's choice, not ours.
            throw InvalidFields.malformed("Authorization", "is sent more than once; send one credential");
        }
        Optional<String> header = request.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty()) {
            throw new MedmaasException(ErrorCode.UNAUTHENTICATED, "No credentials: send 'Authorization: Bearer <API key or token>'.");
        }
        String value = header.get();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new MedmaasException(ErrorCode.UNAUTHENTICATED, "Unsupported authorization scheme: use 'Bearer <API key>'.");
        }
        String token = value.substring(7).strip();
        if (!token.startsWith("mm_") && tokens.isPresent()) {
            Call.Caller caller = tokens.get().verify(token);
            if (caller.roles().isEmpty()) {
                throw new MedmaasException(ErrorCode.FORBIDDEN, "The token names no MedMaaS role (admin, modeler, predictor, auditor).");
            }
            return caller;
        }
        long now = System.nanoTime();
        // Cached by the token's SHA-256, so no secret sits in the heap as a map key.
        String digest = Digests.sha256(token);
        CachedKey cached = keyCache.get(digest);
        if (cached == null || now - cached.until() > 0) {
            cached = new CachedKey(keys.authenticate(token), now + KEY_CACHE_NANOS);
            if (keyCache.size() > 10_000) {
                keyCache.clear(); // bounded: a flood of wrong keys must not grow it without end
            }
            keyCache.put(digest, cached);
        }
        ApiKey key = cached.key().filter(k -> k.activeAt(Instant.now()))
                .orElseThrow(() -> new MedmaasException(ErrorCode.UNAUTHENTICATED, "The API key is unknown, revoked or expired."));
        return Call.Caller.of(key);
    }

    /**
     * A request refused before its handler ran: no or bad credentials (401, or 400 for two of them),
     * a client address over its failed-authentication limit (429), a role that may not call the
     * route (403) or a key over its rate (429). Each is audited against the route's template. Those
     * a client can repeat without a valid key (failed authentication, by client address) or with one
     * (its rate limit, by key) are counted per source and window (see {@link RefusalAudit}), so a
     * flood cannot grow the log without bound.
     */
    private static Reply refusal(Route route, MedmaasException e, String requestId, String client, Call.Caller caller) {
        String resource = route.method() + " " + route.path();
        Reply.AuditNote note;
        if (e instanceof AddressLimited || failedAuthentication(e)) {
            note = new Reply.AuditNote("auth.denied", resource, "", "client " + client).countedPer(client);
        } else if (e.code() == ErrorCode.FORBIDDEN) {
            // Counted per key too: a valid key can repeat a forbidden call at will.
            note = new Reply.AuditNote("authz.denied", resource, "", "client " + client).countedPer(caller.actor());
        } else {
            note = new Reply.AuditNote("rate.limited", resource, "", "client " + client).countedPer(caller.actor());
        }
        Reply r = problem(route.family(), e, List.of(), requestId);
        return new Reply(r.status(), r.contentType(), r.body(), note);
    }

    private static boolean isRefusal(Throwable e) {
        return e instanceof MedmaasException m && switch (m.code()) {
            case UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED -> true;
            case INVALID_INPUT -> m instanceof InvalidFields f && f.malformed(); // malformed credentials (two of them)
            default -> false;
        };
    }

    /** The HTTP status, problem type and title of each error code: the one mapping of errors to HTTP. */
    private record HttpError(int status, String type, String title) {
        static HttpError of(ErrorCode code, Route.Family family, boolean malformed) {
            return switch (code) {
                case INVALID_INPUT -> malformed ? new HttpError(400, "malformed-request", "Malformed request")
                        : new HttpError(family == Route.Family.PROTOCOL ? 400 : 422, "invalid-input", "Invalid input");
                case NOT_FOUND -> new HttpError(404, "not-found", "Not found");
                case CONFLICT -> new HttpError(409, "conflict", "Conflict");
                case FORBIDDEN -> new HttpError(403, "forbidden", "Forbidden");
                case UNAUTHENTICATED -> new HttpError(401, "unauthorized", "Unauthorized");
                case RATE_LIMITED -> new HttpError(429, "too-many-requests", "Too many requests");
                case INCOMPLETE_REQUEST -> new HttpError(408, "request-timeout", "Request timeout");
                case UNSUPPORTED_MEDIA_TYPE -> new HttpError(415, "unsupported-media-type", "Unsupported media type");
                case PAYLOAD_TOO_LARGE -> new HttpError(413, "payload-too-large", "Payload too large");
                case IO -> new HttpError(503, "unavailable", "Unavailable");
                case TIMEOUT -> new HttpError(503, "timeout", "Timed out");
                case INTEGRITY -> new HttpError(500, "integrity", "Stored data failed a check");
                case INTERNAL -> new HttpError(500, "internal", "Internal error");
            };
        }
    }

    private static Reply problem(Route.Family family, MedmaasException e, List<InvalidFields.FieldError> fields, String requestId) {
        HttpError h = HttpError.of(e.code(), family, e instanceof InvalidFields f && f.malformed());
        return problem(family, h.status(), h.type(), h.title(), e.getMessage(), fields, requestId);
    }

    private Reply failure(Route route, Throwable e, String requestId, String path) {
        int status;
        String type;
        String title;
        List<InvalidFields.FieldError> fields = List.of();
        String detail;
        if (e instanceof MedmaasException m) {
            detail = m.getMessage();
            HttpError h = HttpError.of(m.code(), route.family(), m instanceof InvalidFields f && f.malformed());
            status = h.status();
            type = h.type();
            title = h.title();
            if (m instanceof InvalidFields f) {
                fields = f.errors();
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
    public static Reply problem(Route.Family family, int status, String type, String title, String detail,
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

    static String outcomeOf(int status) {
        return switch (status) {
            case 400 -> "malformed";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "body_timeout";
            case 409 -> "conflict";
            case 413 -> "too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 422 -> "invalid_input";
            case 429 -> "rate_limited";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            case 505 -> "http_version";
            default -> "error_" + status;
        };
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
