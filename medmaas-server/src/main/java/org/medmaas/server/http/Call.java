package org.medmaas.server.http;

import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.registry.ApiKey;

/**
 * One authenticated request as handlers see it: path and query parameters, the body, and the
 * caller. The body is read once.
 */
public final class Call {

    private final ServerRequest request;
    private final Caller caller;
    private final String requestId;
    private final Deadline deadline;
    private byte[] body;

    public Call(ServerRequest request, Caller caller, String requestId, Deadline deadline) {
        this.request = request;
        this.caller = caller;
        this.requestId = requestId;
        this.deadline = deadline;
    }

    /** When this request must be answered by. */
    public Deadline deadline() {
        return deadline;
    }

    public String path(String name) {
        return request.path().pathParameters().get(name);
    }

    public Optional<String> query(String name) {
        var value = request.query().first(name);
        return value.isPresent() ? Optional.of(value.get()) : Optional.empty();
    }

    public byte[] body() {
        if (body == null) {
            if (!request.content().hasEntity()) {
                body = new byte[0];
            } else {
                body = readBody();
            }
        }
        return body;
    }

    /**
     * Reads the body within the request's deadline. Helidon's server sockets wait for a slow
     * client's body without a limit of their own, so a watchdog ({@link BodyWatch}) interrupts the
     * reading thread at the deadline; interrupting a virtual thread blocked on a socket closes that
     * socket (JEP 444), which ends a client that stopped sending halfway. That client gets no answer (its connection
     * is gone), but the call is audited and logged as a body timeout like any other.
     */
    private byte[] readBody() {
        BodyWatch.Reading watched = BodyWatch.start(System.nanoTime() + Math.max(0, deadline.remainingNanos()));
        try (InputStream in = request.content().inputStream()) {
            // With a Content-Length, read exactly that many bytes: readAllBytes starts with a 16 KB
            // buffer, which was the largest allocation per request under load (JFR) for bodies of
            // a few hundred bytes.
            long length = request.headers().contentLength().orElse(-1L);
            if (length >= 0 && length <= Integer.MAX_VALUE - 8) {
                byte[] bytes = in.readNBytes((int) length);
                if (bytes.length < length) {
                    throw new java.io.EOFException("the body ended before its Content-Length");
                }
                return bytes;
            }
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            if (tooLarge(e)) {
                // A body without a Content-Length (chunked) that grew past the limit: Helidon stops
                // reading it; the answer is 413, as for a declared length over the limit.
                throw new MedmaasException(org.medmaas.core.error.ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger"
                        + " than the server takes (max_body_bytes); send less per request.");
            }
            throw new MedmaasException(org.medmaas.core.error.ErrorCode.INCOMPLETE_REQUEST, "The request body stopped arriving before its end (it must arrive within the "
                    + deadline.budgetMillis() + " ms request limit); send it again.");
        } finally {
            watched.close();
        }
    }

    /** Whether reading failed because the body passed the server's size limit (Helidon's 413). */
    private static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.helidon.http.HttpException h && h.status().code() == 413
                    || t instanceof io.helidon.http.RequestException r && r.status().code() == 413) {
                return true;
            }
        }
        return false;
    }

    public Optional<String> header(String name) {
        return request.headers().first(io.helidon.http.HeaderNames.create(name));
    }

    public Caller caller() {
        return caller;
    }

    public String requestId() {
        return requestId;
    }

    /**
     * Who is calling: an API key's holder (or, later, a token's subject) with a role and the models
     * they reach; or nobody, on the anonymous health routes.
     */
    public record Caller(String actor, java.util.Set<org.medmaas.registry.Role> roles, String models) {

        public static final Caller ANONYMOUS = new Caller("anonymous", java.util.Set.of(), "");

        public Caller {
            roles = java.util.Set.copyOf(roles);
        }

        public static Caller of(ApiKey key) {
            String owner = key.owner().length() > 100 ? key.owner().substring(0, 100) : key.owner();
            return new Caller("key:" + key.id() + " (" + owner + ")", java.util.Set.of(key.role()), key.models());
        }

        public boolean reaches(String model) {
            return !roles.isEmpty() && ApiKey.matches(models, model);
        }

        public String roleLabels() {
            return String.join(", ", roles.stream().map(org.medmaas.registry.Role::label).sorted().toList());
        }
    }
}
