package org.medmaas.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medmaas.registry.Role;

/**
 * Every route × every role (and no credentials): allowed calls get past the gate, others are
 * refused with 401 (no or bad credentials) or 403 (wrong role). The expected matrix is written
 * here by hand, not read from the server, and must cover exactly the server's routes.
 */
class AuthorizationMatrixTest extends ServerTest {

    private static final String ALL = "admin modeler predictor auditor";
    private static final String PREDICT = "admin modeler predictor";
    private static final String MODEL = "admin modeler";
    private static final String AUDIT = "admin auditor";

    /** Route → who may call it ("anyone" needs no credentials). */
    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("GET /v2/health/live", "anyone");
        EXPECTED.put("GET /v2/health/ready", "anyone");
        EXPECTED.put("GET /v2", ALL);
        EXPECTED.put("GET /v2/models/{name}", ALL);
        EXPECTED.put("GET /v2/models/{name}/versions/{version}", ALL);
        EXPECTED.put("GET /v2/models/{name}/ready", ALL);
        EXPECTED.put("GET /v2/models/{name}/versions/{version}/ready", ALL);
        EXPECTED.put("POST /v2/models/{name}/infer", PREDICT);
        EXPECTED.put("POST /v2/models/{name}/versions/{version}/infer", PREDICT);
        EXPECTED.put("POST /api/v1/diagnosis/{model}/predict", PREDICT);
        EXPECTED.put("POST /api/v1/diagnosis/{model}/versions/{version}/predict", PREDICT);
        EXPECTED.put("GET /api/v1/models", ALL);
        EXPECTED.put("GET /api/v1/models/{name}", ALL);
        EXPECTED.put("GET /api/v1/models/{name}/card", ALL);
        EXPECTED.put("GET /api/v1/models/{name}/shift", "admin modeler auditor");
        EXPECTED.put("PUT /api/v1/models/{name}/card", MODEL);
        EXPECTED.put("POST /api/v1/models/{name}/versions", MODEL);
        EXPECTED.put("POST /api/v1/models/{name}/import/onnx", MODEL);
        EXPECTED.put("PUT /api/v1/models/{name}/aliases/{alias}", MODEL);
        EXPECTED.put("PUT /api/v1/models/{name}/tags/{key}", MODEL);
        EXPECTED.put("DELETE /api/v1/models/{name}/tags/{key}", MODEL);
        EXPECTED.put("PUT /api/v1/models/{name}/versions/{version}/stage", MODEL);
        EXPECTED.put("POST /api/v1/models/{name}/versions/{version}/unload", MODEL);
        EXPECTED.put("GET /api/v1/keys", "admin");
        EXPECTED.put("POST /api/v1/keys", "admin");
        EXPECTED.put("DELETE /api/v1/keys/{id}", "admin");
        EXPECTED.put("GET /api/v1/audit", AUDIT);
        EXPECTED.put("GET /api/v1/audit/verify", AUDIT);
        EXPECTED.put("GET /api/v1/backup", "admin");
        EXPECTED.put("GET /api/v1/noop", PREDICT);
        EXPECTED.put("GET /metrics", AUDIT);
        EXPECTED.put("GET /openapi", ALL);
        EXPECTED.put("GET /docs", "anyone");
        EXPECTED.put("GET /docs/assets/{file}", "anyone");
    }

    @Test
    void theMatrixCoversEveryRoute() {
        assertThat(f.server.routeSignatures()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }

    @Test
    void everyRouteAdmitsExactlyItsRoles() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            String method = e.getKey().substring(0, e.getKey().indexOf(' '));
            // Harmless concrete calls: unknown ids, empty bodies, so allowed calls change nothing.
            String path = e.getKey().substring(method.length() + 1).replace("{name}", "diabetes").replace("{model}", "diabetes")
                    .replace("{version}", "1").replace("{alias}", "matrix-test").replace("{id}", "ffffffff").replace("{key}", "matrix-test").replace("{file}", "docs.js");
            String body = method.equals("GET") || method.equals("DELETE") ? "" : "{}";
            Set<String> allowed = Set.of(e.getValue().split(" "));
            HttpResponse<String> anonymous = f.send(method, path, Optional.empty(), body);
            int expectedAnonymous = allowed.contains("anyone") ? -1 : 401;
            if (expectedAnonymous == 401 ? anonymous.statusCode() != 401 : anonymous.statusCode() == 401) {
                wrong.add("anonymous " + e.getKey() + " → " + anonymous.statusCode());
            }
            HttpResponse<String> badKey = f.send(method, path, Optional.of("mm_00000000_" + "A".repeat(43)), body, "application/json");
            if (!allowed.contains("anyone") && badKey.statusCode() != 401) {
                wrong.add("unknown key " + e.getKey() + " → " + badKey.statusCode());
            }
            for (Role role : Role.values()) {
                int status = f.send(method, path, Optional.of(role), body).statusCode();
                boolean admitted = allowed.contains("anyone") || allowed.contains(role.label());
                if (admitted ? status == 401 || status == 403 : status != 403) {
                    wrong.add(role.label() + " " + e.getKey() + " → " + status);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void refusalsAreAudited() throws Exception {
        // A key and a client address of their own: refusals are counted per key and per address in
        // windows, so these two are each the first of theirs and written as themselves.
        String fresh = f.registry.apiKeys().create("refusal test", Role.PREDICTOR, "*", Optional.empty(), "test").token();
        assertThat(f.send("GET", "/api/v1/keys", Optional.of(fresh), "", "application/json").statusCode()).isEqualTo(403);
        assertThat(f.rawFrom("127.0.0.9", "GET /api/v1/keys HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 401");
        var entries = org.medmaas.core.json.Json.MAPPER.readTree(f.get("/api/v1/audit?limit=1000", Role.AUDITOR).body()).get("entries");
        List<String> refusals = new ArrayList<>();
        entries.forEach(e -> {
            if (e.get("resource").asText().equals("GET /api/v1/keys")) {
                refusals.add(e.get("action").asText() + " " + e.get("outcome").asText() + " " + e.get("actor").asText() + " "
                        + e.get("details").asText());
            }
        });
        assertThat(refusals).contains("authz.denied forbidden key:" + fresh.substring(3, 11) + " (refusal test) client 127.0.0.1",
                "auth.denied unauthenticated anonymous client 127.0.0.9");
    }
}
