package org.medmaas.server;

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
final class Call {

    private final ServerRequest request;
    private final Caller caller;
    private final String requestId;
    private byte[] body;

    Call(ServerRequest request, Caller caller, String requestId) {
        this.request = request;
        this.caller = caller;
        this.requestId = requestId;
    }

    String path(String name) {
        return request.path().pathParameters().get(name);
    }

    Optional<String> query(String name) {
        var value = request.query().first(name);
        return value.isPresent() ? Optional.of(value.get()) : Optional.empty();
    }

    byte[] body() {
        if (body == null) {
            if (!request.content().hasEntity()) {
                body = new byte[0];
            } else {
                try (InputStream in = request.content().inputStream()) {
                    body = in.readAllBytes();
                } catch (IOException e) {
                    throw MedmaasException.invalid("The request body could not be read: " + e.getMessage());
                }
            }
        }
        return body;
    }

    Optional<String> header(String name) {
        return request.headers().first(io.helidon.http.HeaderNames.create(name));
    }

    Caller caller() {
        return caller;
    }

    String requestId() {
        return requestId;
    }

    /**
     * Who is calling: an API key's holder (or, later, a token's subject) with a role and the models
     * they reach; or nobody, on the anonymous health routes.
     */
    record Caller(String actor, java.util.Set<org.medmaas.registry.Role> roles, String models) {

        static final Caller ANONYMOUS = new Caller("anonymous", java.util.Set.of(), "");

        Caller {
            roles = java.util.Set.copyOf(roles);
        }

        static Caller of(ApiKey key) {
            String owner = key.owner().length() > 100 ? key.owner().substring(0, 100) : key.owner();
            return new Caller("key:" + key.id() + " (" + owner + ")", java.util.Set.of(key.role()), key.models());
        }

        boolean reaches(String model) {
            return !roles.isEmpty() && ApiKey.matches(models, model);
        }

        String roleLabels() {
            return String.join(", ", roles.stream().map(org.medmaas.registry.Role::label).sorted().toList());
        }
    }
}
