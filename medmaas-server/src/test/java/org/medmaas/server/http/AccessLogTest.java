package org.medmaas.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The access log writes behind the requests, but loses and reorders nothing. */
class AccessLogTest {

    private static final java.util.logging.Logger LOGGER = java.util.logging.Logger.getLogger("medmaas.access");

    @Test
    void everyLineIsWrittenOnceWithItsTimeAndNoneIsLostAtClose() throws Exception {
        java.util.logging.Level before = LOGGER.getLevel();
        LOGGER.setLevel(java.util.logging.Level.INFO); // the server tests turn it off
        try {
            writeAndCheck();
        } finally {
            LOGGER.setLevel(before);
        }
    }

    @Test
    void aLevelAboveInfoTurnsItOff() {
        java.util.logging.Level before = LOGGER.getLevel();
        LOGGER.setLevel(java.util.logging.Level.WARNING);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AccessLog log = new AccessLog(out);
            assertThat(log.enabled()).isFalse();
            log.log("{\"n\":1}");
            log.close();
            assertThat(out.size()).isZero();
        } finally {
            LOGGER.setLevel(before);
        }
    }

    private void writeAndCheck() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLog log = new AccessLog(out);
        List<Thread> requests = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            requests.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    log.log("{\"thread\":" + thread + ",\"n\":" + i + "}");
                }
            }));
        }
        for (Thread t : requests) {
            t.join();
        }
        log.close();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(40_000);
        assertThat(lines).allMatch(l -> l.matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\",\"thread\":\\d,\"n\":\\d+}"));
        for (int t = 0; t < 4; t++) {
            String prefix = "\"thread\":" + t + ",";
            List<Integer> order = lines.stream().filter(l -> l.contains(prefix))
                    .map(l -> Integer.parseInt(l.replaceAll(".*\"n\":(\\d+)}", "$1"))).toList();
            assertThat(order).as("one thread's lines in the order it logged them").isSorted().hasSize(10_000);
        }
    }
}
