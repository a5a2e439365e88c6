package org.medmaas.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.registry.AuditEntry;
import org.medmaas.registry.AuditEvent;
import org.medmaas.registry.AuditQuery;
import org.medmaas.registry.ModelRegistry;

/** Refusals are counted per source and window: the first written at once, the rest as one count. */
class RefusalAuditTest {

    private static AuditEvent denied() {
        return new AuditEvent(Instant.now(), "anonymous", "auth.denied", "GET /api/v1/models", "unauthenticated", "", "", 0, "");
    }

    private static List<AuditEntry> entries(ModelRegistry registry) {
        return registry.auditLog().entries(AuditQuery.first(1000)).stream()
                .filter(e -> e.event().action().equals("auth.denied")).toList();
    }

    @Test
    void theFirstIsWrittenAndTheRestCountedWhenTheWindowCloses(@TempDir Path home) {
        AtomicLong clock = new AtomicLong();
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            RefusalAudit refusals = new RefusalAudit(registry.auditLog(), Duration.ofSeconds(60), clock::get, false);
            for (int i = 0; i < 1000; i++) {
                refusals.refused("10.0.0.1", denied());
            }
            refusals.refused("10.0.0.2", denied());
            assertThat(entries(registry)).hasSize(2);
            clock.addAndGet(Duration.ofSeconds(59).toNanos());
            refusals.closeExpired();
            assertThat(entries(registry)).hasSize(2); // the window is still open
            clock.addAndGet(Duration.ofSeconds(2).toNanos());
            refusals.closeExpired();
            List<AuditEntry> after = entries(registry);
            assertThat(after).hasSize(3); // one count; the second source had nothing more to count
            assertThat(after.get(2).event().resource()).isEqualTo("from 10.0.0.1");
            assertThat(after.get(2).event().details()).startsWith("999 more of these");
            // A new window opens with a written entry again, and closing writes what is still open.
            refusals.refused("10.0.0.1", denied());
            refusals.refused("10.0.0.1", denied());
            refusals.close();
            assertThat(entries(registry)).hasSize(5);
            assertThat(entries(registry).get(4).event().details()).startsWith("1 more of these");
        }
    }

    @Test
    void manySourcesShareOneWindowPastTheBound(@TempDir Path home) {
        AtomicLong clock = new AtomicLong();
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            RefusalAudit refusals = new RefusalAudit(registry.auditLog(), Duration.ofSeconds(60), clock::get, false);
            for (int i = 0; i < RefusalAudit.MAX_SOURCES + 500; i++) {
                refusals.refused("10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255), denied());
            }
            refusals.close();
            List<AuditEntry> all = new java.util.ArrayList<>();
            registry.auditLog().forEach(all::add);
            assertThat(all).hasSize(RefusalAudit.MAX_SOURCES + 2); // each tracked source, the shared one, its count
            assertThat(all.get(all.size() - 1).event().resource()).isEqualTo("from " + RefusalAudit.OTHER_SOURCES);
            assertThat(all.get(all.size() - 1).event().details()).startsWith("499 more of these");
        }
    }
}
