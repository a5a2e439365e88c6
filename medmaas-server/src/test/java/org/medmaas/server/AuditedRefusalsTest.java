package org.medmaas.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.json.Json;
import org.medmaas.registry.AuditEntry;
import org.medmaas.registry.AuditQuery;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.Role;

/**
 * Issue 11, items 1, 4 and 6: every request that reaches the server is audited, including those
 * no route takes, those the HTTP layer refuses and bodies that never finish; failed
 * authentication is limited per client address; a flood is counted, not written entry by entry;
 * every error is problem+json. Each case was missing from the audit, unlimited or empty before.
 */
class AuditedRefusalsTest {

    @TempDir
    static Path home;

    static ServerFixture f;

    @BeforeAll
    static void start() {
        f = ServerFixture.start(home, ServerSettings.defaults().withAuthFailuresPerMinute(0).withRequestTimeout(1_000));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static List<AuditEntry> audit(ModelRegistry registry, String action) {
        return registry.auditLog().entries(new AuditQuery(0, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(action), Optional.empty(), 1000));
    }

    static JsonNode body(String answer) throws Exception {
        return Json.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }

    static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    @Test
    void anUnroutedPathIsAuditedWithoutItsText() {
        assertThat(f.send("GET", "/api/v1/patients/MRN-4417", Optional.empty(), "", "application/json").statusCode())
                .isEqualTo(404);
        assertThat(audit(f.registry, "http.unrouted")).anyMatch(e -> e.event().outcome().equals("not_found"));
        assertThat(audit(f.registry, "http.unrouted")).noneMatch(e -> e.toString().contains("MRN-4417"));
    }

    @Test
    void whatTheHttpLayerRefusesIsAProblemAndAudited() throws Exception {
        List<String> answers = new ArrayList<>();
        String longPath = f.raw("GET /api/v1/models/" + "a".repeat(40_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        String bigHeader = f.raw("GET /api/v1/models HTTP/1.1\r\nHost: x\r\nX-Note: " + "b".repeat(40_000) + "\r\n\r\n");
        String oldHttp = f.raw("GET /api/v1/models HTTP/1.0\r\n\r\n");
        String garbage = f.raw("\u0001\u0002 nonsense\r\n\r\n");
        String declaredTooLarge = f.raw("POST /api/v1/diagnosis/diabetes/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                + "\r\nContent-Length: 50000000\r\nAuthorization: Bearer " + f.keys.get(Role.PREDICTOR) + "\r\n\r\n{");
        answers.addAll(List.of(longPath, bigHeader, oldHttp, garbage, declaredTooLarge));
        for (String answer : answers) {
            assertThat(status(answer)).as(answer).isBetween(400, 599);
            assertThat(answer).as(answer).containsIgnoringCase("content-type: application/problem+json");
            JsonNode problem = body(answer);
            assertThat(problem.get("type").asText()).startsWith("https://medmaas.org/problems/");
            assertThat(problem.get("status").asInt()).isEqualTo(status(answer));
            assertThat(answer).doesNotContain("aaaa").doesNotContain("bbbb").doesNotContain("nonsense");
        }
        assertThat(status(longPath)).isEqualTo(414);
        assertThat(body(longPath).get("type").asText()).endsWith("/uri-too-long");
        assertThat(status(bigHeader)).isEqualTo(400);
        assertThat(status(oldHttp)).isEqualTo(505);
        assertThat(status(declaredTooLarge)).isEqualTo(413);
        assertThat(body(declaredTooLarge).get("type").asText()).endsWith("/payload-too-large");
        // Each kind of refusal has an entry (repeats within a minute are counted into one).
        List<String> audited = new ArrayList<>();
        audit(f.registry, "http.refused").forEach(e -> audited.add(e.event().outcome()));
        assertThat(audited).contains("uri_too_long", "malformed", "http_version", "too_large");
        assertThat(audit(f.registry, "http.refused")).noneMatch(e -> e.toString().contains("aaaa") || e.toString().contains("bbbb"));
    }

    @Test
    void aBodyThatStopsArrivingIsAnsweredAndAudited() throws Exception {
        URI base = URI.create(f.server.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/diagnosis/diabetes/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "X-Request-Id: stalled-body-1\r\nAuthorization: Bearer " + f.keys.get(Role.PREDICTOR)
                    + "\r\nContent-Length: 400\r\n\r\n{\"record\": {").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The connection is closed at the time limit: the answer is a 408, or nothing when the
            // server had to close the socket to stop waiting for the body.
            String answer = ServerFixture.readResponse(socket.getInputStream());
            assertThat(answer.isEmpty() || status(answer) == 408).as(answer).isTrue();
        }
        // The server audits once its reader stops, which may be just after the client saw the close.
        long until = System.nanoTime() + 10_000_000_000L;
        while (audit(f.registry, "predict").stream().noneMatch(e -> e.event().requestId().equals("stalled-body-1"))
                && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(audit(f.registry, "predict")).anyMatch(e -> e.event().requestId().equals("stalled-body-1")
                && e.event().outcome().equals("body_timeout"));
    }

    /**
     * 40 calls with a wrong key from one address under a limit of 5 failures a minute: 5 are 401,
     * the rest 429 before the key is even looked up, a right key from that address waits too, and
     * another address is not affected. The audit holds two entries at first (the first 401, the
     * first 429) and, once the window closes (here: at shutdown), the count of the rest: 40 in all.
     */
    @Test
    void failedAuthenticationIsLimitedPerAddressAndCountedInTheAudit(@TempDir Path dir) throws Exception {
        ServerFixture limited = ServerFixture.start(dir, ServerSettings.defaults().withAuthFailuresPerMinute(5));
        try {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                statuses.add(status(limited.rawFrom("127.0.0.2", "GET /api/v1/models HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer mm_00000000_" + "A".repeat(43) + "\r\nConnection: close\r\n\r\n")));
            }
            assertThat(statuses.subList(0, 5)).containsOnly(401);
            assertThat(statuses.subList(5, 40)).containsOnly(429);
            String rightKey = limited.rawFrom("127.0.0.2", "GET /api/v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + limited.keys.get(Role.ADMIN) + "\r\nConnection: close\r\n\r\n");
            assertThat(status(rightKey)).isEqualTo(429);
            assertThat(rightKey).containsIgnoringCase("retry-after:");
            assertThat(limited.get("/api/v1/models", Role.ADMIN).statusCode()).isEqualTo(200); // from 127.0.0.1
            List<AuditEntry> early = fromAddress(audit(limited.registry, "auth.denied"), "127.0.0.2");
            assertThat(early).hasSize(2);
        } finally {
            limited.server.close(); // stops taking requests and writes the open counts
        }
        List<AuditEntry> all = fromAddress(audit(limited.registry, "auth.denied"), "127.0.0.2");
        long counted = 0;
        Pattern more = Pattern.compile("^(\\d+) more of these");
        for (AuditEntry e : all) {
            Matcher m = more.matcher(e.event().details());
            counted += m.find() ? Long.parseLong(m.group(1)) : 1;
        }
        assertThat(counted).isEqualTo(41); // 40 wrong keys and the right key refused by the address limit
        assertThat(all).hasSize(4);
        limited.registry.close();
    }

    private static List<AuditEntry> fromAddress(List<AuditEntry> entries, String address) {
        return entries.stream().filter(e -> e.event().details().contains("client " + address)
                || e.event().resource().equals("from " + address)).toList();
    }

}
