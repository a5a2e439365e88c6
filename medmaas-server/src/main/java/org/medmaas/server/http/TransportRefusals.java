package org.medmaas.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.time.Instant;
import java.util.List;
import org.medmaas.registry.AuditEvent;

/**
 * The answer to a request the HTTP layer refuses before any route sees it: a malformed request
 * line or header, headers too large in all (400), a path too long (414), a declared body
 * over the limit (413), an HTTP version other than 1.1 and 2 (505). Helidon's own answers are empty
 * bodies; these are problem+json (or the protocol's error body under {@code /v2}), counted in the
 * metrics, logged, and audited like an unrouted call (counted per window; the HTTP layer does not
 * tell the client's address here, so all such refusals share one count).
 *
 * <p>Nothing the client sent is echoed: not the path, not a header, not Helidon's message (which
 * may quote either).
 */
public final class TransportRefusals implements DirectHandler {

    private static final System.Logger ERRORS = System.getLogger("medmaas.server");

    /** The source all transport refusals are counted under. */
    static final String SOURCE = "(HTTP layer)";

    private final RefusalAudit refusals;
    private final ServerMetrics metrics;
    private final AccessLog access;

    public TransportRefusals(RefusalAudit refusals, ServerMetrics metrics, AccessLog access) {
        this.access = access;
        this.refusals = refusals;
        this.metrics = metrics;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
            ServerResponseHeaders responseHeaders, String message) {
        int status = defaultStatus.code();
        String requestId = Gate.newRequestId();
        Route.Family family = protocolPath(request) ? Route.Family.PROTOCOL : Route.Family.API;
        Reply reply = Gate.problem(family, status, type(status), title(status), detail(status), List.of(), requestId);
        try {
            refusals.refused(SOURCE, new AuditEvent(Instant.now(), Call.Caller.ANONYMOUS.actor(), "http.refused", "",
                    Gate.outcomeOf(status), requestId, "", 0, "refused by the HTTP layer (" + eventType.name().toLowerCase(
                            java.util.Locale.ROOT) + ")"));
        } catch (RuntimeException e) {
            // The answer is a refusal either way; what is lost is said in the server's log.
            ERRORS.log(System.Logger.Level.ERROR, "A refusal by the HTTP layer could not be audited (request " + requestId + "): "
                    + e.getClass().getSimpleName());
        }
        metrics.request("(http layer)", "*", status, 0);
        if (access.enabled()) {
            access.log("{\"request_id\":\"" + requestId + "\",\"method\":\"*\",\"route\":\"(http layer)\","
                    + "\"status\":" + status + ",\"latency_us\":0}");
        }
        TransportResponse.Builder answer = TransportResponse.builder().status(defaultStatus).headers(responseHeaders)
                .header(HeaderNames.CONTENT_TYPE, reply.contentType())
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .header(HeaderNames.create("X-Request-Id"), requestId)
                .keepAlive(eventType.keepAlive());
        if (!"HEAD".equals(method(request))) {
            answer.entity(reply.body());
        }
        return answer.build();
    }

    private static boolean protocolPath(TransportRequest request) {
        try {
            return request.path().startsWith("/v2");
        } catch (RuntimeException e) {
            return false; // the request line did not parse
        }
    }

    private static String method(TransportRequest request) {
        try {
            return request.method();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String type(int status) {
        return switch (status) {
            case 400 -> "malformed-request";
            case 413 -> "payload-too-large";
            case 414 -> "uri-too-long";
            case 431 -> "headers-too-large";
            case 505 -> "http-version-not-supported";
            case 500 -> "internal";
            default -> "http-" + status;
        };
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Malformed request";
            case 413 -> "Payload too large";
            case 414 -> "URI too long";
            case 431 -> "Headers too large";
            case 505 -> "HTTP version not supported";
            case 500 -> "Internal error";
            default -> "HTTP error";
        };
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "The request is not valid HTTP/1.1: a malformed request line or header, or more or larger headers than"
                    + " the server takes.";
            case 413 -> "The request body is larger than the server takes (max_body_bytes); send less per request.";
            case 414 -> "The request's path and query are longer than the server takes; send the data in the body.";
            case 431 -> "The request's headers are larger than the server takes.";
            case 505 -> "The server speaks HTTP/1.1 and HTTP/2 only.";
            default -> "The HTTP layer refused the request.";
        };
    }
}
