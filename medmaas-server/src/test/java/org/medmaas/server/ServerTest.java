package org.medmaas.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One started server (see {@link ServerFixture}) shared by the tests of a class. */
abstract class ServerTest {

    @TempDir
    static Path home;

    static ServerFixture f;

    @BeforeAll
    static void start() {
        f = ServerFixture.start(home);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return org.medmaas.core.json.Json.MAPPER.readTree(r.body());
    }
}
