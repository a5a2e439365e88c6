package org.medmaas.server.http;

import java.util.EnumSet;
import java.util.Set;
import org.medmaas.registry.Role;

/**
 * One route: method, path template (Helidon's {@code {name}} parameters), the roles it admits
 * (none: anonymous) and its handler. The server registers exactly these; the authorization test
 * and the OpenAPI document are checked against the same table.
 *
 * @param method   GET, POST, PUT or DELETE
 * @param path     the path template
 * @param roles    who may call it; an empty set means anyone, without credentials
 * @param family   which error shape it answers with: the protocol's {@code {"error": …}} or problem+json
 * @param action   what the audit log calls a failed call of this route (a successful one says for itself)
 * @param handler  the work
 */
public record Route(String method, String path, Set<Role> roles, Family family, String action, Handler handler) {

    public enum Family {
        /** Open Inference Protocol routes: errors are {@code {"error": "…"}}, bad input is 400. */
        PROTOCOL,
        /** MedMaaS's own API: errors are RFC 9457 problem+json, bad input is 422. */
        API
    }

    @FunctionalInterface
    public interface Handler {
        Reply handle(Call call) throws Exception;
    }

    public static final Set<Role> ANYONE = Set.of();
    public static final Set<Role> READERS = EnumSet.allOf(Role.class);
    public static final Set<Role> PREDICTORS = EnumSet.of(Role.ADMIN, Role.MODELER, Role.PREDICTOR);
    public static final Set<Role> MODELERS = EnumSet.of(Role.ADMIN, Role.MODELER);
    public static final Set<Role> AUDITORS = EnumSet.of(Role.ADMIN, Role.AUDITOR);
    /** Those who watch models in operation (shift reports): not predictors, whose traffic the figures describe. */
    public static final Set<Role> MONITORS = EnumSet.of(Role.ADMIN, Role.MODELER, Role.AUDITOR);
    public static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);

    public boolean anonymous() {
        return roles.isEmpty();
    }

    /**
     * The path parameter naming the model this route works on ({@code model} or {@code name}), if
     * any: the gate checks that the caller's key reaches that model before the handler runs.
     */
    java.util.Optional<String> modelParameter() {
        if (anonymous() || !(path.startsWith("/v2/models/") || path.startsWith("/api/v1/"))) {
            return java.util.Optional.empty();
        }
        return path.contains("{model}") ? java.util.Optional.of("model")
                : path.contains("{name}") ? java.util.Optional.of("name") : java.util.Optional.empty();
    }

    /** Whether a request path fits this route's template ({@code {name}} matches one path segment). */
    public boolean matches(String requestPath) {
        String[] template = path.split("/", -1);
        String[] actual = requestPath.split("/", -1);
        if (template.length != actual.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            boolean parameter = template[i].startsWith("{") && template[i].endsWith("}");
            if (parameter ? actual[i].isEmpty() : !template[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }
}
